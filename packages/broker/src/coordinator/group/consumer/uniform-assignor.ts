import { type Assignment, assignmentOf } from './assignment.js';
import type { ConsumerGroupPartitionAssignor, GroupAssignmentSpec } from './assignor.js';

/**
 * The `uniform` server assignor (Kafka's default): spreads all subscribed partitions as evenly as
 * the subscriptions allow while moving as few as possible. Each member keeps the partitions of
 * its current target assignment it still subscribes to (up to its fair share when every member
 * subscribes to the same topics); the rest go, one by one, to the eligible member with the fewest;
 * then partitions move from the fullest eligible members to emptier ones until no move makes the
 * spread more even. The result is balanced within one partition for homogeneous subscriptions,
 * as Kafka's UniformHomogeneousAssignmentBuilder; for heterogeneous subscriptions it is a greedy
 * balance, not Kafka's exact heterogeneous algorithm.
 */
export class UniformAssignor implements ConsumerGroupPartitionAssignor {
  readonly name = 'uniform';

  assign(spec: GroupAssignmentSpec): Map<string, Assignment> {
    const members = [...spec.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
    const owner = new Map<string, string>();
    const owned = new Map<string, string[]>(members.map((m) => [m.memberId, []]));
    const key = (topicId: string, p: number): string => `${topicId}:${p}`;
    const allPartitions: [string, number][] = [];
    for (const [topicId, count] of [...spec.partitionCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!members.some((m) => m.subscribedTopicIds.has(topicId))) continue;
      for (let p = 0; p < count; p++) allPartitions.push([topicId, p]);
    }
    const homogeneous = members.every((m) => sameSet(m.subscribedTopicIds, members[0]?.subscribedTopicIds));
    const fairShare = members.length === 0 ? 0 : Math.ceil(allPartitions.length / members.length);

    // Stickiness: keep current partitions that still exist and are still subscribed.
    for (const member of members) {
      for (const [topicId, partitions] of member.currentAssignment) {
        const count = spec.partitionCounts.get(topicId);
        if (count === undefined || !member.subscribedTopicIds.has(topicId)) continue;
        for (const p of partitions) {
          const k = key(topicId, p);
          const mine = owned.get(member.memberId) as string[];
          if (p >= count || owner.has(k) || (homogeneous && mine.length >= fairShare)) continue;
          owner.set(k, member.memberId);
          mine.push(k);
        }
      }
    }
    const eligible = (topicId: string) => members.filter((m) => m.subscribedTopicIds.has(topicId));
    const load = (memberId: string): number => (owned.get(memberId) as string[]).length;
    for (const [topicId, p] of allPartitions) {
      const k = key(topicId, p);
      if (owner.has(k)) continue;
      const candidates = eligible(topicId);
      const target = candidates.reduce((best, m) => (load(m.memberId) < load(best.memberId) ? m : best));
      owner.set(k, target.memberId);
      owned.get(target.memberId)?.push(k);
    }
    // Balance: move a partition from a member with at least two more than an eligible other.
    for (let moved = true, rounds = 0; moved && rounds < allPartitions.length * 2; rounds++) {
      moved = false;
      for (const [topicId, p] of allPartitions) {
        const k = key(topicId, p);
        const from = owner.get(k) as string;
        const candidates = eligible(topicId);
        const to = candidates.reduce((best, m) => (load(m.memberId) < load(best.memberId) ? m : best));
        if (load(from) - load(to.memberId) < 2) continue;
        owner.set(k, to.memberId);
        owned.set(
          from,
          (owned.get(from) as string[]).filter((x) => x !== k),
        );
        owned.get(to.memberId)?.push(k);
        moved = true;
      }
    }
    const result = new Map<string, Assignment>();
    for (const member of members) {
      const entries = (owned.get(member.memberId) as string[]).map((k) => {
        const at = k.lastIndexOf(':');
        return [k.slice(0, at), [Number(k.slice(at + 1))]] as const;
      });
      result.set(member.memberId, assignmentOf(entries));
    }
    return result;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  return b !== undefined && a.size === b.size && [...a].every((x) => b.has(x));
}
