import { DeleteRecordsApi, ErrorCode, KafkaError } from '@samsa/protocol';
import { compareTopicPartitions, groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { Cluster } from '../metadata/cluster.js';
import type { DeletedRecords } from './admin-types.js';

/**
 * DeleteRecords: each partition's leader moves its log start offset up to `offset` (-1n: the high
 * watermark), one request per leader. As Java's `deleteRecords` gives a future per partition, each
 * partition gets its own outcome — a new low watermark or the error that stopped it (a partition
 * without a known leader fails with UNKNOWN_TOPIC_OR_PARTITION) — so one bad partition does not
 * hide what happened to the others. Results are sorted by topic and partition.
 */
export async function deleteRecords(
  cluster: Cluster,
  requests: readonly (TopicPartition & { readonly offset: bigint })[],
  timeoutMs: number,
): Promise<DeletedRecords[]> {
  cluster.addTopics(requests.map((r) => r.topic));
  await cluster.refresh();
  const out: DeletedRecords[] = [];
  const byLeader = new Map<number, (TopicPartition & { offset: bigint })[]>();
  for (const r of requests) {
    const leader = cluster.leaderOf(r.topic, r.partition);
    if (leader < 0) {
      out.push({
        topic: r.topic,
        partition: r.partition,
        lowWatermark: null,
        error: new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
      });
    } else byLeader.set(leader, [...(byLeader.get(leader) ?? []), r]);
  }
  await Promise.all(
    [...byLeader].map(async ([leader, items]) => {
      const connection = await cluster.connectionTo(leader);
      const response = await connection.request(DeleteRecordsApi, {
        topics: groupByTopic(items).map((t) => ({
          name: t.topic,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p,
            offset: items.find((i) => i.topic === t.topic && i.partition === p)?.offset ?? -1n,
          })),
        })),
        timeoutMs,
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          out.push(
            p.errorCode === ErrorCode.NONE
              ? { topic: t.name, partition: p.partitionIndex, lowWatermark: p.lowWatermark, error: null }
              : { topic: t.name, partition: p.partitionIndex, lowWatermark: null, error: new KafkaError(p.errorCode) },
          );
        }
      }
    }),
  );
  return out.sort(compareTopicPartitions);
}
