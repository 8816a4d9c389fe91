import { defineApi, f } from '../dsl.js';

export const describeUserScramCredentials = defineApi({
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [f('Users', '[]UserName', '0+', { nullableVersions: '0+', fields: [f('Name', 'string', '0+')] })],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('Results', '[]DescribeUserScramCredentialsResult', '0+', {
        fields: [
          f('User', 'string', '0+'),
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
          f('CredentialInfos', '[]CredentialInfo', '0+', {
            fields: [f('Mechanism', 'int8', '0+'), f('Iterations', 'int32', '0+')],
          }),
        ],
      }),
    ],
  },
});
