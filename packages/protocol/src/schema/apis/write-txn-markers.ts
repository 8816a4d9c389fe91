import { defineApi, f } from '../dsl.js';

export const writeTxnMarkers = defineApi({
  apiKey: 27,
  name: 'WriteTxnMarkers',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('Markers', '[]WritableTxnMarker', '0+', {
        fields: [
          f('ProducerId', 'int64', '0+'),
          f('ProducerEpoch', 'int16', '0+'),
          f('TransactionResult', 'bool', '0+'),
          f('Topics', '[]WritableTxnMarkerTopic', '0+', {
            fields: [f('Name', 'string', '0+'), f('PartitionIndexes', '[]int32', '0+')],
          }),
          f('CoordinatorEpoch', 'int32', '0+'),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      f('Markers', '[]WritableTxnMarkerResult', '0+', {
        fields: [
          f('ProducerId', 'int64', '0+'),
          f('Topics', '[]WritableTxnMarkerTopicResult', '0+', {
            fields: [
              f('Name', 'string', '0+'),
              f('Partitions', '[]WritableTxnMarkerPartitionResult', '0+', {
                fields: [f('PartitionIndex', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
              }),
            ],
          }),
        ],
      }),
    ],
  },
});
