import { defineApi, f } from '../dsl.js';

export const alterClientQuotas = defineApi({
  apiKey: 49,
  name: 'AlterClientQuotas',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('Entries', '[]EntryData', '0+', {
        fields: [
          f('Entity', '[]EntityData', '0+', {
            fields: [f('EntityType', 'string', '0+'), f('EntityName', 'string', '0+', { nullableVersions: '0+' })],
          }),
          f('Ops', '[]OpData', '0+', {
            fields: [f('Key', 'string', '0+'), f('Value', 'float64', '0+'), f('Remove', 'bool', '0+')],
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
      f('Entries', '[]EntryData', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
          f('Entity', '[]EntityData', '0+', {
            fields: [f('EntityType', 'string', '0+'), f('EntityName', 'string', '0+', { nullableVersions: '0+' })],
          }),
        ],
      }),
    ],
  },
});
