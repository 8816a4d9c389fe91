import { defineApi, f } from '../dsl.js';

export const heartbeat = defineApi({
  apiKey: 12,
  name: 'Heartbeat',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      f('GroupId', 'string', '0+'),
      f('GenerationId', 'int32', '0+'),
      f('MemberId', 'string', '0+'),
      f('GroupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }), f('ErrorCode', 'int16', '0+')],
  },
});
