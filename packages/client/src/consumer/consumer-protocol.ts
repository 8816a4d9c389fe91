import {
  ConsumerProtocolAssignmentCodec,
  ConsumerProtocolSubscriptionCodec,
  decodeMessage,
  encodeMessage,
} from '@samsa/protocol';
import { groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { MemberAssignment, MemberSubscription } from './assignors/partition-assignor.js';

/**
 * The consumer protocol's opaque bytes in JoinGroup and SyncGroup (Kafka's ConsumerProtocol):
 * a member's subscription (topics, user data, owned partitions, generation, rack) and the
 * leader's assignment, each as a 2-byte version followed by the struct at that version. Read
 * at the sender's version — or at ours when it is newer, since fields are only ever appended.
 */
const SUBSCRIPTION_VERSION = 3;
const ASSIGNMENT_VERSION = 1;

export function encodeSubscription(sub: {
  topics: readonly string[];
  userData: Buffer | null;
  ownedPartitions: readonly TopicPartition[];
  generationId: number;
  rackId: string | null;
}): Buffer {
  const body = encodeMessage(
    ConsumerProtocolSubscriptionCodec,
    {
      topics: [...sub.topics],
      userData: sub.userData,
      ownedPartitions: groupByTopic(sub.ownedPartitions),
      generationId: sub.generationId,
      rackId: sub.rackId,
    },
    SUBSCRIPTION_VERSION,
  );
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(SUBSCRIPTION_VERSION, 0);
  body.copy(out, 2);
  return out;
}

/** Reads a member's subscription at its version (a newer version is read as our newest: fields only append). */
export function decodeSubscription(
  memberId: string,
  groupInstanceId: string | null,
  bytes: Buffer,
): MemberSubscription {
  const version = Math.min(bytes.readInt16BE(0), ConsumerProtocolSubscriptionCodec.maxVersion);
  const sub = decodeMessage(ConsumerProtocolSubscriptionCodec, bytes.subarray(2), version);
  const owned: TopicPartition[] = [];
  for (const t of sub.ownedPartitions) for (const partition of t.partitions) owned.push({ topic: t.topic, partition });
  return {
    memberId,
    groupInstanceId,
    topics: sub.topics,
    userData: sub.userData,
    ownedPartitions: owned,
    generationId: version >= 2 ? sub.generationId : -1,
    rackId: version >= 3 ? sub.rackId : null,
  };
}

export function encodeAssignment(assignment: MemberAssignment): Buffer {
  const body = encodeMessage(
    ConsumerProtocolAssignmentCodec,
    { assignedPartitions: groupByTopic(assignment.partitions), userData: assignment.userData ?? null },
    ASSIGNMENT_VERSION,
  );
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(ASSIGNMENT_VERSION, 0);
  body.copy(out, 2);
  return out;
}

export function decodeAssignment(bytes: Buffer): TopicPartition[] {
  return decodeMemberAssignment(bytes).partitions;
}

/** The assignment with its user data (for the assignor's `onAssignment`). */
export function decodeMemberAssignment(bytes: Buffer): MemberAssignment & { userData: Buffer | null } {
  if (bytes.length < 2) return { partitions: [], userData: null };
  const version = Math.min(bytes.readInt16BE(0), ConsumerProtocolAssignmentCodec.maxVersion);
  const a = decodeMessage(ConsumerProtocolAssignmentCodec, bytes.subarray(2), version);
  const out: TopicPartition[] = [];
  for (const t of a.assignedPartitions) for (const partition of t.partitions) out.push({ topic: t.topic, partition });
  return { partitions: out, userData: a.userData };
}
