import { defineApi, f } from '../dsl.js';

export const alterUserScramCredentials = defineApi({
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('Deletions', '[]ScramCredentialDeletion', '0+', {
        fields: [f('Name', 'string', '0+'), f('Mechanism', 'int8', '0+')],
      }),
      f('Upsertions', '[]ScramCredentialUpsertion', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Mechanism', 'int8', '0+'),
          f('Iterations', 'int32', '0+'),
          f('Salt', 'bytes', '0+'),
          f('SaltedPassword', 'bytes', '0+'),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]AlterUserScramCredentialsResult', '0+', {
        fields: [
          f('User', 'string', '0+'),
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
        ],
      }),
    ],
  },
});
