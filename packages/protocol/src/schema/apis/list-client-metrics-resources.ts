import { defineApi, f } from '../dsl.js';

export const listClientMetricsResources = defineApi({
  apiKey: 74,
  name: 'ListClientMetricsResources',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ClientMetricsResources', '[]ClientMetricsResource', '0+', { fields: [f('Name', 'string', '0+')] }),
    ],
  },
});
