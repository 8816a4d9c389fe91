import { defineApi, f } from '../dsl.js';

export const txnOffsetCommit = defineApi({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      f('TransactionalId', 'string', '0+'),
      f('GroupId', 'string', '0+'),
      f('ProducerId', 'int64', '0+'),
      f('ProducerEpoch', 'int16', '0+'),
      f('GenerationId', 'int32', '3+', { default: -1 }),
      f('MemberId', 'string', '3+', { default: '' }),
      f('GroupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
      f('Topics', '[]TxnOffsetCommitRequestTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]TxnOffsetCommitRequestPartition', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('CommittedOffset', 'int64', '0+'),
              f('CommittedLeaderEpoch', 'int32', '2+', { default: -1, ignorable: true }),
              f('CommittedMetadata', 'string', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Topics', '[]TxnOffsetCommitResponseTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]TxnOffsetCommitResponsePartition', '0+', {
            fields: [f('PartitionIndex', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
          }),
        ],
      }),
    ],
  },
});
