import {
  compareMembers,
  emptyAssignments,
  type MemberAssignment,
  type MemberSubscription,
  type PartitionAssignor,
} from './partition-assignor.js';

/**
 * Kafka's RangeAssignor: per topic, the members subscribed to it (in member order) get
 * consecutive ranges; the first `partitions % members` get one partition more. Co-partitioned
 * topics land on the same member, which joins rely on.
 */
export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range';
  readonly protocol = 'EAGER' as const;

  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> {
    const out = emptyAssignments(subscriptions);
    const membersByTopic = new Map<string, MemberSubscription[]>();
    for (const sub of subscriptions.values()) {
      for (const topic of sub.topics) {
        if (!partitionsPerTopic.has(topic)) continue;
        const list = membersByTopic.get(topic) ?? [];
        list.push(sub);
        membersByTopic.set(topic, list);
      }
    }
    for (const [topic, members] of membersByTopic) {
      members.sort(compareMembers);
      const count = partitionsPerTopic.get(topic) as number;
      const perMember = Math.floor(count / members.length);
      const extra = count % members.length;
      let next = 0;
      members.forEach((member, i) => {
        const n = perMember + (i < extra ? 1 : 0);
        const target = (out.get(member.memberId) as MemberAssignment).partitions;
        for (let p = next; p < next + n; p++) target.push({ topic, partition: p });
        next += n;
      });
    }
    return out;
  }
}
