import { defineApi, f } from '../dsl.js';

// Version 0 was Kafka 4.0's early access to KIP-932 and is gone from 4.1; version 1 is the first
// stable one, which librdkafka 2.15 speaks.

export const shareAcknowledge = defineApi({
  apiKey: 79,
  name: 'ShareAcknowledge',
  listeners: ['broker'],
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('GroupId', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('MemberId', 'string', '0+', { nullableVersions: '0+' }),
      f('ShareSessionEpoch', 'int32', '0+'),
      f('Topics', '[]AcknowledgeTopic', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]AcknowledgePartition', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('AcknowledgementBatches', '[]AcknowledgementBatch', '0+', {
                fields: [
                  f('FirstOffset', 'int64', '0+'),
                  f('LastOffset', 'int64', '0+'),
                  f('AcknowledgeTypes', '[]int8', '0+'),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+', { ignorable: true }),
      f('ErrorCode', 'int16', '0+', { ignorable: true }),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('Responses', '[]ShareAcknowledgeTopicResponse', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+', { ignorable: true }),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('CurrentLeader', 'LeaderIdAndEpoch', '0+', {
                fields: [f('LeaderId', 'int32', '0+'), f('LeaderEpoch', 'int32', '0+')],
              }),
            ],
          }),
        ],
      }),
      f('NodeEndpoints', '[]NodeEndpoint', '0+', {
        fields: [
          f('NodeId', 'int32', '0+', { mapKey: true }),
          f('Host', 'string', '0+'),
          f('Port', 'int32', '0+'),
          f('Rack', 'string', '0+', { nullableVersions: '0+', default: null }),
        ],
      }),
    ],
  },
});
