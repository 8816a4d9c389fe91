import { defineApi, f } from '../dsl.js';

// Version 0 was Kafka 4.0's early access to KIP-932 and is gone from 4.1; version 1 is the first
// stable one, which librdkafka 2.15 speaks. v0's PartitionMaxBytes is left out: no valid version has it.

export const shareFetch = defineApi({
  apiKey: 78,
  name: 'ShareFetch',
  listeners: ['broker'],
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('GroupId', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('MemberId', 'string', '0+', { nullableVersions: '0+' }),
      f('ShareSessionEpoch', 'int32', '0+'),
      f('MaxWaitMs', 'int32', '0+'),
      f('MinBytes', 'int32', '0+'),
      f('MaxBytes', 'int32', '0+', { default: 0x7fffffff }),
      f('MaxRecords', 'int32', '1+'),
      f('BatchSize', 'int32', '1+'),
      f('Topics', '[]FetchTopic', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]FetchPartition', '0+', {
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
      f('ForgottenTopicsData', '[]ForgottenTopic', '0+', {
        fields: [f('TopicId', 'uuid', '0+'), f('Partitions', '[]int32', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('AcquisitionLockTimeoutMs', 'int32', '1+'),
      f('Responses', '[]ShareFetchableTopicResponse', '0+', {
        fields: [
          f('TopicId', 'uuid', '0+'),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('AcknowledgeErrorCode', 'int16', '0+'),
              f('AcknowledgeErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('CurrentLeader', 'LeaderIdAndEpoch', '0+', {
                fields: [f('LeaderId', 'int32', '0+'), f('LeaderEpoch', 'int32', '0+')],
              }),
              f('Records', 'records', '0+', { nullableVersions: '0' }),
              f('AcquiredRecords', '[]AcquiredRecords', '0+', {
                fields: [
                  f('FirstOffset', 'int64', '0+'),
                  f('LastOffset', 'int64', '0+'),
                  f('DeliveryCount', 'int16', '0+'),
                ],
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
