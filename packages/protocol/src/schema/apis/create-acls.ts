import { defineApi, f } from '../dsl.js';

export const createAcls = defineApi({
  apiKey: 30,
  name: 'CreateAcls',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-3',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('Creations', '[]AclCreation', '0+', {
        fields: [
          f('ResourceType', 'int8', '0+'),
          f('ResourceName', 'string', '0+'),
          f('ResourcePatternType', 'int8', '1+', { default: 3 }),
          f('Principal', 'string', '0+'),
          f('Host', 'string', '0+'),
          f('Operation', 'int8', '0+'),
          f('PermissionType', 'int8', '0+'),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]AclCreationResult', '0+', {
        fields: [f('ErrorCode', 'int16', '0+'), f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' })],
      }),
    ],
  },
});
