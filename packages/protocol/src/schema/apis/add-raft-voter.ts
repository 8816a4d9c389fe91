import { defineApi, f } from '../dsl.js';

export const addRaftVoter = defineApi({
  apiKey: 80,
  name: 'AddRaftVoter',
  listeners: ['controller', 'broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ClusterId', 'string', '0+', { nullableVersions: '0+' }),
      f('TimeoutMs', 'int32', '0+'),
      f('VoterId', 'int32', '0+'),
      f('VoterDirectoryId', 'uuid', '0+'),
      f('Listeners', '[]Listener', '0+', {
        fields: [f('Name', 'string', '0+', { mapKey: true }), f('Host', 'string', '0+'), f('Port', 'uint16', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', ignorable: true }),
    ],
  },
});
