import { defineApi, f } from '../dsl.js';

export const offsetForLeaderEpoch = defineApi({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-4',
    deprecatedVersions: '0-1',
    flexibleVersions: '4+',
    fields: [
      f('ReplicaId', 'int32', '3+', { default: -2, ignorable: true }),
      f('Topics', '[]OffsetForLeaderTopic', '0+', {
        fields: [
          f('Topic', 'string', '0+', { mapKey: true }),
          f('Partitions', '[]OffsetForLeaderPartition', '0+', {
            fields: [
              f('Partition', 'int32', '0+'),
              f('CurrentLeaderEpoch', 'int32', '2+', { default: -1, ignorable: true }),
              f('LeaderEpoch', 'int32', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      f('ThrottleTimeMs', 'int32', '2+', { ignorable: true }),
      f('Topics', '[]OffsetForLeaderTopicResult', '0+', {
        fields: [
          f('Topic', 'string', '0+', { mapKey: true }),
          f('Partitions', '[]EpochEndOffset', '0+', {
            fields: [
              f('ErrorCode', 'int16', '0+'),
              f('Partition', 'int32', '0+'),
              f('LeaderEpoch', 'int32', '1+', { default: -1, ignorable: true }),
              f('EndOffset', 'int64', '0+', { default: -1 }),
            ],
          }),
        ],
      }),
    ],
  },
});
