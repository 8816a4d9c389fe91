import type { AcknowledgementBatch } from '../share/share-partition.js';
import type { ShareFetchPartition } from '../share/share-partition-manager.js';
import type { ShareSession } from '../share/share-sessions.js';

/** What ShareFetch and ShareAcknowledge both read: the acknowledgements of one partition, with numeric offsets. */
export function acknowledgementBatchesOf(
  wire: readonly {
    readonly firstOffset: bigint;
    readonly lastOffset: bigint;
    readonly acknowledgeTypes: readonly number[];
  }[],
): AcknowledgementBatch[] {
  return wire.map((b) => ({
    firstOffset: Number(b.firstOffset),
    lastOffset: Number(b.lastOffset),
    acknowledgeTypes: [...b.acknowledgeTypes],
  }));
}

/** A session's partitions whose topic still exists, named (what releasing a member's records needs). */
export function namedPartitions(
  session: ShareSession,
  nameOf: (topicId: string) => string | undefined,
): ShareFetchPartition[] {
  return [...session.partitions.values()].flatMap((p) => {
    const topic = nameOf(p.topicId);
    return topic === undefined ? [] : [{ topicId: p.topicId, topic, partition: p.partition }];
  });
}
