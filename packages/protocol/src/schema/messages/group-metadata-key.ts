import { defineMessage, f } from '../dsl.js';

export const groupMetadataKey = defineMessage('GroupMetadataKey', 'data', {
  validVersions: '2',
  flexibleVersions: 'none',
  fields: [f('group', 'string', '2')],
});
