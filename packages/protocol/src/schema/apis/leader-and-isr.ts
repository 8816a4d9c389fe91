import { defineApi, f, struct } from '../dsl.js';

export const leaderAndIsr = defineApi({
  apiKey: 4,
  name: 'LeaderAndIsr',
  listeners: ['zkBroker'],
  request: {
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: [
      f('ControllerId', 'int32', '0+'),
      f('isKRaftController', 'bool', '7+', { default: false }),
      f('ControllerEpoch', 'int32', '0+'),
      f('BrokerEpoch', 'int64', '2+', { default: -1, ignorable: true }),
      f('Type', 'int8', '5+'),
      f('UngroupedPartitionStates', '[]LeaderAndIsrPartitionState', '0-1'),
      f('TopicStates', '[]LeaderAndIsrTopicState', '2+', {
        fields: [
          f('TopicName', 'string', '2+'),
          f('TopicId', 'uuid', '5+', { ignorable: true }),
          f('PartitionStates', '[]LeaderAndIsrPartitionState', '2+'),
        ],
      }),
      f('LiveLeaders', '[]LeaderAndIsrLiveLeader', '0+', {
        fields: [f('BrokerId', 'int32', '0+'), f('HostName', 'string', '0+'), f('Port', 'int32', '0+')],
      }),
    ],
    commonStructs: [
      struct('LeaderAndIsrPartitionState', '0+', [
        f('TopicName', 'string', '0-1', { ignorable: true }),
        f('PartitionIndex', 'int32', '0+'),
        f('ControllerEpoch', 'int32', '0+'),
        f('Leader', 'int32', '0+'),
        f('LeaderEpoch', 'int32', '0+'),
        f('Isr', '[]int32', '0+'),
        f('PartitionEpoch', 'int32', '0+'),
        f('Replicas', '[]int32', '0+'),
        f('AddingReplicas', '[]int32', '3+', { ignorable: true }),
        f('RemovingReplicas', '[]int32', '3+', { ignorable: true }),
        f('IsNew', 'bool', '1+', { default: false, ignorable: true }),
        f('LeaderRecoveryState', 'int8', '6+', { default: 0 }),
      ]),
    ],
  },
  response: {
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('PartitionErrors', '[]LeaderAndIsrPartitionError', '0-4'),
      f('Topics', '[]LeaderAndIsrTopicError', '5+', {
        fields: [
          f('TopicId', 'uuid', '5+', { mapKey: true }),
          f('PartitionErrors', '[]LeaderAndIsrPartitionError', '5+'),
        ],
      }),
    ],
    commonStructs: [
      struct('LeaderAndIsrPartitionError', '0+', [
        f('TopicName', 'string', '0-4', { ignorable: true }),
        f('PartitionIndex', 'int32', '0+'),
        f('ErrorCode', 'int16', '0+'),
      ]),
    ],
  },
});
