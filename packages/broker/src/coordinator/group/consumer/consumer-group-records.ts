import {
  ConsumerGroupCurrentMemberAssignmentKeyCodec,
  ConsumerGroupCurrentMemberAssignmentValueCodec,
  ConsumerGroupMemberMetadataKeyCodec,
  ConsumerGroupMemberMetadataValueCodec,
  ConsumerGroupMetadataKeyCodec,
  ConsumerGroupMetadataValueCodec,
  ConsumerGroupPartitionMetadataKeyCodec,
  ConsumerGroupPartitionMetadataValueCodec,
  ConsumerGroupTargetAssignmentMemberKeyCodec,
  ConsumerGroupTargetAssignmentMemberValueCodec,
  ConsumerGroupTargetAssignmentMetadataKeyCodec,
  ConsumerGroupTargetAssignmentMetadataValueCodec,
  type MessageCodec,
  Reader,
} from '@samsa/protocol';
import type { CoordinatorRecord } from '../../coordinator-log.js';
import { decodeVersioned, encodeVersioned } from '../../versioned-record.js';
import { type Assignment, assignmentFromWire, assignmentToWire } from './assignment.js';
import type {
  ConsumerGroupMemberAssignmentState,
  ConsumerGroupMemberMetadata,
  MemberState,
} from './consumer-group-member.js';

/*
 * KIP-848 consumer group records in `__consumer_offsets`, as Kafka 4.0 writes them
 * (GroupCoordinatorRecordHelpers): the key version is the record type, every value is version 0
 * (flexible), and a null value is a tombstone.
 */
export const CONSUMER_GROUP_RECORD_TYPES = {
  groupMetadata: 3,
  partitionMetadata: 4,
  memberMetadata: 5,
  targetAssignmentMetadata: 6,
  targetAssignmentMember: 7,
  currentMemberAssignment: 8,
} as const;

const VALUE_VERSION = 0;

/** The subscribed topics' metadata the group's assignment was computed with. */
export interface SubscribedTopicMetadata {
  readonly topicId: string;
  readonly topicName: string;
  readonly numPartitions: number;
}

export type ConsumerGroupRecord =
  | { readonly type: 'group-metadata'; readonly groupId: string; readonly epoch: number | null }
  | {
      readonly type: 'partition-metadata';
      readonly groupId: string;
      readonly topics: readonly SubscribedTopicMetadata[] | null;
    }
  | {
      readonly type: 'member-metadata';
      readonly groupId: string;
      readonly memberId: string;
      readonly value: ConsumerGroupMemberMetadata | null;
    }
  | { readonly type: 'target-assignment-metadata'; readonly groupId: string; readonly assignmentEpoch: number | null }
  | {
      readonly type: 'target-assignment-member';
      readonly groupId: string;
      readonly memberId: string;
      readonly assignment: Assignment | null;
    }
  | {
      readonly type: 'current-member-assignment';
      readonly groupId: string;
      readonly memberId: string;
      readonly value: ConsumerGroupMemberAssignmentState | null;
    };

function record<K, V>(
  keyCodec: MessageCodec<unknown, K>,
  key: K,
  keyVersion: number,
  valueCodec: MessageCodec<unknown, V>,
  value: V | null,
): CoordinatorRecord {
  return {
    key: encodeVersioned(keyCodec, key, keyVersion),
    value: value === null ? null : encodeVersioned(valueCodec, value, VALUE_VERSION),
  };
}

export function groupMetadataRecord(groupId: string, epoch: number | null): CoordinatorRecord {
  return record(
    ConsumerGroupMetadataKeyCodec,
    { groupId },
    CONSUMER_GROUP_RECORD_TYPES.groupMetadata,
    ConsumerGroupMetadataValueCodec,
    epoch === null ? null : { epoch },
  );
}

export function partitionMetadataRecord(
  groupId: string,
  topics: readonly SubscribedTopicMetadata[] | null,
): CoordinatorRecord {
  return record(
    ConsumerGroupPartitionMetadataKeyCodec,
    { groupId },
    CONSUMER_GROUP_RECORD_TYPES.partitionMetadata,
    ConsumerGroupPartitionMetadataValueCodec,
    topics === null ? null : { topics: topics.map((t) => ({ ...t, partitionMetadata: [] })) },
  );
}

export function memberMetadataRecord(
  groupId: string,
  memberId: string,
  value: ConsumerGroupMemberMetadata | null,
): CoordinatorRecord {
  return record(
    ConsumerGroupMemberMetadataKeyCodec,
    { groupId, memberId },
    CONSUMER_GROUP_RECORD_TYPES.memberMetadata,
    ConsumerGroupMemberMetadataValueCodec,
    value === null ? null : { ...value, subscribedTopicNames: [...value.subscribedTopicNames] },
  );
}

export function targetAssignmentMetadataRecord(groupId: string, assignmentEpoch: number | null): CoordinatorRecord {
  return record(
    ConsumerGroupTargetAssignmentMetadataKeyCodec,
    { groupId },
    CONSUMER_GROUP_RECORD_TYPES.targetAssignmentMetadata,
    ConsumerGroupTargetAssignmentMetadataValueCodec,
    assignmentEpoch === null ? null : { assignmentEpoch },
  );
}

