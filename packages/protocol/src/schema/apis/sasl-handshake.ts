import { defineApi, f } from '../dsl.js';

export const saslHandshake = defineApi({
  apiKey: 17,
  name: 'SaslHandshake',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-1',
    deprecatedVersions: '0',
    flexibleVersions: 'none',
    fields: [f('Mechanism', 'string', '0+')],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [f('ErrorCode', 'int16', '0+'), f('Mechanisms', '[]string', '0+')],
  },
});
