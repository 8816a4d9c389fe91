import { defineApi, f } from '../dsl.js';

export const describeClientQuotas = defineApi({
  apiKey: 48,
  name: 'DescribeClientQuotas',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('Components', '[]ComponentData', '0+', {
        fields: [
          f('EntityType', 'string', '0+'),
          f('MatchType', 'int8', '0+'),
          f('Match', 'string', '0+', { nullableVersions: '0+' }),
        ],
      }),
      f('Strict', 'bool', '0+'),
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('Entries', '[]EntryData', '0+', {
        nullableVersions: '0+',
        fields: [
          f('Entity', '[]EntityData', '0+', {
            fields: [f('EntityType', 'string', '0+'), f('EntityName', 'string', '0+', { nullableVersions: '0+' })],
          }),
          f('Values', '[]ValueData', '0+', { fields: [f('Key', 'string', '0+'), f('Value', 'float64', '0+')] }),
        ],
      }),
    ],
  },
});
