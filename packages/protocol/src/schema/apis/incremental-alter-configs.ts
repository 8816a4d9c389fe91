import { defineApi, f } from '../dsl.js';

export const incrementalAlterConfigs = defineApi({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('Resources', '[]AlterConfigsResource', '0+', {
        fields: [
          f('ResourceType', 'int8', '0+', { mapKey: true }),
          f('ResourceName', 'string', '0+', { mapKey: true }),
          f('Configs', '[]AlterableConfig', '0+', {
            fields: [
              f('Name', 'string', '0+', { mapKey: true }),
              f('ConfigOperation', 'int8', '0+', { mapKey: true }),
              f('Value', 'string', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
      f('ValidateOnly', 'bool', '0+'),
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Responses', '[]AlterConfigsResourceResponse', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
          f('ResourceType', 'int8', '0+'),
          f('ResourceName', 'string', '0+'),
        ],
      }),
    ],
  },
});
