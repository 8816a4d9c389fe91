import { defineApi, f } from '../dsl.js';

export const allocateProducerIds = defineApi({
  apiKey: 67,
  name: 'AllocateProducerIds',
  listeners: ['zkBroker', 'controller'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('BrokerId', 'int32', '0+'), f('BrokerEpoch', 'int64', '0+', { default: -1 })],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ProducerIdStart', 'int64', '0+'),
      f('ProducerIdLen', 'int32', '0+'),
    ],
  },
});
