import { defineApi, f } from '../dsl.js';

export const endTxn = defineApi({
  apiKey: 26,
  name: 'EndTxn',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    latestVersionUnstable: true,
    fields: [
      f('TransactionalId', 'string', '0+'),
      f('ProducerId', 'int64', '0+'),
      f('ProducerEpoch', 'int16', '0+'),
      f('Committed', 'bool', '0+'),
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ProducerId', 'int64', '5+', { default: -1, ignorable: true }),
      f('ProducerEpoch', 'int16', '5+', { default: -1, ignorable: true }),
    ],
  },
});
