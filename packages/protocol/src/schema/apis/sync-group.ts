import { defineApi, f } from '../dsl.js';

export const syncGroup = defineApi({
  apiKey: 14,
  name: 'SyncGroup',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      f('GroupId', 'string', '0+'),
      f('GenerationId', 'int32', '0+'),
      f('MemberId', 'string', '0+'),
      f('GroupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
      f('ProtocolType', 'string', '5+', { nullableVersions: '5+', default: null, ignorable: true }),
      f('ProtocolName', 'string', '5+', { nullableVersions: '5+', default: null, ignorable: true }),
      f('Assignments', '[]SyncGroupRequestAssignment', '0+', {
        fields: [f('MemberId', 'string', '0+'), f('Assignment', 'bytes', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('ErrorCode', 'int16', '0+'),
      f('ProtocolType', 'string', '5+', { nullableVersions: '5+', default: null, ignorable: true }),
      f('ProtocolName', 'string', '5+', { nullableVersions: '5+', default: null, ignorable: true }),
      f('Assignment', 'bytes', '0+'),
    ],
  },
});
