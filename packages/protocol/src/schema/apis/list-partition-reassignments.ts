import { defineApi, f } from '../dsl.js';

export const listPartitionReassignments = defineApi({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  listeners: ['broker', 'controller', 'zkBroker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('TimeoutMs', 'int32', '0+', { default: 60000 }),
      f('Topics', '[]ListPartitionReassignmentsTopics', '0+', {
        nullableVersions: '0+',
        default: null,
        fields: [f('Name', 'string', '0+'), f('PartitionIndexes', '[]int32', '0+')],
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
      f('Topics', '[]OngoingTopicReassignment', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]OngoingPartitionReassignment', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('Replicas', '[]int32', '0+'),
              f('AddingReplicas', '[]int32', '0+'),
              f('RemovingReplicas', '[]int32', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
});
