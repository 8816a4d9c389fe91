import { defineMessage, f } from '../dsl.js';

export const transactionLogValue = defineMessage('TransactionLogValue', 'data', {
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    f('ProducerId', 'int64', '0+'),
    f('PreviousProducerId', 'int64', '1+', { tag: 0, taggedVersions: '1+', default: -1 }),
    f('NextProducerId', 'int64', '1+', { tag: 1, taggedVersions: '1+', default: -1 }),
    f('ProducerEpoch', 'int16', '0+'),
    f('TransactionTimeoutMs', 'int32', '0+'),
    f('TransactionStatus', 'int8', '0+'),
    f('TransactionPartitions', '[]PartitionsSchema', '0+', {
      nullableVersions: '0+',
      fields: [f('Topic', 'string', '0+'), f('PartitionIds', '[]int32', '0+')],
    }),
    f('TransactionLastUpdateTimestampMs', 'int64', '0+'),
    f('TransactionStartTimestampMs', 'int64', '0+'),
    f('ClientTransactionVersion', 'int16', '1+', { tag: 2, taggedVersions: '1+', default: 0 }),
  ],
});
