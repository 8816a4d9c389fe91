import { defineApi, f } from '../dsl.js';

export const getTelemetrySubscriptions = defineApi({
  apiKey: 71,
  name: 'GetTelemetrySubscriptions',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('ClientInstanceId', 'uuid', '0+')],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ClientInstanceId', 'uuid', '0+'),
      f('SubscriptionId', 'int32', '0+'),
      f('AcceptedCompressionTypes', '[]int8', '0+'),
      f('PushIntervalMs', 'int32', '0+'),
      f('TelemetryMaxBytes', 'int32', '0+'),
      f('DeltaTemporality', 'bool', '0+'),
      f('RequestedMetrics', '[]string', '0+'),
    ],
  },
});
