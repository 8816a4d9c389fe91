import { defineApi, f, struct } from '../dsl.js';

export const describeQuorum = defineApi({
  apiKey: 55,
  name: 'DescribeQuorum',
  listeners: ['broker', 'controller'],
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      f('Topics', '[]TopicData', '0+', {
        fields: [
          f('TopicName', 'string', '0+'),
          f('Partitions', '[]PartitionData', '0+', { fields: [f('PartitionIndex', 'int32', '0+')] }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '2+', { nullableVersions: '2+', ignorable: true }),
      f('Topics', '[]TopicData', '0+', {
        fields: [
          f('TopicName', 'string', '0+'),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('ErrorMessage', 'string', '2+', { nullableVersions: '2+', ignorable: true }),
              f('LeaderId', 'int32', '0+'),
              f('LeaderEpoch', 'int32', '0+'),
              f('HighWatermark', 'int64', '0+'),
              f('CurrentVoters', '[]ReplicaState', '0+'),
              f('Observers', '[]ReplicaState', '0+'),
            ],
          }),
        ],
      }),
      f('Nodes', '[]Node', '2+', {
        fields: [
          f('NodeId', 'int32', '2+', { mapKey: true }),
          f('Listeners', '[]Listener', '2+', {
            fields: [f('Name', 'string', '2+', { mapKey: true }), f('Host', 'string', '2+'), f('Port', 'uint16', '2+')],
          }),
        ],
      }),
    ],
    commonStructs: [
      struct('ReplicaState', '0+', [
        f('ReplicaId', 'int32', '0+'),
        f('ReplicaDirectoryId', 'uuid', '2+'),
        f('LogEndOffset', 'int64', '0+'),
        f('LastFetchTimestamp', 'int64', '1+', { default: -1, ignorable: true }),
        f('LastCaughtUpTimestamp', 'int64', '1+', { default: -1, ignorable: true }),
      ]),
    ],
  },
});
