import { ErrorCode, type IsolationLevel, KafkaError, ListOffsetsApi, OffsetForLeaderEpochApi } from '@samsa/protocol';
import type { TopicPartition } from '../common/topic-partition.js';
import { sleep } from '../connection/connection-pool.js';
import { type Cluster, METADATA_ERRORS } from './cluster.js';

/** ListOffsets' special timestamps. */
export const OffsetSpec = {
  LATEST: -1n,
  EARLIEST: -2n,
  MAX_TIMESTAMP: -3n,
} as const;

export interface OffsetQuery extends TopicPartition {
  /** A timestamp in ms, or an `OffsetSpec` value. */
  readonly timestamp: bigint;
}

export interface ListedOffset extends TopicPartition {
  /** -1n when no record has a timestamp at or after the one asked (offsetsForTimes). */
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly leaderEpoch: number;
}

function groupByLeader<T extends TopicPartition>(cluster: Cluster, items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const leader = cluster.leaderOf(item.topic, item.partition);
    const list = out.get(leader) ?? [];
    list.push(item);
    out.set(leader, list);
  }
  return out;
}

/**
 * ListOffsets for many partitions, one request per leader, retrying partitions whose leader is
 * unknown or moved (refreshing metadata) until `timeoutMs`.
 */
export async function listOffsets(
  cluster: Cluster,
  queries: readonly OffsetQuery[],
  isolationLevel: IsolationLevel,
  timeoutMs: number,
): Promise<ListedOffset[]> {
  const deadline = Date.now() + timeoutMs;
  const results: ListedOffset[] = [];
  let todo = [...queries];
  let backoffMs = cluster.config.retryBackoffMs;
  cluster.addTopics(todo.map((q) => q.topic));
  if (todo.some((q) => cluster.leaderOf(q.topic, q.partition) < 0)) await cluster.refresh();
  while (todo.length > 0) {
    const retry: OffsetQuery[] = [];
    let lastError: KafkaError | undefined;
    await Promise.all(
      [...groupByLeader(cluster, todo)].map(async ([leader, items]) => {
        if (leader < 0) {
          retry.push(...items);
          lastError = new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `no leader for ${items[0]?.topic}`);
          return;
        }
        const byTopic = new Map<string, OffsetQuery[]>();
        for (const q of items) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), q]);
        try {
          const connection = await cluster.connectionTo(leader);
          const response = await connection.request(ListOffsetsApi, {
            replicaId: -1,
            isolationLevel,
            topics: [...byTopic].map(([name, qs]) => ({
              name,
              partitions: qs.map((q) => ({
                partitionIndex: q.partition,
                currentLeaderEpoch: cluster.topics.get(q.topic)?.partitions[q.partition]?.leaderEpoch ?? -1,
                timestamp: q.timestamp,
              })),
            })),
          });
          for (const t of response.topics) {
            for (const p of t.partitions) {
              if (p.errorCode === 0) {
                results.push({
                  topic: t.name,
                  partition: p.partitionIndex,
                  offset: p.offset,
                  timestamp: p.timestamp,
                  leaderEpoch: p.leaderEpoch,
                });
                continue;
              }
              const error = new KafkaError(p.errorCode, `ListOffsets ${t.name}-${p.partitionIndex}`);
              if (!error.retriable && !METADATA_ERRORS.has(p.errorCode)) throw error;
              lastError = error;
              retry.push({
                topic: t.name,
                partition: p.partitionIndex,
                timestamp: byTopic.get(t.name)?.find((q) => q.partition === p.partitionIndex)?.timestamp ?? -1n,
              });
            }
          }
        } catch (error) {
          if (!(error instanceof KafkaError) || !error.retriable) throw error;
          lastError = error;
          retry.push(...items);
        }
      }),
    );
    todo = retry;
    if (todo.length === 0) break;
    if (Date.now() + backoffMs > deadline)
      throw lastError ?? new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'ListOffsets');
    await sleep(backoffMs);
    backoffMs = Math.min(backoffMs * 2, cluster.config.retryBackoffMaxMs);
    await cluster.refresh(todo.map((q) => q.topic));
  }
  return results;
}

export interface EpochEndOffset extends TopicPartition {
  readonly errorCode: number;
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

/**
 * OffsetForLeaderEpoch as a consumer asks it (replica ID -1): for each partition, the end offset
 * of `leaderEpoch` in the leader's log — where the log continued with a later epoch, or the log
 * end. A position beyond it was truncated away (KIP-320).
 */
export async function offsetsForLeaderEpochs(
  cluster: Cluster,
  queries: readonly (TopicPartition & { readonly leaderEpoch: number })[],
): Promise<EpochEndOffset[]> {
  const out: EpochEndOffset[] = [];
  await Promise.all(
    [...groupByLeader(cluster, queries)].map(async ([leader, items]) => {
      // No leader, or its connection failed: those partitions answer with the (retriable) error,
      // so that the caller retries them rather than the whole consumer failing.
      const failAll = (errorCode: number) => {
        for (const q of items) out.push({ ...q, errorCode, leaderEpoch: -1, endOffset: -1n });
      };
      if (leader < 0) {
        failAll(ErrorCode.LEADER_NOT_AVAILABLE);
        return;
      }
      const byTopic = new Map<string, (TopicPartition & { leaderEpoch: number })[]>();
      for (const q of items) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), q]);
      let response: Awaited<ReturnType<typeof requestEpochs>>;
      try {
        response = await requestEpochs(cluster, leader, byTopic);
      } catch (error) {
        if (!(error instanceof KafkaError) || !error.retriable) throw error;
        failAll(error.errorCode);
        return;
      }
      for (const t of response.topics) {
        for (const p of t.partitions) {
          out.push({
            topic: t.topic,
            partition: p.partition,
            errorCode: p.errorCode,
            leaderEpoch: p.leaderEpoch,
            endOffset: p.endOffset,
          });
        }
      }
    }),
  );
  return out;
}

async function requestEpochs(
  cluster: Cluster,
  leader: number,
  byTopic: Map<string, (TopicPartition & { leaderEpoch: number })[]>,
) {
  const connection = await cluster.connectionTo(leader);
  return connection.request(OffsetForLeaderEpochApi, {
    replicaId: -1,
    topics: [...byTopic].map(([topic, qs]) => ({
      topic,
      partitions: qs.map((q) => ({
        partition: q.partition,
        currentLeaderEpoch: cluster.topics.get(q.topic)?.partitions[q.partition]?.leaderEpoch ?? -1,
        leaderEpoch: q.leaderEpoch,
      })),
    })),
  });
}
