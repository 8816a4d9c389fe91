import { defineApi, f } from '../dsl.js';

export const readShareGroupStateSummary = defineApi({
  apiKey: 87,
  name: 'ReadShareGroupStateSummary',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    latestVersionUnstable: true,
    fields: [
      f('GroupId', 'string', '0+'),
      f('Topics', '[]ReadStateSummaryData', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [f('Partition', 'int32', '0+'), f('LeaderEpoch', 'int32', '0+')],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('Results', '[]ReadStateSummaryResult', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionResult', '0+', {
            fields: [
              f('Partition', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('StateEpoch', 'int32', '0+'),
              f('StartOffset', 'int64', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
});
