import { defineApi, f } from '../dsl.js';

export const initProducerId = defineApi({
  apiKey: 22,
  name: 'InitProducerId',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      f('TransactionalId', 'string', '0+', { nullableVersions: '0+' }),
      f('TransactionTimeoutMs', 'int32', '0+'),
      f('ProducerId', 'int64', '3+', { default: -1 }),
      f('ProducerEpoch', 'int16', '3+', { default: -1 }),
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+', { ignorable: true }),
      f('ErrorCode', 'int16', '0+'),
      f('ProducerId', 'int64', '0+', { default: -1 }),
      f('ProducerEpoch', 'int16', '0+'),
    ],
  },
});
