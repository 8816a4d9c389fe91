import type { StreamTask } from '../processor/stream-task.js';

/** One metric, as Java's `KafkaStreams.metrics()` lists them (`metricName()` parts and `metricValue()`). */
export interface StreamsMetric {
  readonly name: string;
  readonly group: string;
  readonly tags: { readonly [tag: string]: string };
  metricValue(): number;
}

/** The task-level metrics Samsa keeps: `dropped-records-total` (deserialization skips, negative timestamps). */
export function taskMetrics(threadId: string, tasks: Iterable<StreamTask>): StreamsMetric[] {
  const out: StreamsMetric[] = [];
  for (const task of tasks) {
    out.push({
      name: 'dropped-records-total',
      group: 'stream-task-metrics',
      tags: { 'thread-id': threadId, 'task-id': String(task.id) },
      metricValue: () => task.droppedRecords,
    });
  }
  return out;
}
