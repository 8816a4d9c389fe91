import { defineMessage, f } from '../dsl.js';

export const consumerProtocolAssignment = defineMessage('ConsumerProtocolAssignment', 'data', {
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    f('AssignedPartitions', '[]TopicPartition', '0+', {
      fields: [f('Topic', 'string', '0+', { mapKey: true }), f('Partitions', '[]int32', '0+')],
    }),
    f('UserData', 'bytes', '0+', { nullableVersions: '0+', default: null }),
  ],
});
