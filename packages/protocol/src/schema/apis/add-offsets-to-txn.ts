import { defineApi, f } from '../dsl.js';

export const addOffsetsToTxn = defineApi({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      f('TransactionalId', 'string', '0+'),
      f('ProducerId', 'int64', '0+'),
      f('ProducerEpoch', 'int16', '0+'),
      f('GroupId', 'string', '0+'),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [f('ThrottleTimeMs', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
  },
});
