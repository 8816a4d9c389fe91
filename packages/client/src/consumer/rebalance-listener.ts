import type { TopicPartition } from '../common/topic-partition.js';

/**
 * Told of assignment changes (Kafka's ConsumerRebalanceListener). Called from inside `poll`
 * (or between batches of `run`), never while the application is handling records, and awaited:
 * a revocation handler may commit or flush before the partitions move.
 *
 * - `onPartitionsRevoked`: partitions taken away in an orderly rebalance (eager: all of them
 *   before rejoining; cooperative: only those that move, after the rebalance).
 * - `onPartitionsAssigned`: partitions added (cooperative: only new ones; may be empty).
 * - `onPartitionsLost`: partitions already owned by someone else (session expired, fenced, or
 *   `max.poll.interval.ms` exceeded) — committing them would fail.
 */
export interface RebalanceListener {
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}
