import { type Assignment, EMPTY_ASSIGNMENT } from './assignment.js';
import {
  type ConsumerGroupMember,
  INITIAL_ASSIGNMENT_STATE,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  MemberState,
} from './consumer-group-member.js';
import type { ConsumerGroupRecord, SubscribedTopicMetadata } from './consumer-group-records.js';
import { owns } from './current-assignment-builder.js';

/** The states of a consumer group as Kafka names them (ListGroups, ConsumerGroupDescribe). */
export const ConsumerGroupState = {
  Empty: 'Empty',
  Assigning: 'Assigning',
  Reconciling: 'Reconciling',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;
export type ConsumerGroupState = (typeof ConsumerGroupState)[keyof typeof ConsumerGroupState];

/** A timer of one member: its session, or the deadline to revoke partitions (its rebalance timeout). */
export interface MemberTimer {
  readonly kind: 'session' | 'revocation';
  readonly memberId: string;
  readonly deadlineMs: number;
}

/**
 * A KIP-848 consumer group (Kafka's ConsumerGroup): the group epoch (bumped by every change of
 * membership, subscriptions or subscribed topics' metadata), the target assignment and its epoch,
 * and the members with their current assignments. Persistent state changes only by `replay` of
 * its records; timers (sessions, revocation deadlines) are transient and restarted on load.
 */
export class ConsumerGroup {
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerGroupMember>();
  readonly targetAssignment = new Map<string, Assignment>();
  /** Instance id → member id of static members. */
  readonly staticMembers = new Map<string, string>();
  subscribedTopicMetadata: readonly SubscribedTopicMetadata[] = [];
  readonly sessionDeadlines = new Map<string, number>();
  readonly revocationDeadlines = new Map<string, number>();
  /**
   * The topics each subscribed regex matched when last resolved (transient). As Kafka resolves
   * regexes asynchronously, a new regex matches nothing until the group's next heartbeat.
   */
  readonly resolvedRegexes = new Map<string, readonly string[]>();

  constructor(readonly groupId: string) {}

  clone(): ConsumerGroup {
    const copy = new ConsumerGroup(this.groupId);
    copy.groupEpoch = this.groupEpoch;
    copy.assignmentEpoch = this.assignmentEpoch;
    copy.subscribedTopicMetadata = this.subscribedTopicMetadata;
    for (const [k, v] of this.members) copy.members.set(k, v);
    for (const [k, v] of this.targetAssignment) copy.targetAssignment.set(k, v);
    for (const [k, v] of this.staticMembers) copy.staticMembers.set(k, v);
    for (const [k, v] of this.sessionDeadlines) copy.sessionDeadlines.set(k, v);
    for (const [k, v] of this.revocationDeadlines) copy.revocationDeadlines.set(k, v);
    for (const [k, v] of this.resolvedRegexes) copy.resolvedRegexes.set(k, v);
    return copy;
  }

  get state(): ConsumerGroupState {
    if (this.members.size === 0) return ConsumerGroupState.Empty;
    if (this.groupEpoch > this.assignmentEpoch) return ConsumerGroupState.Assigning;
    for (const member of this.members.values()) {
      if (member.memberEpoch !== this.assignmentEpoch || member.state !== MemberState.STABLE) {
        return ConsumerGroupState.Reconciling;
      }
    }
    return ConsumerGroupState.Stable;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  targetOf(memberId: string): Assignment {
    return this.targetAssignment.get(memberId) ?? EMPTY_ASSIGNMENT;
  }

  memberByInstanceId(instanceId: string): ConsumerGroupMember | undefined {
    const memberId = this.staticMembers.get(instanceId);
    return memberId === undefined ? undefined : this.members.get(memberId);
  }

  /** Whether a member other than `memberId` owns the partition. */
  ownedByOther(memberId: string, topicId: string, partition: number): boolean {
    for (const member of this.members.values()) {
      if (member.memberId !== memberId && owns(member, topicId, partition)) return true;
    }
    return false;
  }

  /** The subscribed topic names of all members (regexes resolved by `resolveRegex`). */
  subscribedTopicNames(resolveRegex: (regex: string) => readonly string[]): Set<string> {
    const names = new Set<string>();
    for (const member of this.members.values()) {
      for (const name of member.subscribedTopicNames) names.add(name);
      if (member.subscribedTopicRegex !== null)
        for (const name of resolveRegex(member.subscribedTopicRegex)) names.add(name);
    }
    return names;
  }

  // ---- timers ----

  nextTimer(): MemberTimer | undefined {
    let next: MemberTimer | undefined;
    for (const [memberId, deadlineMs] of this.sessionDeadlines) {
      if (next === undefined || deadlineMs < next.deadlineMs) next = { kind: 'session', memberId, deadlineMs };
    }
    for (const [memberId, deadlineMs] of this.revocationDeadlines) {
      if (next === undefined || deadlineMs < next.deadlineMs) next = { kind: 'revocation', memberId, deadlineMs };
    }
    return next;
  }

  // ---- replay ----

  /** Applies one of the group's records. Returns false when a tombstone of the group metadata removed the group. */
  replay(record: ConsumerGroupRecord): boolean {
    switch (record.type) {
      case 'group-metadata':
        if (record.epoch === null) return false;
        this.groupEpoch = record.epoch;
        return true;
      case 'partition-metadata':
        this.subscribedTopicMetadata = record.topics ?? [];
        return true;
      case 'member-metadata': {
        const existing = this.members.get(record.memberId);
        if (record.value === null) {
          this.removeMember(record.memberId);
          return true;
        }
        const member: ConsumerGroupMember = {
          ...(existing ?? INITIAL_ASSIGNMENT_STATE),
          ...record.value,
          memberId: record.memberId,
        };
        if (existing?.instanceId != null && existing.instanceId !== member.instanceId) {
          this.staticMembers.delete(existing.instanceId);
        }
        this.members.set(record.memberId, member);
        if (member.instanceId !== null) this.staticMembers.set(member.instanceId, record.memberId);
        return true;
      }
      case 'target-assignment-metadata':
        this.assignmentEpoch = record.assignmentEpoch ?? 0;
        return true;
      case 'target-assignment-member':
        if (record.assignment === null) this.targetAssignment.delete(record.memberId);
        else this.targetAssignment.set(record.memberId, record.assignment);
        return true;
      case 'current-member-assignment': {
        const existing = this.members.get(record.memberId);
        if (existing === undefined) {
          // Kafka writes member metadata first; an assignment alone (or its tombstone) has no member to update.
          return true;
        }
        this.members.set(record.memberId, { ...existing, ...(record.value ?? INITIAL_ASSIGNMENT_STATE) });
        return true;
      }
    }
  }

  private removeMember(memberId: string): void {
    const member = this.members.get(memberId);
    if (member === undefined) return;
    this.members.delete(memberId);
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === memberId) {
      this.staticMembers.delete(member.instanceId);
    }
    this.sessionDeadlines.delete(memberId);
    this.revocationDeadlines.delete(memberId);
  }

  /** Whether the member left as a static member (epoch -2) and waits for its instance to come back. */
  static hasLeftTemporarily(member: ConsumerGroupMember): boolean {
    return member.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH;
  }
}
