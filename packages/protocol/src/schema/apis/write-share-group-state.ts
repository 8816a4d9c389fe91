import { defineApi, f } from '../dsl.js';

export const writeShareGroupState = defineApi({
  apiKey: 85,
  name: 'WriteShareGroupState',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    latestVersionUnstable: true,
    fields: [
      f('GroupId', 'string', '0+'),
      f('Topics', '[]WriteStateData', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('Partition', 'int32', '0+'),
              f('StateEpoch', 'int32', '0+'),
              f('LeaderEpoch', 'int32', '0+'),
              f('StartOffset', 'int64', '0+'),
              f('StateBatches', '[]StateBatch', '0+', {
                fields: [
                  f('FirstOffset', 'int64', '0+'),
                  f('LastOffset', 'int64', '0+'),
                  f('DeliveryState', 'int8', '0+'),
                  f('DeliveryCount', 'int16', '0+'),
                ],
              }),
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
      f('Results', '[]WriteStateResult', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionResult', '0+', {
            fields: [
              f('Partition', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
            ],
          }),
        ],
      }),
    ],
  },
});
