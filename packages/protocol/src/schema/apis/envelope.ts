import { defineApi, f } from '../dsl.js';

export const envelope = defineApi({
  apiKey: 58,
  name: 'Envelope',
  listeners: ['controller', 'zkBroker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('RequestData', 'bytes', '0+'),
      f('RequestPrincipal', 'bytes', '0+', { nullableVersions: '0+' }),
      f('ClientHostAddress', 'bytes', '0+'),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ResponseData', 'bytes', '0+', { nullableVersions: '0+', default: null }),
      f('ErrorCode', 'int16', '0+'),
    ],
  },
});
