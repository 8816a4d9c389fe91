import { defineApi, f } from '../dsl.js';

export const stopReplica = defineApi({
  apiKey: 5,
  name: 'StopReplica',
  listeners: ['zkBroker'],
  request: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      f('ControllerId', 'int32', '0+'),
      f('isKRaftController', 'bool', '4+', { default: false }),
      f('ControllerEpoch', 'int32', '0+'),
      f('BrokerEpoch', 'int64', '1+', { default: -1, ignorable: true }),
      f('DeletePartitions', 'bool', '0-2'),
      f('UngroupedPartitions', '[]StopReplicaPartitionV0', '0', {
        fields: [f('TopicName', 'string', '0'), f('PartitionIndex', 'int32', '0')],
      }),
      f('Topics', '[]StopReplicaTopicV1', '1-2', {
        fields: [f('Name', 'string', '1-2'), f('PartitionIndexes', '[]int32', '1-2')],
      }),
      f('TopicStates', '[]StopReplicaTopicState', '3+', {
        fields: [
          f('TopicName', 'string', '3+'),
          f('PartitionStates', '[]StopReplicaPartitionState', '3+', {
            fields: [
              f('PartitionIndex', 'int32', '3+'),
              f('LeaderEpoch', 'int32', '3+', { default: -1 }),
              f('DeletePartition', 'bool', '3+'),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('PartitionErrors', '[]StopReplicaPartitionError', '0+', {
        fields: [f('TopicName', 'string', '0+'), f('PartitionIndex', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
      }),
    ],
  },
});
