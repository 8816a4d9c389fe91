import { defineApi, f } from '../dsl.js';

export const createPartitions = defineApi({
  apiKey: 37,
  name: 'CreatePartitions',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('Topics', '[]CreatePartitionsTopic', '0+', {
        fields: [
          f('Name', 'string', '0+', { mapKey: true }),
          f('Count', 'int32', '0+'),
          f('Assignments', '[]CreatePartitionsAssignment', '0+', {
            nullableVersions: '0+',
            fields: [f('BrokerIds', '[]int32', '0+')],
          }),
        ],
      }),
      f('TimeoutMs', 'int32', '0+'),
      f('ValidateOnly', 'bool', '0+'),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]CreatePartitionsTopicResult', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
        ],
      }),
    ],
  },
});
