import { compareTopicPartitions, type TopicPartition } from '../../common/topic-partition.js';
import {
  compareMembers,
  emptyAssignments,
  type MemberAssignment,
  type MemberSubscription,
  type PartitionAssignor,
} from './partition-assignor.js';

/**
 * Kafka's RoundRobinAssignor: all partitions of all subscribed topics in (topic, partition)
 * order, dealt to the members in member order, each partition to the next member subscribed to
 * its topic. With equal subscriptions counts differ by at most one.
 */
export class RoundRobinAssignor implements PartitionAssignor {
  readonly name: string;
  readonly protocol = 'EAGER' as const;

  /** `name` lets the same algorithm join a group under another protocol name (KafkaJS calls it RoundRobinAssigner). */
  constructor(name = 'roundrobin') {
    this.name = name;
  }

  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> {
    const out = emptyAssignments(subscriptions);
    const members = [...subscriptions.values()].sort(compareMembers);
    if (members.length === 0) return out;
    const topics = new Set<string>();
    for (const m of members) for (const t of m.topics) if (partitionsPerTopic.has(t)) topics.add(t);
    const all: TopicPartition[] = [];
    for (const topic of topics) {
      const n = partitionsPerTopic.get(topic) as number;
      for (let p = 0; p < n; p++) all.push({ topic, partition: p });
    }
    all.sort(compareTopicPartitions);
    let cursor = 0;
    for (const tp of all) {
      for (let tries = 0; tries < members.length; tries++) {
        const member = members[cursor % members.length] as MemberSubscription;
        cursor++;
        if (member.topics.includes(tp.topic)) {
          (out.get(member.memberId) as MemberAssignment).partitions.push(tp);
          break;
        }
      }
    }
    return out;
  }
}
