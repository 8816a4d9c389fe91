import { defineApi, f } from '../dsl.js';

export const pushTelemetry = defineApi({
  apiKey: 72,
  name: 'PushTelemetry',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ClientInstanceId', 'uuid', '0+'),
      f('SubscriptionId', 'int32', '0+'),
      f('Terminating', 'bool', '0+'),
      f('CompressionType', 'int8', '0+'),
      f('Metrics', 'bytes', '0+'),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('ThrottleTimeMs', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
  },
});
