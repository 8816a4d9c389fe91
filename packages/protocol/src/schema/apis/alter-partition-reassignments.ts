import { defineApi, f } from '../dsl.js';

export const alterPartitionReassignments = defineApi({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  listeners: ['broker', 'controller', 'zkBroker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('TimeoutMs', 'int32', '0+', { default: 60000 }),
      f('Topics', '[]ReassignableTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]ReassignablePartition', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('Replicas', '[]int32', '0+', { nullableVersions: '0+', default: null }),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
      f('Responses', '[]ReassignableTopicResponse', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]ReassignablePartitionResponse', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
    ],
  },
});
