import { type Assignment, assignmentOf, hasPartition, isSubset } from './assignment.js';
import { type ConsumerGroupMember, MemberState } from './consumer-group-member.js';

export interface ReconcileInput {
  readonly member: ConsumerGroupMember;
  readonly targetAssignmentEpoch: number;
  /** The member's target assignment (empty when it has none). */
  readonly targetAssignment: Assignment;
  /** The partitions the member says it owns (the heartbeat's TopicPartitions), null when not sent. */
  readonly ownedTopicPartitions: Assignment | null;
  /** Whether another member still owns (assigned or pending revocation) the partition. */
  readonly ownedByOther: (topicId: string, partition: number) => boolean;
}

/**
 * Moves a member towards its target assignment (Kafka's CurrentAssignmentBuilder). The invariant
 * is that a partition is never owned by two members: a member first gets its epoch bumped only
 * after it has revoked the partitions it loses (UNREVOKED_PARTITIONS until its heartbeat shows
 * them gone), and it gets partitions still owned by others only once they are released
 * (UNRELEASED_PARTITIONS meanwhile).
 */
export function reconcile(input: ReconcileInput): ConsumerGroupMember {
  const { member, targetAssignmentEpoch } = input;
  switch (member.state) {
    case MemberState.STABLE:
      if (member.memberEpoch !== targetAssignmentEpoch)
        return computeNext(input, member.memberEpoch, input.targetAssignment);
      return member;
    case MemberState.UNREVOKED_PARTITIONS:
      // Revocation is acknowledged when the partitions the member owns are within what it keeps.
      if (input.ownedTopicPartitions !== null && isSubset(input.ownedTopicPartitions, member.assignedPartitions)) {
        return computeNext(input, member.memberEpoch, input.targetAssignment);
      }
      return member;
    case MemberState.UNRELEASED_PARTITIONS:
      return computeNext(input, member.memberEpoch, input.targetAssignment);
    default:
      return computeNext(input, member.memberEpoch, input.targetAssignment);
  }
}

function computeNext(input: ReconcileInput, memberEpoch: number, target: Assignment): ConsumerGroupMember {
  const { member, targetAssignmentEpoch } = input;
  const keep: [string, number[]][] = [];
  const revoke: [string, number[]][] = [];
  const gain: [string, number[]][] = [];
  let unreleased = false;
  const topics = new Set([...member.assignedPartitions.keys(), ...target.keys()]);
  for (const topicId of topics) {
    const current = member.assignedPartitions.get(topicId) ?? [];
    const wanted = target.get(topicId) ?? [];
    keep.push([topicId, current.filter((p) => wanted.includes(p))]);
    revoke.push([topicId, current.filter((p) => !wanted.includes(p))]);
    const fresh = wanted.filter((p) => !current.includes(p));
    const free = fresh.filter((p) => !input.ownedByOther(topicId, p));
    if (free.length < fresh.length) unreleased = true;
    gain.push([topicId, free]);
  }
  const revoking = assignmentOf(revoke);
  if (revoking.size > 0) {
    // Keep the epoch: the member must revoke before it may move to the next one.
    return {
      ...member,
      state: MemberState.UNREVOKED_PARTITIONS,
      memberEpoch,
      previousMemberEpoch: member.previousMemberEpoch,
      assignedPartitions: assignmentOf(keep),
      partitionsPendingRevocation: revoking,
    };
  }
  return {
    ...member,
    state: unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    memberEpoch: targetAssignmentEpoch,
    previousMemberEpoch: member.memberEpoch === targetAssignmentEpoch ? member.previousMemberEpoch : memberEpoch,
    assignedPartitions: assignmentOf([...keep, ...gain]),
    partitionsPendingRevocation: assignmentOf([]),
  };
}

/** Whether a member owns the partition: assigned to it or still to be revoked by it. */
export function owns(member: ConsumerGroupMember, topicId: string, partition: number): boolean {
  return (
    hasPartition(member.assignedPartitions, topicId, partition) ||
    hasPartition(member.partitionsPendingRevocation, topicId, partition)
  );
}
