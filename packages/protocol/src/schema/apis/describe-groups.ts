import { defineApi, f } from '../dsl.js';

export const describeGroups = defineApi({
  apiKey: 15,
  name: 'DescribeGroups',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [f('Groups', '[]string', '0+'), f('IncludeAuthorizedOperations', 'bool', '3+')],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('Groups', '[]DescribedGroup', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('GroupId', 'string', '0+'),
          f('GroupState', 'string', '0+'),
          f('ProtocolType', 'string', '0+'),
          f('ProtocolData', 'string', '0+'),
          f('Members', '[]DescribedGroupMember', '0+', {
            fields: [
              f('MemberId', 'string', '0+'),
              f('GroupInstanceId', 'string', '4+', { nullableVersions: '4+', default: null, ignorable: true }),
              f('ClientId', 'string', '0+'),
              f('ClientHost', 'string', '0+'),
              f('MemberMetadata', 'bytes', '0+'),
              f('MemberAssignment', 'bytes', '0+'),
            ],
          }),
          f('AuthorizedOperations', 'int32', '3+', { default: -2147483648 }),
        ],
      }),
    ],
  },
});
