import { defineMessage, f } from '../dsl.js';

export const requestHeader = defineMessage('RequestHeader', 'header', {
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    f('RequestApiKey', 'int16', '0+'),
    f('RequestApiVersion', 'int16', '0+'),
    f('CorrelationId', 'int32', '0+'),
    f('ClientId', 'string', '1+', { nullableVersions: '1+', ignorable: true, flexibleVersions: 'none' }),
  ],
});
