import { defineMessage, f } from '../dsl.js';

export const offsetCommitValue = defineMessage('OffsetCommitValue', 'data', {
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    f('offset', 'int64', '0+'),
    f('leaderEpoch', 'int32', '3+', { default: -1, ignorable: true }),
    f('metadata', 'string', '0+'),
    f('commitTimestamp', 'int64', '0+'),
    f('expireTimestamp', 'int64', '1', { default: -1, ignorable: true }),
  ],
});
