import { type Assignment, assignmentOf } from '../consumer/assignment.js';

/** What the share assignor knows of a member. */
export interface ShareAssignmentMember {
  readonly memberId: string;
  readonly subscribedTopicIds: ReadonlySet<string>;
}

/**
 * The share groups' `simple` assignor (KIP-932): a share group may give one partition to several
 * members (they share its records), so the assignor only has to cover every partition and spread
 * the members. Per topic, over the members subscribed to it in member id order: with at least as
 * many partitions as members, partitions go round-robin to the members (each partition to one);
 * with more members than partitions, members go round-robin to the partitions (each member gets
 * one, several members share each partition). Deterministic, so a recomputation without a change
 * moves nothing.
 */
export function assignSharePartitions(
  members: readonly ShareAssignmentMember[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Assignment> {
  const byMember = new Map<string, [string, number[]][]>(members.map((m) => [m.memberId, []]));
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  for (const [topicId, count] of [...partitionCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const subscribed = sorted.filter((m) => m.subscribedTopicIds.has(topicId));
    if (subscribed.length === 0 || count === 0) continue;
    const partitionsOf = new Map<string, number[]>(subscribed.map((m) => [m.memberId, []]));
    if (count >= subscribed.length) {
      for (let p = 0; p < count; p++)
        partitionsOf.get((subscribed[p % subscribed.length] as ShareAssignmentMember).memberId)?.push(p);
    } else {
      for (const [i, m] of subscribed.entries()) partitionsOf.get(m.memberId)?.push(i % count);
    }
    for (const [memberId, partitions] of partitionsOf) byMember.get(memberId)?.push([topicId, partitions]);
  }
  return new Map([...byMember].map(([memberId, entries]) => [memberId, assignmentOf(entries)]));
}
