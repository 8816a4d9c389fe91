import { defineApi, f } from '../dsl.js';

export const offsetCommit = defineApi({
  apiKey: 8,
  name: 'OffsetCommit',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-9',
    deprecatedVersions: '0-1',
    flexibleVersions: '8+',
    fields: [
      f('GroupId', 'string', '0+'),
      f('GenerationIdOrMemberEpoch', 'int32', '1+', { default: -1, ignorable: true }),
      f('MemberId', 'string', '1+', { ignorable: true }),
      f('GroupInstanceId', 'string', '7+', { nullableVersions: '7+', default: null }),
      f('RetentionTimeMs', 'int64', '2-4', { default: -1, ignorable: true }),
      f('Topics', '[]OffsetCommitRequestTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]OffsetCommitRequestPartition', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('CommittedOffset', 'int64', '0+'),
              f('CommittedLeaderEpoch', 'int32', '6+', { default: -1, ignorable: true }),
              f('CommitTimestamp', 'int64', '1', { default: -1 }),
              f('CommittedMetadata', 'string', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: [
      f('ThrottleTimeMs', 'int32', '3+', { ignorable: true }),
      f('Topics', '[]OffsetCommitResponseTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]OffsetCommitResponsePartition', '0+', {
            fields: [f('PartitionIndex', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
          }),
        ],
      }),
    ],
  },
});
