import { type TopicPartition, tpKey } from '../../common/topic-partition.js';
import {
  emptyAssignments,
  type MemberAssignment,
  type MemberSubscription,
  type PartitionAssignor,
  type RebalanceProtocol,
} from './partition-assignor.js';
import { stickyAssign } from './sticky-assignor.js';

/**
 * Kafka's CooperativeStickyAssignor (KIP-429): the sticky assignment, except that a partition
 * moving from one member to another is left out of this generation's assignment. The old owner
 * sees it missing, revokes only it and rejoins; the follow-up rebalance gives it to the new
 * owner. Members keep consuming every partition that does not move — no stop-the-world.
 */
export class CooperativeStickyAssignor implements PartitionAssignor {
  readonly name = 'cooperative-sticky';
  readonly protocol: RebalanceProtocol = 'COOPERATIVE';

  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> {
    const out = emptyAssignments(subscriptions);
    const { assignment, previousOwner } = stickyAssign(partitionsPerTopic, subscriptions);
    for (const [memberId, partitions] of assignment) {
      const kept: TopicPartition[] = [];
      for (const tp of partitions) {
        const prev = previousOwner.get(tpKey(tp.topic, tp.partition));
        // Still owned by another live member: it must be revoked there first.
        if (prev !== undefined && prev !== memberId && subscriptions.has(prev)) continue;
        kept.push(tp);
      }
      out.set(memberId, { partitions: kept });
    }
    return out;
  }
}

/** Every partition the previous generation's owners must give up (for tests and the coordinator). */
export function transferringPartitions(
  before: ReadonlyMap<string, readonly TopicPartition[]>,
  after: ReadonlyMap<string, MemberAssignment>,
): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const [memberId, owned] of before) {
    const now = new Set((after.get(memberId)?.partitions ?? []).map((tp) => tpKey(tp.topic, tp.partition)));
    for (const tp of owned) if (!now.has(tpKey(tp.topic, tp.partition))) out.push(tp);
  }
  return out;
}
