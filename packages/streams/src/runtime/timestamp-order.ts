/**
 * Orders one poll's records the way Java's `PartitionGroup` feeds a task: among the partitions
 * of a task, the next record is the head of the partition whose head has the smallest
 * timestamp (ties: the partition seen first), so a join or merge of two topics sees them
 * interleaved by time rather than topic by topic. Each partition's own order is kept, and
 * records of different tasks keep their relative order. Java also buffers across polls and
 * waits (`max.task.idle.ms`) for partitions with no data yet; this orders only what one poll
 * returned.
 */
export function inTimestampOrder<R extends { topic: string; partition: number; timestamp: number }>(
  records: readonly R[],
  taskOf: (record: R) => string | undefined,
): readonly R[] {
  if (needsNoReordering(records, taskOf)) return records;
  const byTask = new Map<string, Map<string, R[]>>();
  const out: R[] = [];
  for (const r of records) {
    const task = taskOf(r);
    if (task === undefined) continue;
    let partitions = byTask.get(task);
    if (partitions === undefined) byTask.set(task, (partitions = new Map()));
    const key = `${r.topic}:${r.partition}`;
    let queue = partitions.get(key);
    if (queue === undefined) partitions.set(key, (queue = []));
    queue.push(r);
  }
  for (const partitions of byTask.values()) {
    const queues = [...partitions.values()];
    if (queues.length === 1) {
      out.push(...(queues[0] as R[]));
      continue;
    }
    const heads = queues.map(() => 0);
    for (;;) {
      let best = -1;
      for (let i = 0; i < queues.length; i++) {
        const head = (queues[i] as R[])[heads[i] as number];
        if (head === undefined) continue;
        const current = best < 0 ? undefined : (queues[best] as R[])[heads[best] as number];
        if (current === undefined || head.timestamp < current.timestamp) best = i;
      }
      if (best < 0) break;
      out.push((queues[best] as R[])[heads[best] as number] as R);
      heads[best] = (heads[best] as number) + 1;
    }
  }
  return out;
}

/**
 * True when every task has at most one partition in `records` and every record has a task: the
 * poll's order is then already the order to process in. Polls hand out records in runs of one
 * partition, so this looks at one record per run (the common case of a task per input
 * partition costs no allocation per record).
 */
function needsNoReordering<R extends { topic: string; partition: number }>(
  records: readonly R[],
  taskOf: (record: R) => string | undefined,
): boolean {
  const partitionOfTask = new Map<string, R>();
  let i = 0;
  while (i < records.length) {
    const first = records[i] as R;
    const end = partitionRunEnd(records, i);
    const task = taskOf(first);
    if (task === undefined) return false;
    const seen = partitionOfTask.get(task);
    if (seen === undefined) partitionOfTask.set(task, first);
    else if (seen.partition !== first.partition || seen.topic !== first.topic) return false;
    i = end;
  }
  return true;
}

/** The end (exclusive) of the run of records of one partition that starts at `from`. */
export function partitionRunEnd<R extends { topic: string; partition: number }>(
  records: readonly R[],
  from: number,
): number {
  const first = records[from] as R;
  let end = from + 1;
  while (end < records.length) {
    const r = records[end] as R;
    if (r.partition !== first.partition || r.topic !== first.topic) break;
    end++;
  }
  return end;
}
