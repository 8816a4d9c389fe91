import { defineApi, f } from '../dsl.js';

export const describeDelegationToken = defineApi({
  apiKey: 41,
  name: 'DescribeDelegationToken',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-3',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('Owners', '[]DescribeDelegationTokenOwner', '0+', {
        nullableVersions: '0+',
        fields: [f('PrincipalType', 'string', '0+'), f('PrincipalName', 'string', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('Tokens', '[]DescribedDelegationToken', '0+', {
        fields: [
          f('PrincipalType', 'string', '0+'),
          f('PrincipalName', 'string', '0+'),
          f('TokenRequesterPrincipalType', 'string', '3+'),
          f('TokenRequesterPrincipalName', 'string', '3+'),
          f('IssueTimestamp', 'int64', '0+'),
          f('ExpiryTimestamp', 'int64', '0+'),
          f('MaxTimestamp', 'int64', '0+'),
          f('TokenId', 'string', '0+'),
          f('Hmac', 'bytes', '0+'),
          f('Renewers', '[]DescribedDelegationTokenRenewer', '0+', {
            fields: [f('PrincipalType', 'string', '0+'), f('PrincipalName', 'string', '0+')],
          }),
        ],
      }),
      f('ThrottleTimeMs', 'int32', '0+'),
    ],
  },
});
