import { defineApi, f } from '../dsl.js';

export const controlledShutdown = defineApi({
  apiKey: 7,
  name: 'ControlledShutdown',
  listeners: ['zkBroker', 'controller'],
  request: {
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [f('BrokerId', 'int32', '0+'), f('BrokerEpoch', 'int64', '2+', { default: -1, ignorable: true })],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      f('ErrorCode', 'int16', '0+'),
      f('RemainingPartitions', '[]RemainingPartition', '0+', {
        fields: [
          f('TopicName', 'string', '0+', { mapKey: true }),
          f('PartitionIndex', 'int32', '0+', { mapKey: true }),
        ],
      }),
    ],
  },
});
