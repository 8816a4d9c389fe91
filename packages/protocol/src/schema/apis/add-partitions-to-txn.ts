import { defineApi, f, struct } from '../dsl.js';

export const addPartitionsToTxn = defineApi({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      f('Transactions', '[]AddPartitionsToTxnTransaction', '4+', {
        fields: [
          f('TransactionalId', 'string', '4+', { mapKey: true }),
          f('ProducerId', 'int64', '4+'),
          f('ProducerEpoch', 'int16', '4+'),
          f('VerifyOnly', 'bool', '4+', { default: false }),
          f('Topics', '[]AddPartitionsToTxnTopic', '4+'),
        ],
      }),
      f('V3AndBelowTransactionalId', 'string', '0-3'),
      f('V3AndBelowProducerId', 'int64', '0-3'),
      f('V3AndBelowProducerEpoch', 'int16', '0-3'),
      f('V3AndBelowTopics', '[]AddPartitionsToTxnTopic', '0-3'),
    ],
    commonStructs: [
      struct('AddPartitionsToTxnTopic', '0+', [
        f('Name', 'string', '0+', { mapKey: true }),
        f('Partitions', '[]int32', '0+'),
      ]),
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '4+', { ignorable: true }),
      f('ResultsByTransaction', '[]AddPartitionsToTxnResult', '4+', {
        fields: [
          f('TransactionalId', 'string', '4+', { mapKey: true }),
          f('TopicResults', '[]AddPartitionsToTxnTopicResult', '4+'),
        ],
      }),
      f('ResultsByTopicV3AndBelow', '[]AddPartitionsToTxnTopicResult', '0-3'),
    ],
    commonStructs: [
      struct('AddPartitionsToTxnTopicResult', '0+', [
        f('Name', 'string', '0+', { mapKey: true }),
        f('ResultsByPartition', '[]AddPartitionsToTxnPartitionResult', '0+'),
      ]),
      struct('AddPartitionsToTxnPartitionResult', '0+', [
        f('PartitionIndex', 'int32', '0+', { mapKey: true }),
        f('PartitionErrorCode', 'int16', '0+'),
      ]),
    ],
  },
});
