import { defineMessage, f } from '../dsl.js';

export const consumerProtocolSubscription = defineMessage('ConsumerProtocolSubscription', 'data', {
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    f('Topics', '[]string', '0+'),
    f('UserData', 'bytes', '0+', { nullableVersions: '0+', default: null }),
    f('OwnedPartitions', '[]TopicPartition', '1+', {
      ignorable: true,
      fields: [f('Topic', 'string', '1+', { mapKey: true }), f('Partitions', '[]int32', '1+')],
    }),
    f('GenerationId', 'int32', '2+', { default: -1, ignorable: true }),
    f('RackId', 'string', '3+', { nullableVersions: '3+', default: null, ignorable: true }),
  ],
});
