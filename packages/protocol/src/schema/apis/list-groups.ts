import { defineApi, f } from '../dsl.js';

export const listGroups = defineApi({
  apiKey: 16,
  name: 'ListGroups',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [f('StatesFilter', '[]string', '4+'), f('TypesFilter', '[]string', '5+')],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('ErrorCode', 'int16', '0+'),
      f('Groups', '[]ListedGroup', '0+', {
        fields: [
          f('GroupId', 'string', '0+'),
          f('ProtocolType', 'string', '0+'),
          f('GroupState', 'string', '4+', { ignorable: true }),
          f('GroupType', 'string', '5+', { ignorable: true }),
        ],
      }),
    ],
  },
});
