import { defineApi, f } from '../dsl.js';

export const describeAcls = defineApi({
  apiKey: 29,
  name: 'DescribeAcls',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-3',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('ResourceTypeFilter', 'int8', '0+'),
      f('ResourceNameFilter', 'string', '0+', { nullableVersions: '0+' }),
      f('PatternTypeFilter', 'int8', '1+', { default: 3 }),
      f('PrincipalFilter', 'string', '0+', { nullableVersions: '0+' }),
      f('HostFilter', 'string', '0+', { nullableVersions: '0+' }),
      f('Operation', 'int8', '0+'),
      f('PermissionType', 'int8', '0+'),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('Resources', '[]DescribeAclsResource', '0+', {
        fields: [
          f('ResourceType', 'int8', '0+'),
          f('ResourceName', 'string', '0+'),
          f('PatternType', 'int8', '1+', { default: 3 }),
          f('Acls', '[]AclDescription', '0+', {
            fields: [
              f('Principal', 'string', '0+'),
              f('Host', 'string', '0+'),
              f('Operation', 'int8', '0+'),
              f('PermissionType', 'int8', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
});
