import { type Assignment, EMPTY_ASSIGNMENT } from '../consumer/assignment.js';

/** The group type ListGroups reports for KIP-932 share groups, and their protocol type. */
export const SHARE_GROUP_TYPE = 'share';

export interface ShareGroupMember {
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly assignment: Assignment;
}

/**
 * One share group: its members, the group epoch (bumped by every change of members,
 * subscriptions or subscribed partitions) and the epoch of the assignment last computed. A share
 * member takes its target assignment at once: partitions are shared, so nothing waits for a
 * revocation, as in Kafka.
 */
export class ShareGroup {
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ShareGroupMember>();
  readonly sessionDeadlines = new Map<string, number>();
  /** Partition counts of the subscribed topics when the group epoch was last bumped (by topic id). */
  subscribedPartitionCounts: ReadonlyMap<string, number> = new Map();

  constructor(readonly groupId: string) {}

  /** Kafka's ShareGroup states: Empty, Stable (no reconciliation in share groups), Dead once removed. */
  get state(): 'Empty' | 'Stable' {
    return this.members.size === 0 ? 'Empty' : 'Stable';
  }

  assignmentOf(memberId: string): Assignment {
    return this.members.get(memberId)?.assignment ?? EMPTY_ASSIGNMENT;
  }

  /** The topics any member subscribes to. */
  subscribedTopicNames(): Set<string> {
    const names = new Set<string>();
    for (const member of this.members.values()) for (const name of member.subscribedTopicNames) names.add(name);
    return names;
  }
}
