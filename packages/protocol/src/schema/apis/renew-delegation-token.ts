import { defineApi, f } from '../dsl.js';

export const renewDelegationToken = defineApi({
  apiKey: 39,
  name: 'RenewDelegationToken',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-2',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [f('Hmac', 'bytes', '0+'), f('RenewPeriodMs', 'int64', '0+')],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [f('ErrorCode', 'int16', '0+'), f('ExpiryTimestampMs', 'int64', '0+'), f('ThrottleTimeMs', 'int32', '0+')],
  },
});
