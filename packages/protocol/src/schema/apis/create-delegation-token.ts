import { defineApi, f } from '../dsl.js';

export const createDelegationToken = defineApi({
  apiKey: 38,
  name: 'CreateDelegationToken',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-3',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('OwnerPrincipalType', 'string', '3+', { nullableVersions: '3+' }),
      f('OwnerPrincipalName', 'string', '3+', { nullableVersions: '3+' }),
      f('Renewers', '[]CreatableRenewers', '0+', {
        fields: [f('PrincipalType', 'string', '0+'), f('PrincipalName', 'string', '0+')],
      }),
      f('MaxLifetimeMs', 'int64', '0+'),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('PrincipalType', 'string', '0+'),
      f('PrincipalName', 'string', '0+'),
      f('TokenRequesterPrincipalType', 'string', '3+'),
      f('TokenRequesterPrincipalName', 'string', '3+'),
      f('IssueTimestampMs', 'int64', '0+'),
      f('ExpiryTimestampMs', 'int64', '0+'),
      f('MaxTimestampMs', 'int64', '0+'),
      f('TokenId', 'string', '0+'),
      f('Hmac', 'bytes', '0+'),
      f('ThrottleTimeMs', 'int32', '0+'),
    ],
  },
});
