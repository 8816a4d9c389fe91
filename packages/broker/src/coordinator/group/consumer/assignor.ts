import type { Assignment } from './assignment.js';

/** What a server-side assignor sees of one member. */
export interface AssignmentMemberSpec {
  readonly memberId: string;
  /** Ids of the topics it subscribes to that exist. */
  readonly subscribedTopicIds: ReadonlySet<string>;
  /** Its current target assignment, which assignors keep where they can (stickiness). */
  readonly currentAssignment: Assignment;
}

/** The group's members and the partition counts of the topics they subscribe to, by topic id. */
export interface GroupAssignmentSpec {
  readonly members: readonly AssignmentMemberSpec[];
  readonly partitionCounts: ReadonlyMap<string, number>;
}

/** Kafka's ConsumerGroupPartitionAssignor: computes the target assignment of every member. */
export interface ConsumerGroupPartitionAssignor {
  readonly name: string;
  assign(spec: GroupAssignmentSpec): Map<string, Assignment>;
}
