import { defineApi, f } from '../dsl.js';

export const electLeaders = defineApi({
  apiKey: 43,
  name: 'ElectLeaders',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ElectionType', 'int8', '1+'),
      f('TopicPartitions', '[]TopicPartitions', '0+', {
        nullableVersions: '0+',
        fields: [f('Topic', 'string', '0+', { mapKey: true }), f('Partitions', '[]int32', '0+')],
      }),
      f('TimeoutMs', 'int32', '0+', { default: 60000 }),
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '1+'),
      f('ReplicaElectionResults', '[]ReplicaElectionResult', '0+', {
        fields: [
          f('Topic', 'string', '0+'),
          f('PartitionResult', '[]PartitionResult', '0+', {
            fields: [
              f('PartitionId', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
    ],
  },
});
