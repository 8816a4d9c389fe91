import { defineApi, f, struct } from '../dsl.js';

export const updateMetadata = defineApi({
  apiKey: 6,
  name: 'UpdateMetadata',
  listeners: ['zkBroker'],
  request: {
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [
      f('ControllerId', 'int32', '0+'),
      f('isKRaftController', 'bool', '8+', { default: false }),
      f('Type', 'int8', '8+', { tag: 0, taggedVersions: '8+', default: 0 }),
      f('ControllerEpoch', 'int32', '0+'),
      f('BrokerEpoch', 'int64', '5+', { default: -1, ignorable: true }),
      f('UngroupedPartitionStates', '[]UpdateMetadataPartitionState', '0-4'),
      f('TopicStates', '[]UpdateMetadataTopicState', '5+', {
        fields: [
          f('TopicName', 'string', '5+'),
          f('TopicId', 'uuid', '7+', { ignorable: true }),
          f('PartitionStates', '[]UpdateMetadataPartitionState', '5+'),
        ],
      }),
      f('LiveBrokers', '[]UpdateMetadataBroker', '0+', {
        fields: [
          f('Id', 'int32', '0+'),
          f('V0Host', 'string', '0', { ignorable: true }),
          f('V0Port', 'int32', '0', { ignorable: true }),
          f('Endpoints', '[]UpdateMetadataEndpoint', '1+', {
            ignorable: true,
            fields: [
              f('Port', 'int32', '1+'),
              f('Host', 'string', '1+'),
              f('Listener', 'string', '3+', { ignorable: true }),
              f('SecurityProtocol', 'int16', '1+'),
            ],
          }),
          f('Rack', 'string', '2+', { nullableVersions: '0+', ignorable: true }),
        ],
      }),
    ],
    commonStructs: [
      struct('UpdateMetadataPartitionState', '0+', [
        f('TopicName', 'string', '0-4', { ignorable: true }),
        f('PartitionIndex', 'int32', '0+'),
        f('ControllerEpoch', 'int32', '0+'),
        f('Leader', 'int32', '0+'),
        f('LeaderEpoch', 'int32', '0+'),
        f('Isr', '[]int32', '0+'),
        f('ZkVersion', 'int32', '0+'),
        f('Replicas', '[]int32', '0+'),
        f('OfflineReplicas', '[]int32', '4+', { ignorable: true }),
      ]),
    ],
  },
  response: {
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [f('ErrorCode', 'int16', '0+')],
  },
});
