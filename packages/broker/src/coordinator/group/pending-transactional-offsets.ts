import type { OffsetAndMetadata } from './offset-and-metadata.js';

/** Offsets by topic, then partition. */
export type OffsetsByTopic = ReadonlyMap<string, ReadonlyMap<number, OffsetAndMetadata>>;

/**
 * A group's transactional offset commits (TxnOffsetCommit) whose transaction has not ended, by
 * producer id (Kafka's `pendingTransactionalOffsetCommits`). OffsetFetch does not see them: the
 * producer's COMMIT marker makes them committed offsets, its ABORT marker drops them. Meanwhile a
 * partition with one answers UNSTABLE_OFFSET_COMMIT to OffsetFetch with requireStable (KIP-447),
 * and its committed offset does not expire.
 *
 * Changed only by replaying `__consumer_offsets` records and markers (`GroupCoordinatorShard`).
 * Not thread-safe; owned by one `ClassicGroup`, copied with it for rollback.
 */
export class PendingTransactionalOffsets {
  private byProducer = new Map<number, Map<string, Map<number, OffsetAndMetadata>>>();

  isEmpty(): boolean {
    return this.byProducer.size === 0;
  }

  hasProducer(producerId: number): boolean {
    return this.byProducer.has(producerId);
  }

  /** Whether any producer has a pending offset for the partition. */
  has(topic: string, partition: number): boolean {
    for (const topics of this.byProducer.values()) if (topics.get(topic)?.has(partition) === true) return true;
    return false;
  }

  /** A later commit of the same partition in the same transaction replaces the earlier one. */
  add(producerId: number, topic: string, partition: number, offset: OffsetAndMetadata): void {
    let topics = this.byProducer.get(producerId);
    if (topics === undefined) this.byProducer.set(producerId, (topics = new Map()));
    let partitions = topics.get(topic);
    if (partitions === undefined) topics.set(topic, (partitions = new Map()));
    partitions.set(partition, offset);
  }

  /**
   * An offset tombstone (OffsetDelete, DeleteGroups, expiry) removes every producer's pending
   * offset for the partition, as in Kafka.
   */
  remove(topic: string, partition: number): void {
    for (const [producerId, topics] of this.byProducer) {
      const partitions = topics.get(topic);
      if (partitions === undefined || !partitions.delete(partition)) continue;
      if (partitions.size === 0) topics.delete(topic);
      if (topics.size === 0) this.byProducer.delete(producerId);
    }
  }

  /** Removes and returns the producer's pending offsets: its transaction ended. */
  take(producerId: number): OffsetsByTopic | undefined {
    const topics = this.byProducer.get(producerId);
    this.byProducer.delete(producerId);
    return topics;
  }

  /** Every partition some producer has a pending offset for, once each. */
  partitions(): [topic: string, partition: number][] {
    const seen = new Map<string, Set<number>>();
    for (const topics of this.byProducer.values()) {
      for (const [topic, partitions] of topics) {
        let set = seen.get(topic);
        if (set === undefined) seen.set(topic, (set = new Set()));
        for (const partition of partitions.keys()) set.add(partition);
      }
    }
    return [...seen].flatMap(([topic, partitions]) => [...partitions].map((p): [string, number] => [topic, p]));
  }

  /** Every pending offset with its producer. */
  *entries(): Generator<[producerId: number, topic: string, partition: number, offset: OffsetAndMetadata]> {
    for (const [producerId, topics] of this.byProducer) {
      for (const [topic, partitions] of topics) {
        for (const [partition, offset] of partitions) yield [producerId, topic, partition, offset];
      }
    }
  }

  clone(): PendingTransactionalOffsets {
    const copy = new PendingTransactionalOffsets();
    for (const [producerId, topics] of this.byProducer) {
      copy.byProducer.set(producerId, new Map([...topics].map(([topic, p]) => [topic, new Map(p)])));
    }
    return copy;
  }
}
