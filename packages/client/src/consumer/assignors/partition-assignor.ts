import type { TopicPartition } from '../../common/topic-partition.js';

/** EAGER revokes everything before a rebalance; COOPERATIVE only what moves (KIP-429). */
export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

/** One member's subscription as the leader sees it (ConsumerProtocolSubscription). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  /** What the member owned in `generationId` (subscription v1+). */
  readonly ownedPartitions: readonly TopicPartition[];
  /** -1 when the member did not say (subscription v0/v1). */
  readonly generationId: number;
  readonly rackId: string | null;
}

export interface MemberAssignment {
  readonly partitions: TopicPartition[];
  readonly userData?: Buffer | null;
}

/**
 * A partition assignment strategy (Kafka's ConsumerPartitionAssignor). The group leader runs
 * `assign` over every member's subscription; `name` is the protocol name members must share.
 * Assignors are pure: same input, same output, so they are tested without a broker.
 */
export interface PartitionAssignor {
  readonly name: string;
  readonly protocol: RebalanceProtocol;
  /** Subscription user data for this member (null by default). */
  subscriptionUserData?(topics: readonly string[]): Buffer | null;
  /**
   * `partitionsPerTopic`: partition count of every subscribed topic that exists. May be async
   * (Kafka Streams' assignor lists its changelogs' end offsets to weigh task lags).
   */
  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> | Promise<Map<string, MemberAssignment>>;
  /**
   * Java's `onAssignment`: this member's assignment as SyncGroup returned it, user data included,
   * before the rebalance listener hears of its partitions.
   */
  onAssignment?(assignment: MemberAssignment, generationId: number): void;
}

/**
 * Kafka's member order for deterministic assignment: static members (group.instance.id) by
 * instance ID first, so their assignment survives restarts; then dynamic members by member ID.
 */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) {
    return a.groupInstanceId < b.groupInstanceId ? -1 : a.groupInstanceId > b.groupInstanceId ? 1 : 0;
  }
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

export function emptyAssignments(
  subscriptions: ReadonlyMap<string, MemberSubscription>,
): Map<string, MemberAssignment> {
  const out = new Map<string, MemberAssignment>();
  for (const memberId of subscriptions.keys()) out.set(memberId, { partitions: [] });
  return out;
}
