import { defineApi, f } from '../dsl.js';

export const offsetDelete = defineApi({
  apiKey: 47,
  name: 'OffsetDelete',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      f('GroupId', 'string', '0+'),
      f('Topics', '[]OffsetDeleteRequestTopic', '0+', {
        fields: [
          f('Name', 'string', '0+', { mapKey: true }),
          f('Partitions', '[]OffsetDeleteRequestPartition', '0+', { fields: [f('PartitionIndex', 'int32', '0+')] }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('ThrottleTimeMs', 'int32', '0+', { ignorable: true }),
      f('Topics', '[]OffsetDeleteResponseTopic', '0+', {
        fields: [
          f('Name', 'string', '0+', { mapKey: true }),
          f('Partitions', '[]OffsetDeleteResponsePartition', '0+', {
            fields: [f('PartitionIndex', 'int32', '0+', { mapKey: true }), f('ErrorCode', 'int16', '0+')],
          }),
        ],
      }),
    ],
  },
});
