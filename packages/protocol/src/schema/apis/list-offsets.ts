import { defineApi, f } from '../dsl.js';

export const listOffsets = defineApi({
  apiKey: 2,
  name: 'ListOffsets',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-10',
    deprecatedVersions: '0',
    flexibleVersions: '6+',
    fields: [
      f('ReplicaId', 'int32', '0+'),
      f('IsolationLevel', 'int8', '2+'),
      f('Topics', '[]ListOffsetsTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]ListOffsetsPartition', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('CurrentLeaderEpoch', 'int32', '4+', { default: -1, ignorable: true }),
              f('Timestamp', 'int64', '0+'),
              f('MaxNumOffsets', 'int32', '0', { default: 1 }),
            ],
          }),
        ],
      }),
      f('TimeoutMs', 'int32', '10+', { ignorable: true }),
    ],
  },
  response: {
    validVersions: '0-10',
    flexibleVersions: '6+',
    fields: [
      f('ThrottleTimeMs', 'int32', '2+', { ignorable: true }),
      f('Topics', '[]ListOffsetsTopicResponse', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]ListOffsetsPartitionResponse', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('OldStyleOffsets', '[]int64', '0'),
              f('Timestamp', 'int64', '1+', { default: -1 }),
              f('Offset', 'int64', '1+', { default: -1 }),
              f('LeaderEpoch', 'int32', '4+', { default: -1 }),
            ],
          }),
        ],
      }),
    ],
  },
});
