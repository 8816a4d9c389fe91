import { type Assignment, EMPTY_ASSIGNMENT } from './assignment.js';

/**
 * Where a member stands in its reconciliation with the target assignment (Kafka's MemberState;
 * the numbers are what the CurrentMemberAssignment record stores).
 * - STABLE: it owns its whole target assignment at the assignment epoch.
 * - UNREVOKED_PARTITIONS: it must first give up partitions (and say so in a heartbeat) before
 *   it gets the next epoch and new partitions.
 * - UNRELEASED_PARTITIONS: it is at the target epoch, but some of its target partitions are
 *   still owned by members that have not revoked them yet.
 */
export const MemberState = {
  STABLE: 0,
  UNREVOKED_PARTITIONS: 1,
  UNRELEASED_PARTITIONS: 2,
  UNKNOWN: 127,
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

export function memberStateName(state: MemberState): string {
  switch (state) {
    case MemberState.STABLE:
      return 'stable';
    case MemberState.UNREVOKED_PARTITIONS:
      return 'unrevoked_partitions';
    case MemberState.UNRELEASED_PARTITIONS:
      return 'unreleased_partitions';
    default:
      return 'unknown';
  }
}

/** Member epoch of a heartbeat leaving the group (dynamic member). */
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
/** Member epoch of a static member leaving temporarily: it keeps its assignment until its session expires. */
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

/** What the member metadata record stores: the member's identity and subscription. */
export interface ConsumerGroupMemberMetadata {
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly serverAssignor: string | null;
}

/** What the current member assignment record stores. */
export interface ConsumerGroupMemberAssignmentState {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assignedPartitions: Assignment;
  readonly partitionsPendingRevocation: Assignment;
}

/** A member of a consumer group: immutable; a change replaces it. */
export interface ConsumerGroupMember extends ConsumerGroupMemberMetadata, ConsumerGroupMemberAssignmentState {
  readonly memberId: string;
}

export const INITIAL_ASSIGNMENT_STATE: ConsumerGroupMemberAssignmentState = Object.freeze({
  memberEpoch: 0,
  previousMemberEpoch: 0,
  state: MemberState.STABLE,
  assignedPartitions: EMPTY_ASSIGNMENT,
  partitionsPendingRevocation: EMPTY_ASSIGNMENT,
});

export function sameMetadata(a: ConsumerGroupMemberMetadata, b: ConsumerGroupMemberMetadata): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.subscribedTopicRegex === b.subscribedTopicRegex &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor &&
    a.subscribedTopicNames.length === b.subscribedTopicNames.length &&
    a.subscribedTopicNames.every((t, i) => b.subscribedTopicNames[i] === t)
  );
}
