import { type Assignment, assignmentOf } from './assignment.js';
import type { ConsumerGroupPartitionAssignor, GroupAssignmentSpec } from './assignor.js';

/**
 * The `range` server assignor: per topic, the members subscribed to it (sorted by member id) get
 * consecutive ranges of partitions, the first `partitions % members` one more. Members with the
 * same subscription thus get the same partition numbers of co-partitioned topics, which is what
 * `range` is for. Unlike Kafka's RangeAssignor it is not sticky across member changes beyond what
 * the ranges themselves keep.
 */
export class RangeAssignor implements ConsumerGroupPartitionAssignor {
  readonly name = 'range';

  assign(spec: GroupAssignmentSpec): Map<string, Assignment> {
    const byMember = new Map<string, [string, number[]][]>(spec.members.map((m) => [m.memberId, []]));
    for (const [topicId, numPartitions] of spec.partitionCounts) {
      const members = spec.members
        .filter((m) => m.subscribedTopicIds.has(topicId))
        .map((m) => m.memberId)
        .sort();
      if (members.length === 0) continue;
      const quota = Math.floor(numPartitions / members.length);
      const extra = numPartitions % members.length;
      let next = 0;
      members.forEach((memberId, i) => {
        const count = quota + (i < extra ? 1 : 0);
        const partitions = Array.from({ length: count }, (_, k) => next + k);
        next += count;
        byMember.get(memberId)?.push([topicId, partitions]);
      });
    }
    return new Map([...byMember].map(([memberId, entries]) => [memberId, assignmentOf(entries)]));
  }
}
