import { type Assignment, assignmentOf, EMPTY_ASSIGNMENT, hasPartition } from './assignment.js';
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
      if (member.memberEpoch !== targetAssignmentEpoch) return computeNext(input, member.memberEpoch);
      return member;
    case MemberState.UNREVOKED_PARTITIONS:
      // Revoked once the member's owned partitions no longer include any of them; then it moves
      // to the next epoch (and on towards the target).
      if (ownsAnyOf(input.ownedTopicPartitions, member.partitionsPendingRevocation)) return member;
      return computeNext(input, member.memberEpoch + 1);
    case MemberState.UNRELEASED_PARTITIONS:
      return computeNext(input, member.memberEpoch);
    default:
      return computeNext(input, targetAssignmentEpoch);
  }
}

/**
 * Whether the member (by its heartbeat's owned partitions) still owns any of `partitions`; an
 * unknown ownership (the heartbeat did not say) counts as owning.
 */
function ownsAnyOf(owned: Assignment | null, partitions: Assignment): boolean {
  if (owned === null) return true;
  for (const [topicId, ps] of owned) {
    for (const p of ps) if (hasPartition(partitions, topicId, p)) return true;
  }
  return false;
}

function computeNext(input: ReconcileInput, memberEpoch: number): ConsumerGroupMember {
  const { member, targetAssignmentEpoch } = input;
  const target = input.targetAssignment;
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
  // A member that already dropped them (say, partitions of a deleted topic) has nothing to revoke.
  if (revoking.size > 0 && ownsAnyOf(input.ownedTopicPartitions, revoking)) {
    // It stays at its epoch: it must revoke before it may move on.
    return {
      ...member,
      state: MemberState.UNREVOKED_PARTITIONS,
      memberEpoch,
      previousMemberEpoch: member.memberEpoch,
      assignedPartitions: assignmentOf(keep),
      partitionsPendingRevocation: revoking,
    };
  }
  return {
    ...member,
    state: unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    memberEpoch: targetAssignmentEpoch,
    previousMemberEpoch: member.memberEpoch,
    assignedPartitions: assignmentOf([...keep, ...gain]),
    partitionsPendingRevocation: EMPTY_ASSIGNMENT,
  };
}

/** Whether a member owns the partition: assigned to it or still to be revoked by it. */
export function owns(member: ConsumerGroupMember, topicId: string, partition: number): boolean {
  return (
    hasPartition(member.assignedPartitions, topicId, partition) ||
    hasPartition(member.partitionsPendingRevocation, topicId, partition)
  );
}
