import { defineMessage, f } from '../dsl.js';

export const offsetCommitKey = defineMessage('OffsetCommitKey', 'data', {
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [f('group', 'string', '0-1'), f('topic', 'string', '0-1'), f('partition', 'int32', '0-1')],
});
