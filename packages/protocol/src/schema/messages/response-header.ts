import { defineMessage, f } from '../dsl.js';

export const responseHeader = defineMessage('ResponseHeader', 'header', {
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [f('CorrelationId', 'int32', '0+')],
});
