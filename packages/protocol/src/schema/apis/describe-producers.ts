import { defineApi, f } from '../dsl.js';

export const describeProducers = defineApi({
  apiKey: 61,
  name: 'DescribeProducers',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('Topics', '[]TopicRequest', '0+', {
        fields: [f('Name', 'string', '0+'), f('PartitionIndexes', '[]int32', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Topics', '[]TopicResponse', '0+', {
        fields: [
          f('Name', 'string', '0+'),
          f('Partitions', '[]PartitionResponse', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('ActiveProducers', '[]ProducerState', '0+', {
                fields: [
                  f('ProducerId', 'int64', '0+'),
                  f('ProducerEpoch', 'int32', '0+'),
                  f('LastSequence', 'int32', '0+', { default: -1 }),
                  f('LastTimestamp', 'int64', '0+', { default: -1 }),
                  f('CoordinatorEpoch', 'int32', '0+'),
                  f('CurrentTxnStartOffset', 'int64', '0+', { default: -1 }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  },
});
