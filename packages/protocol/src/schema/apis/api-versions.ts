import { defineApi, f } from '../dsl.js';

export const apiVersions = defineApi({
  apiKey: 18,
  name: 'ApiVersions',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      f('ClientSoftwareName', 'string', '3+', { ignorable: true }),
      f('ClientSoftwareVersion', 'string', '3+', { ignorable: true }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('ApiKeys', '[]ApiVersion', '0+', {
        fields: [
          f('ApiKey', 'int16', '0+', { mapKey: true }),
          f('MinVersion', 'int16', '0+'),
          f('MaxVersion', 'int16', '0+'),
        ],
      }),
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('SupportedFeatures', '[]SupportedFeatureKey', '3+', {
        tag: 0,
        taggedVersions: '3+',
        ignorable: true,
        fields: [
          f('Name', 'string', '3+', { mapKey: true }),
          f('MinVersion', 'int16', '3+'),
          f('MaxVersion', 'int16', '3+'),
        ],
      }),
      f('FinalizedFeaturesEpoch', 'int64', '3+', { tag: 1, taggedVersions: '3+', default: -1, ignorable: true }),
      f('FinalizedFeatures', '[]FinalizedFeatureKey', '3+', {
        tag: 2,
        taggedVersions: '3+',
        ignorable: true,
        fields: [
          f('Name', 'string', '3+', { mapKey: true }),
          f('MaxVersionLevel', 'int16', '3+'),
          f('MinVersionLevel', 'int16', '3+'),
        ],
      }),
      f('ZkMigrationReady', 'bool', '3+', { tag: 3, taggedVersions: '3+', default: false, ignorable: true }),
    ],
  },
});
