import { defineApi, f } from '../dsl.js';

export const saslAuthenticate = defineApi({
  apiKey: 36,
  name: 'SaslAuthenticate',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [f('AuthBytes', 'bytes', '0+')],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('AuthBytes', 'bytes', '0+'),
      f('SessionLifetimeMs', 'int64', '1+', { default: 0, ignorable: true }),
    ],
  },
});
