import { defineApi, f } from '../dsl.js';

export const updateFeatures = defineApi({
  apiKey: 57,
  name: 'UpdateFeatures',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      f('timeoutMs', 'int32', '0+', { default: 60000 }),
      f('FeatureUpdates', '[]FeatureUpdateKey', '0+', {
        fields: [
          f('Feature', 'string', '0+', { mapKey: true }),
          f('MaxVersionLevel', 'int16', '0+'),
          f('AllowDowngrade', 'bool', '0'),
          f('UpgradeType', 'int8', '1+', { default: 1 }),
        ],
      }),
      f('ValidateOnly', 'bool', '1+', { default: false }),
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('Results', '[]UpdatableFeatureResult', '0-1', {
        ignorable: true,
        fields: [
          f('Feature', 'string', '0+', { mapKey: true }),
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
        ],
      }),
    ],
  },
});