export function targetAssignmentMemberRecord(
  groupId: string,
  memberId: string,
  assignment: Assignment | null,
): CoordinatorRecord {
  return record(
    ConsumerGroupTargetAssignmentMemberKeyCodec,
    { groupId, memberId },
    CONSUMER_GROUP_RECORD_TYPES.targetAssignmentMember,
    ConsumerGroupTargetAssignmentMemberValueCodec,
    assignment === null ? null : { topicPartitions: assignmentToWire(assignment) },
  );
}

export function currentMemberAssignmentRecord(
  groupId: string,
  memberId: string,
  value: ConsumerGroupMemberAssignmentState | null,
): CoordinatorRecord {
  return record(
    ConsumerGroupCurrentMemberAssignmentKeyCodec,
    { groupId, memberId },
    CONSUMER_GROUP_RECORD_TYPES.currentMemberAssignment,
    ConsumerGroupCurrentMemberAssignmentValueCodec,
    value === null
      ? null
      : {
          memberEpoch: value.memberEpoch,
          previousMemberEpoch: value.previousMemberEpoch,
          state: value.state,
          assignedPartitions: assignmentToWire(value.assignedPartitions),
          partitionsPendingRevocation: assignmentToWire(value.partitionsPendingRevocation),
        },
  );
}

/** Whether a key version is one of the consumer group record types. */
export function isConsumerGroupRecordType(keyVersion: number): boolean {
  return keyVersion >= CONSUMER_GROUP_RECORD_TYPES.groupMetadata && keyVersion <= 8;
}

function readValue<T>(codec: MessageCodec<T, unknown>, value: Buffer | null): T | null {
  if (value === null) return null;
  const reader = new Reader(value);
  return decodeVersioned(codec, reader, reader.readInt16());
}

/** Decodes a consumer group record whose key (after its int16 version) is in `keyReader`. */
export function decodeConsumerGroupRecord(
  keyVersion: number,
  keyReader: Reader,
  value: Buffer | null,
): ConsumerGroupRecord {
  const T = CONSUMER_GROUP_RECORD_TYPES;
  switch (keyVersion) {
    case T.groupMetadata: {
      const { groupId } = decodeVersioned(ConsumerGroupMetadataKeyCodec, keyReader, keyVersion);
      return {
        type: 'group-metadata',
        groupId,
        epoch: readValue(ConsumerGroupMetadataValueCodec, value)?.epoch ?? null,
      };
    }
    case T.partitionMetadata: {
      const { groupId } = decodeVersioned(ConsumerGroupPartitionMetadataKeyCodec, keyReader, keyVersion);
      const decoded = readValue(ConsumerGroupPartitionMetadataValueCodec, value);
      return {
        type: 'partition-metadata',
        groupId,
        topics:
          decoded?.topics.map((t) => ({
            topicId: t.topicId,
            topicName: t.topicName,
            numPartitions: t.numPartitions,
          })) ?? null,
      };
    }
    case T.memberMetadata: {
      const { groupId, memberId } = decodeVersioned(ConsumerGroupMemberMetadataKeyCodec, keyReader, keyVersion);
      const decoded = readValue(ConsumerGroupMemberMetadataValueCodec, value);
      return {
        type: 'member-metadata',
        groupId,
        memberId,
        value:
          decoded === null
            ? null
            : {
                instanceId: decoded.instanceId,
                rackId: decoded.rackId,
                clientId: decoded.clientId,
                clientHost: decoded.clientHost,
                subscribedTopicNames: decoded.subscribedTopicNames,
                subscribedTopicRegex: decoded.subscribedTopicRegex,
                rebalanceTimeoutMs: decoded.rebalanceTimeoutMs,
                serverAssignor: decoded.serverAssignor,
              },
      };
    }
    case T.targetAssignmentMetadata: {
      const { groupId } = decodeVersioned(ConsumerGroupTargetAssignmentMetadataKeyCodec, keyReader, keyVersion);
      const decoded = readValue(ConsumerGroupTargetAssignmentMetadataValueCodec, value);
      return { type: 'target-assignment-metadata', groupId, assignmentEpoch: decoded?.assignmentEpoch ?? null };
    }
    case T.targetAssignmentMember: {
      const { groupId, memberId } = decodeVersioned(ConsumerGroupTargetAssignmentMemberKeyCodec, keyReader, keyVersion);
      const decoded = readValue(ConsumerGroupTargetAssignmentMemberValueCodec, value);
      return {
        type: 'target-assignment-member',
        groupId,
        memberId,
        assignment: decoded === null ? null : assignmentFromWire(decoded.topicPartitions),
      };
    }
    default: {
      const { groupId, memberId } = decodeVersioned(
        ConsumerGroupCurrentMemberAssignmentKeyCodec,
        keyReader,
        keyVersion,
      );
      const decoded = readValue(ConsumerGroupCurrentMemberAssignmentValueCodec, value);
      return {
        type: 'current-member-assignment',
        groupId,
        memberId,
        value:
          decoded === null
            ? null
            : {
                memberEpoch: decoded.memberEpoch,
                previousMemberEpoch: decoded.previousMemberEpoch,
                state: decoded.state as MemberState,
                assignedPartitions: assignmentFromWire(decoded.assignedPartitions),
                partitionsPendingRevocation: assignmentFromWire(decoded.partitionsPendingRevocation),
              },
      };
    }
  }
}
