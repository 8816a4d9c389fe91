import { defineApi, f } from '../dsl.js';

export const describeTransactions = defineApi({
  apiKey: 65,
  name: 'DescribeTransactions',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('TransactionalIds', '[]string', '0+')],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('TransactionStates', '[]TransactionState', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('TransactionalId', 'string', '0+'),
          f('TransactionState', 'string', '0+'),
          f('TransactionTimeoutMs', 'int32', '0+'),
          f('TransactionStartTimeMs', 'int64', '0+'),
          f('ProducerId', 'int64', '0+'),
          f('ProducerEpoch', 'int16', '0+'),
          f('Topics', '[]TopicData', '0+', {
            fields: [f('Topic', 'string', '0+', { mapKey: true }), f('Partitions', '[]int32', '0+')],
          }),
        ],
      }),
    ],
  },
});
