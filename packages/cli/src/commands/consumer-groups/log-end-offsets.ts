import type { Admin, TopicPartition } from '@samsa/client';

/**
 * ListOffsets one partition at a time, keyed `topic-partition`; a partition that cannot be
 * listed is left out.
 */
export async function logEndOffsets(
  admin: Admin,
  partitions: readonly TopicPartition[],
  spec: bigint,
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const tp of partitions) {
    try {
      const [listed] = await admin.listOffsets([{ topic: tp.topic, partition: tp.partition, timestamp: spec }]);
      if (listed !== undefined) out.set(`${tp.topic}-${tp.partition}`, listed.offset);
    } catch {
      // A deleted topic or partition: the column shows '-', as Kafka's Unknown offset does.
    }
  }
  return out;
}
