import { compareTopicPartitions, type TopicPartition, tpKey } from '../../common/topic-partition.js';
import {
  compareMembers,
  emptyAssignments,
  type MemberAssignment,
  type MemberSubscription,
  type PartitionAssignor,
  type RebalanceProtocol,
} from './partition-assignor.js';

/**
 * The sticky assignment of Kafka's AbstractStickyAssignor, in two goals, balance first:
 *
 * 1. Balance: partition counts differ by at most one between members with the same
 *    subscription; with different subscriptions, no partition can move to a member with two
 *    fewer partitions that is subscribed to its topic.
 * 2. Stickiness: a partition stays with the member that owned it in the previous generation
 *    unless balance requires moving it.
 *
 * Previous ownership comes from each member's `ownedPartitions` (subscription v1+). When two
 * members claim a partition, the claim of the higher generation wins; equal generations cancel
 * (the partition is treated as unowned), as in Kafka.
 */
export function stickyAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
): { assignment: Map<string, TopicPartition[]>; previousOwner: Map<string, string> } {
  const members = [...subscriptions.values()].sort(compareMembers);
  const previousOwner = new Map<string, string>();
  const ownerGeneration = new Map<string, number>();
  const conflicted = new Set<string>();
  for (const m of members) {
    for (const tp of m.ownedPartitions) {
      const key = tpKey(tp.topic, tp.partition);
      const existing = ownerGeneration.get(key);
      if (existing === undefined || m.generationId > existing) {
        previousOwner.set(key, m.memberId);
        ownerGeneration.set(key, m.generationId);
        conflicted.delete(key);
      } else if (m.generationId === existing) conflicted.add(key);
    }
  }
  for (const key of conflicted) previousOwner.delete(key);

  // Every partition some member can take, with the members that can take it.
  const all: TopicPartition[] = [];
  const eligible = new Map<string, string[]>();
  const topics = new Set<string>();
  for (const m of members) for (const t of m.topics) if (partitionsPerTopic.has(t)) topics.add(t);
  for (const topic of [...topics].sort()) {
    const subscribers = members.filter((m) => m.topics.includes(topic)).map((m) => m.memberId);
    const n = partitionsPerTopic.get(topic) as number;
    for (let p = 0; p < n; p++) {
      all.push({ topic, partition: p });
      eligible.set(tpKey(topic, p), subscribers);
    }
  }

  const current = new Map<string, TopicPartition[]>();
  for (const m of members) current.set(m.memberId, []);
  const owner = new Map<string, string>();
  for (const tp of all) {
    const key = tpKey(tp.topic, tp.partition);
    const prev = previousOwner.get(key);
    if (prev !== undefined && (eligible.get(key) as string[]).includes(prev)) {
      (current.get(prev) as TopicPartition[]).push(tp);
      owner.set(key, prev);
    }
  }

  const sameSubscriptions = members.every(
    (m) => m.topics.length === members[0]?.topics.length && m.topics.every((t) => members[0]?.topics.includes(t)),
  );
  const unassigned: TopicPartition[] = [];
  if (sameSubscriptions && members.length > 0) {
    const total = all.length;
    const minQuota = Math.floor(total / members.length);
    const maxQuota = Math.ceil(total / members.length);
    let maxSlots = total % members.length;
    // Members keeping the most first, so that the ones already at maxQuota use the max slots.
    const order = [...members].sort(
      (a, b) =>
        (current.get(b.memberId) as TopicPartition[]).length - (current.get(a.memberId) as TopicPartition[]).length ||
        compareMembers(a, b),
    );
    for (const m of order) {
      const owned = (current.get(m.memberId) as TopicPartition[]).sort(compareTopicPartitions);
      let keep = Math.min(owned.length, maxQuota);
      if (keep === maxQuota && maxQuota > minQuota) {
        if (maxSlots > 0) maxSlots--;
        else keep = minQuota;
      }
      for (const tp of owned.splice(keep)) owner.delete(tpKey(tp.topic, tp.partition));
    }
    for (const tp of all) if (!owner.has(tpKey(tp.topic, tp.partition))) unassigned.push(tp);
    // Fill those below minQuota first, then hand the remaining max slots out in member order.
    for (const m of members) {
      const list = current.get(m.memberId) as TopicPartition[];
      while (list.length < minQuota && unassigned.length > 0) list.push(unassigned.shift() as TopicPartition);
    }
    for (const m of members) {
      if (unassigned.length === 0) break;
      const list = current.get(m.memberId) as TopicPartition[];
      if (list.length === minQuota && maxSlots > 0) {
        list.push(unassigned.shift() as TopicPartition);
        maxSlots--;
      }
    }
    // Only reachable when quotas are 0 for everyone but partitions remain (cannot happen) — kept safe.
    for (const tp of unassigned.splice(0)) (current.get(members[0]?.memberId as string) as TopicPartition[]).push(tp);
  } else {
    for (const tp of all) if (!owner.has(tpKey(tp.topic, tp.partition))) unassigned.push(tp);
    // Hardest to place first: partitions with the fewest eligible members.
    unassigned.sort(
      (a, b) =>
        (eligible.get(tpKey(a.topic, a.partition)) as string[]).length -
          (eligible.get(tpKey(b.topic, b.partition)) as string[]).length || compareTopicPartitions(a, b),
    );
    const count = (id: string) => (current.get(id) as TopicPartition[]).length;
    for (const tp of unassigned) {
      const candidates = eligible.get(tpKey(tp.topic, tp.partition)) as string[];
      let best = candidates[0] as string;
      for (const c of candidates) if (count(c) < count(best)) best = c;
      (current.get(best) as TopicPartition[]).push(tp);
      owner.set(tpKey(tp.topic, tp.partition), best);
    }
    // Move partitions from members with at least two more than an eligible member, until none can.
    for (let round = 0; round < all.length * members.length + 1; round++) {
      let moved = false;
      for (const tp of all) {
        const key = tpKey(tp.topic, tp.partition);
        const from = owner.get(key) as string;
        let target: string | undefined;
        for (const c of eligible.get(key) as string[]) {
          if (count(c) + 1 < count(from) && (target === undefined || count(c) < count(target))) target = c;
        }
        if (target === undefined) continue;
        const list = current.get(from) as TopicPartition[];
        list.splice(
          list.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition),
          1,
        );
        (current.get(target) as TopicPartition[]).push(tp);
        owner.set(key, target);
        moved = true;
      }
      if (!moved) break;
    }
  }
  for (const list of current.values()) list.sort(compareTopicPartitions);
  return { assignment: current, previousOwner };
}

/** Kafka's StickyAssignor (eager protocol). */
export class StickyAssignor implements PartitionAssignor {
  readonly name: string = 'sticky';
  readonly protocol: RebalanceProtocol = 'EAGER';

  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> {
    const out = emptyAssignments(subscriptions);
    const { assignment } = stickyAssign(partitionsPerTopic, subscriptions);
    for (const [memberId, partitions] of assignment) out.set(memberId, { partitions });
    return out;
  }
}
