import { defineApi, f } from '../dsl.js';

export const deleteGroups = defineApi({
  apiKey: 42,
  name: 'DeleteGroups',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-2',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [f('GroupsNames', '[]string', '0+')],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]DeletableGroupResult', '0+', {
        fields: [f('GroupId', 'string', '0+', { mapKey: true }), f('ErrorCode', 'int16', '0+')],
      }),
    ],
  },
});
