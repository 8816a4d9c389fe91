import { defineApi, f } from '../dsl.js';

export const fetch = defineApi({
  apiKey: 1,
  name: 'Fetch',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-17',
    deprecatedVersions: '0-3',
    flexibleVersions: '12+',
    fields: [
      f('ClusterId', 'string', '12+', {
        nullableVersions: '12+',
        tag: 0,
        taggedVersions: '12+',
        default: null,
        ignorable: true,
      }),
      f('ReplicaId', 'int32', '0-14', { default: -1 }),
      f('ReplicaState', 'ReplicaState', '15+', {
        tag: 1,
        taggedVersions: '15+',
        fields: [f('ReplicaId', 'int32', '15+', { default: -1 }), f('ReplicaEpoch', 'int64', '15+', { default: -1 })],
      }),
      f('MaxWaitMs', 'int32', '0+'),
      f('MinBytes', 'int32', '0+'),
      f('MaxBytes', 'int32', '3+', { default: 0x7fffffff, ignorable: true }),
      f('IsolationLevel', 'int8', '4+', { default: 0, ignorable: true }),
      f('SessionId', 'int32', '7+', { default: 0, ignorable: true }),
      f('SessionEpoch', 'int32', '7+', { default: -1, ignorable: true }),
      f('Topics', '[]FetchTopic', '0+', {
        fields: [
          f('Topic', 'string', '0-12', { ignorable: true }),
          f('TopicId', 'uuid', '13+', { ignorable: true }),
          f('Partitions', '[]FetchPartition', '0+', {
            fields: [
              f('Partition', 'int32', '0+'),
              f('CurrentLeaderEpoch', 'int32', '9+', { default: -1, ignorable: true }),
              f('FetchOffset', 'int64', '0+'),
              f('LastFetchedEpoch', 'int32', '12+', { default: -1 }),
              f('LogStartOffset', 'int64', '5+', { default: -1, ignorable: true }),
              f('PartitionMaxBytes', 'int32', '0+'),
              f('ReplicaDirectoryId', 'uuid', '17+', { tag: 0, taggedVersions: '17+', ignorable: true }),
            ],
          }),
        ],
      }),
      f('ForgottenTopicsData', '[]ForgottenTopic', '7+', {
        fields: [
          f('Topic', 'string', '7-12', { ignorable: true }),
          f('TopicId', 'uuid', '13+', { ignorable: true }),
          f('Partitions', '[]int32', '7+'),
        ],
      }),
      f('RackId', 'string', '11+', { default: '', ignorable: true }),
    ],
  },
  response: {
    validVersions: '0-17',
    flexibleVersions: '12+',
    fields: [
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('ErrorCode', 'int16', '7+', { ignorable: true }),
      f('SessionId', 'int32', '7+', { default: 0 }),
      f('Responses', '[]FetchableTopicResponse', '0+', {
        fields: [
          f('Topic', 'string', '0-12', { ignorable: true }),
          f('TopicId', 'uuid', '13+', { ignorable: true }),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('HighWatermark', 'int64', '0+'),
              f('LastStableOffset', 'int64', '4+', { default: -1, ignorable: true }),
              f('LogStartOffset', 'int64', '5+', { default: -1, ignorable: true }),
              f('DivergingEpoch', 'EpochEndOffset', '12+', {
                tag: 0,
                taggedVersions: '12+',
                fields: [f('Epoch', 'int32', '12+', { default: -1 }), f('EndOffset', 'int64', '12+', { default: -1 })],
              }),
              f('CurrentLeader', 'LeaderIdAndEpoch', '12+', {
                tag: 1,
                taggedVersions: '12+',
                fields: [
                  f('LeaderId', 'int32', '12+', { default: -1 }),
                  f('LeaderEpoch', 'int32', '12+', { default: -1 }),
                ],
              }),
              f('SnapshotId', 'SnapshotId', '12+', {
                tag: 2,
                taggedVersions: '12+',
                fields: [f('EndOffset', 'int64', '0+', { default: -1 }), f('Epoch', 'int32', '0+', { default: -1 })],
              }),
              f('AbortedTransactions', '[]AbortedTransaction', '4+', {
                nullableVersions: '4+',
                ignorable: true,
                fields: [f('ProducerId', 'int64', '4+'), f('FirstOffset', 'int64', '4+')],
              }),
              f('PreferredReadReplica', 'int32', '11+', { default: -1 }),
              f('Records', 'records', '0+', { nullableVersions: '0+' }),
            ],
          }),
        ],
      }),
      f('NodeEndpoints', '[]NodeEndpoint', '16+', {
        tag: 0,
        taggedVersions: '16+',
        fields: [
          f('NodeId', 'int32', '16+', { mapKey: true }),
          f('Host', 'string', '16+'),
          f('Port', 'int32', '16+'),
          f('Rack', 'string', '16+', { nullableVersions: '16+', default: null }),
        ],
      }),
    ],
  },
});
