import { defineApi, f } from '../dsl.js';

export const describeConfigs = defineApi({
  apiKey: 32,
  name: 'DescribeConfigs',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-4',
    deprecatedVersions: '0',
    flexibleVersions: '4+',
    fields: [
      f('Resources', '[]DescribeConfigsResource', '0+', {
        fields: [
          f('ResourceType', 'int8', '0+'),
          f('ResourceName', 'string', '0+'),
          f('ConfigurationKeys', '[]string', '0+', { nullableVersions: '0+' }),
        ],
      }),
      f('IncludeSynonyms', 'bool', '1+', { default: false }),
      f('IncludeDocumentation', 'bool', '3+', { default: false }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]DescribeConfigsResult', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
          f('ResourceType', 'int8', '0+'),
          f('ResourceName', 'string', '0+'),
          f('Configs', '[]DescribeConfigsResourceResult', '0+', {
            fields: [
              f('Name', 'string', '0+'),
              f('Value', 'string', '0+', { nullableVersions: '0+' }),
              f('ReadOnly', 'bool', '0+'),
              f('IsDefault', 'bool', '0'),
              f('ConfigSource', 'int8', '1+', { default: -1, ignorable: true }),
              f('IsSensitive', 'bool', '0+'),
              f('Synonyms', '[]DescribeConfigsSynonym', '1+', {
                ignorable: true,
                fields: [
                  f('Name', 'string', '1+'),
                  f('Value', 'string', '1+', { nullableVersions: '0+' }),
                  f('Source', 'int8', '1+'),
                ],
              }),
              f('ConfigType', 'int8', '3+', { default: 0, ignorable: true }),
              f('Documentation', 'string', '3+', { nullableVersions: '0+', ignorable: true }),
            ],
          }),
        ],
      }),
    ],
  },
});
