import { defineApi, f } from '../dsl.js';

export const alterPartition = defineApi({
  apiKey: 56,
  name: 'AlterPartition',
  listeners: ['zkBroker', 'controller'],
  request: {
    validVersions: '0-3',
    flexibleVersions: '0+',
    fields: [
      f('BrokerId', 'int32', '0+'),
      f('BrokerEpoch', 'int64', '0+', { default: -1 }),
      f('Topics', '[]TopicData', '0+', {
        fields: [
          f('TopicName', 'string', '0-1', { ignorable: true }),
          f('TopicId', 'uuid', '2+', { ignorable: true }),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('LeaderEpoch', 'int32', '0+'),
              f('NewIsr', '[]int32', '0-2'),
              f('NewIsrWithEpochs', '[]BrokerState', '3+', {
                fields: [f('BrokerId', 'int32', '3+'), f('BrokerEpoch', 'int64', '3+', { default: -1 })],
              }),
              f('LeaderRecoveryState', 'int8', '1+', { default: 0 }),
              f('PartitionEpoch', 'int32', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('Topics', '[]TopicData', '0+', {
        fields: [
          f('TopicName', 'string', '0-1', { ignorable: true }),
          f('TopicId', 'uuid', '2+', { ignorable: true }),
          f('Partitions', '[]PartitionData', '0+', {
            fields: [
              f('PartitionIndex', 'int32', '0+'),
              f('ErrorCode', 'int16', '0+'),
              f('LeaderId', 'int32', '0+'),
              f('LeaderEpoch', 'int32', '0+'),
              f('Isr', '[]int32', '0+'),
              f('LeaderRecoveryState', 'int8', '1+', { default: 0, ignorable: true }),
              f('PartitionEpoch', 'int32', '0+'),
            ],
          }),
        ],
      }),
    ],
  },
});
