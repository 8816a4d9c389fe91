import { DescribeProducersApi, ErrorCode, KafkaError } from '@samsa/protocol';
import { compareTopicPartitions, groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import { throwIfError } from '../errors/client-errors.js';
import type { Cluster } from '../metadata/cluster.js';
import type { PartitionProducers } from './admin-types.js';

/**
 * DescribeProducers: the active idempotent and transactional producers of partitions, from each
 * partition's leader — or, with `brokerId` (Java's `DescribeProducersOptions.brokerId`), from
 * that broker's replica, which is how a follower's producer state is compared with the leader's.
 * One request per broker; results sorted by topic and partition. A partition without a known
 * leader rejects with UNKNOWN_TOPIC_OR_PARTITION, any partition error with that error.
 */
export async function describeProducers(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  options: { readonly brokerId?: number } = {},
): Promise<PartitionProducers[]> {
  cluster.addTopics(partitions.map((p) => p.topic));
  await cluster.refresh();
  const byBroker = new Map<number, TopicPartition[]>();
  for (const tp of partitions) {
    const broker = options.brokerId ?? cluster.leaderOf(tp.topic, tp.partition);
    if (broker < 0)
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `describe producers of ${tp.topic}-${tp.partition}`);
    byBroker.set(broker, [...(byBroker.get(broker) ?? []), tp]);
  }
  const perBroker = await Promise.all(
    [...byBroker].map(async ([broker, items]) => {
      const connection = await cluster.connectionTo(broker);
      const response = await connection.request(DescribeProducersApi, {
        topics: groupByTopic(items).map((t) => ({ name: t.topic, partitionIndexes: t.partitions })),
      });
      return response.topics.flatMap((t) =>
        t.partitions.map((p): PartitionProducers => {
          const partition = `${t.name}-${p.partitionIndex}`;
          if (p.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER && options.brokerId !== undefined) {
            // Java's DescribeProducersHandler: retriable in general, final when the broker was chosen.
            throw new KafkaError(
              p.errorCode,
              `Failed to describe active producers for partition ${partition} on brokerId ${options.brokerId}`,
            );
          }
          throwIfError(p.errorCode, `describe producers of ${partition}`, p.errorMessage);
          return {
            topic: t.name,
            partition: p.partitionIndex,
            activeProducers: p.activeProducers.map((s) => ({
              producerId: s.producerId,
              producerEpoch: s.producerEpoch,
              lastSequence: s.lastSequence,
              lastTimestamp: s.lastTimestamp,
              coordinatorEpoch: s.coordinatorEpoch,
              currentTransactionStartOffset: s.currentTxnStartOffset,
            })),
          };
        }),
      );
    }),
  );
  return perBroker.flat().sort(compareTopicPartitions);
}
