import { defineMessage, f } from '../dsl.js';

export const transactionLogKey = defineMessage('TransactionLogKey', 'data', {
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [f('TransactionalId', 'string', '0')],
});
