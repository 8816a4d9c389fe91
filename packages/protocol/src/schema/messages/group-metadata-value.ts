import { defineMessage, f, struct } from '../dsl.js';

export const groupMetadataValue = defineMessage('GroupMetadataValue', 'data', {
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    f('protocolType', 'string', '0+'),
    f('generation', 'int32', '0+'),
    f('protocol', 'string', '0+', { nullableVersions: '0+' }),
    f('leader', 'string', '0+', { nullableVersions: '0+' }),
    f('currentStateTimestamp', 'int64', '2+', { default: -1, ignorable: true }),
    f('members', '[]MemberMetadata', '0+'),
  ],
  commonStructs: [
    struct('MemberMetadata', '0+', [
      f('memberId', 'string', '0+'),
      f('groupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null, ignorable: true }),
      f('clientId', 'string', '0+'),
      f('clientHost', 'string', '0+'),
      f('rebalanceTimeout', 'int32', '1+', { default: -1, ignorable: true }),
      f('sessionTimeout', 'int32', '0+'),
      f('subscription', 'bytes', '0+'),
      f('assignment', 'bytes', '0+'),
    ]),
  ],
});
