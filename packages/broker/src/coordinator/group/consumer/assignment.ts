/**
 * Partitions by topic id, as KIP-848 assignments name them. Immutable: every change builds a new
 * map, so that group snapshots (taken before each operation) can share them.
 */
export type Assignment = ReadonlyMap<string, readonly number[]>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

/** An assignment from (topic id, partitions) pairs: partitions sorted, empty topics dropped. */
export function assignmentOf(entries: Iterable<readonly [string, Iterable<number>]>): Assignment {
  const result = new Map<string, number[]>();
  for (const [topicId, partitions] of entries) {
    const merged = new Set([...(result.get(topicId) ?? []), ...partitions]);
    if (merged.size > 0)
      result.set(
        topicId,
        [...merged].sort((a, b) => a - b),
      );
  }
  return result;
}

export function assignmentFromWire(topics: readonly { topicId: string; partitions: readonly number[] }[]): Assignment {
  return assignmentOf(topics.map((t) => [t.topicId, t.partitions] as const));
}

export function assignmentToWire(assignment: Assignment): { topicId: string; partitions: number[] }[] {
  return [...assignment].map(([topicId, partitions]) => ({ topicId, partitions: [...partitions] }));
}

export function hasPartition(assignment: Assignment, topicId: string, partition: number): boolean {
  return assignment.get(topicId)?.includes(partition) === true;
}

export function partitionCount(assignment: Assignment): number {
  let count = 0;
  for (const partitions of assignment.values()) count += partitions.length;
  return count;
}

/** Whether every partition of `subset` is in `superset`. */
export function isSubset(subset: Assignment, superset: Assignment): boolean {
  for (const [topicId, partitions] of subset) {
    for (const p of partitions) if (!hasPartition(superset, topicId, p)) return false;
  }
  return true;
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  return partitionCount(a) === partitionCount(b) && isSubset(a, b);
}
