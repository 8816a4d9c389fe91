import { defineApi, f } from '../dsl.js';

export const unregisterBroker = defineApi({
  apiKey: 64,
  name: 'UnregisterBroker',
  listeners: ['broker', 'controller'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('BrokerId', 'int32', '0+')],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
    ],
  },
});
