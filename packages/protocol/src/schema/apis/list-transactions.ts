import { defineApi, f } from '../dsl.js';

export const listTransactions = defineApi({
  apiKey: 66,
  name: 'ListTransactions',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      f('StateFilters', '[]string', '0+'),
      f('ProducerIdFilters', '[]int64', '0+'),
      f('DurationFilter', 'int64', '1+', { default: -1 }),
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('UnknownStateFilters', '[]string', '0+'),
      f('TransactionStates', '[]TransactionState', '0+', {
        fields: [
          f('TransactionalId', 'string', '0+'),
          f('ProducerId', 'int64', '0+'),
          f('TransactionState', 'string', '0+'),
        ],
      }),
    ],
  },
});
