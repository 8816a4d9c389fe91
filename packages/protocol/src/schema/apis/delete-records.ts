import { defineApi, f } from '../dsl.js';

export const deleteRecords = defineApi({
  apiKey: 21,
  name: 'DeleteRecords',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('Topics', '[]DeleteRecordsTopic', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]DeleteRecordsPartition', '0+', {
            fields: [f('PartitionIndex', 'int32', '0+'), f('Offset', 'int64', '0+')],
          }),
        ],
      }),
      f('TimeoutMs', 'int32', '0+'),
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Topics', '[]DeleteRecordsTopicResult', '0+', {
        fields: [
          f('Name', 'string', '0+', { mapKey: true }),
          f('Partitions', '[]DeleteRecordsPartitionResult', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+', { mapKey: true }),
              f('LowWatermark', 'int64', '0+'),
              f('ErrorCode', 'int16', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
});
