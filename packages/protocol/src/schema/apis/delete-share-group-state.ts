import { defineApi, f } from '../dsl.js';

export const deleteShareGroupState = defineApi({
  apiKey: 86,
  name: 'DeleteShareGroupState',
  listeners: ['broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    latestVersionUnstable: true,
    fields: [
      f('GroupId', 'string', '0+'),
      f('Topics', '[]DeleteStateData', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionData', '0+', { fields: [f('Partition', 'int32', '0+')] }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('Results', '[]DeleteStateResult', '0+', {
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
