import { defineMessage, f, struct } from '../dsl.js';

/*
 * The `__consumer_offsets` records of KIP-848 consumer groups (Kafka 4.0's group-coordinator
 * message specs). A key's only version is the record type Kafka writes as the key version:
 * 3 group metadata, 4 partition metadata, 5 member metadata, 6 target assignment metadata,
 * 7 target assignment member, 8 current member assignment. Values are version 0, flexible.
 */

export const consumerGroupMetadataKey = defineMessage('ConsumerGroupMetadataKey', 'data', {
  validVersions: '3',
  flexibleVersions: 'none',
  fields: [f('GroupId', 'string', '3')],
});

export const consumerGroupMetadataValue = defineMessage('ConsumerGroupMetadataValue', 'data', {
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [f('Epoch', 'int32', '0+')],
});

export const consumerGroupPartitionMetadataKey = defineMessage('ConsumerGroupPartitionMetadataKey', 'data', {
  validVersions: '4',
  flexibleVersions: 'none',
  fields: [f('GroupId', 'string', '4')],
});

export const consumerGroupPartitionMetadataValue = defineMessage('ConsumerGroupPartitionMetadataValue', 'data', {
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    f('Topics', '[]TopicMetadata', '0+', {
      fields: [
        f('TopicId', 'uuid', '0+'),
        f('TopicName', 'string', '0+'),
        f('NumPartitions', 'int32', '0+'),
        f('PartitionMetadata', '[]PartitionMetadata', '0+', {
          fields: [f('Partition', 'int32', '0+'), f('Racks', '[]string', '0+')],
        }),
      ],
    }),
  ],
});

export const consumerGroupMemberMetadataKey = defineMessage('ConsumerGroupMemberMetadataKey', 'data', {
  validVersions: '5',
  flexibleVersions: 'none',
  fields: [f('GroupId', 'string', '5'), f('MemberId', 'string', '5')],
});

export const consumerGroupMemberMetadataValue = defineMessage('ConsumerGroupMemberMetadataValue', 'data', {
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    f('InstanceId', 'string', '0+', { nullableVersions: '0+' }),
    f('RackId', 'string', '0+', { nullableVersions: '0+' }),
    f('ClientId', 'string', '0+'),
    f('ClientHost', 'string', '0+'),
    f('SubscribedTopicNames', '[]string', '0+'),
    f('SubscribedTopicRegex', 'string', '0+', { nullableVersions: '0+' }),
    f('RebalanceTimeoutMs', 'int32', '0+', { default: -1 }),
    f('ServerAssignor', 'string', '0+', { nullableVersions: '0+' }),
  ],
});

export const consumerGroupTargetAssignmentMetadataKey = defineMessage(
  'ConsumerGroupTargetAssignmentMetadataKey',
  'data',
  { validVersions: '6', flexibleVersions: 'none', fields: [f('GroupId', 'string', '6')] },
);

export const consumerGroupTargetAssignmentMetadataValue = defineMessage(
  'ConsumerGroupTargetAssignmentMetadataValue',
  'data',
  { validVersions: '0', flexibleVersions: '0+', fields: [f('AssignmentEpoch', 'int32', '0+')] },
);

export const consumerGroupTargetAssignmentMemberKey = defineMessage('ConsumerGroupTargetAssignmentMemberKey', 'data', {
  validVersions: '7',
  flexibleVersions: 'none',
  fields: [f('GroupId', 'string', '7'), f('MemberId', 'string', '7')],
});

export const consumerGroupTargetAssignmentMemberValue = defineMessage(
  'ConsumerGroupTargetAssignmentMemberValue',
  'data',
  {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('TopicPartitions', '[]TopicPartition', '0+', {
        fields: [f('TopicId', 'uuid', '0+'), f('Partitions', '[]int32', '0+')],
      }),
    ],
  },
);

export const consumerGroupCurrentMemberAssignmentKey = defineMessage(
  'ConsumerGroupCurrentMemberAssignmentKey',
  'data',
  { validVersions: '8', flexibleVersions: 'none', fields: [f('GroupId', 'string', '8'), f('MemberId', 'string', '8')] },
);

export const consumerGroupCurrentMemberAssignmentValue = defineMessage(
  'ConsumerGroupCurrentMemberAssignmentValue',
  'data',
  {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      f('MemberEpoch', 'int32', '0+'),
      f('PreviousMemberEpoch', 'int32', '0+'),
      f('State', 'int8', '0+'),
      f('AssignedPartitions', '[]TopicPartitions', '0+'),
      f('PartitionsPendingRevocation', '[]TopicPartitions', '0+'),
    ],
    commonStructs: [struct('TopicPartitions', '0+', [f('TopicId', 'uuid', '0+'), f('Partitions', '[]int32', '0+')])],
  },
);
