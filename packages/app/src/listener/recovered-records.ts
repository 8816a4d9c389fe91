import type { ConsumerRecord, TopicPartition } from '@samsa/client';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * Records of a batch container that failed deserialization and were recovered (dead-lettered)
 * during this run. A retry of the batch after them (the whole batch, or from a
 * `BatchListenerFailedException`'s record) seeks back before them and delivers them again: they
 * are skipped then (acked as done), not recovered a second time.
 *
 * Bounded: each poll drops a partition's entries below the first offset it fetched for that
 * partition, since the container never seeks a partition back before the records in hand.
 *
 * One per run of the container, used from its loop only.
 */
export class RecoveredRecords {
  private readonly byPartition = new Map<string, Set<bigint>>();

  add(raw: ConsumerRecord<Buffer, Buffer>): void {
    const k = tpKey(raw);
    const offsets = this.byPartition.get(k) ?? new Set<bigint>();
    offsets.add(raw.offset);
    this.byPartition.set(k, offsets);
  }

  has(raw: ConsumerRecord<Buffer, Buffer>): boolean {
    return this.byPartition.get(tpKey(raw))?.has(raw.offset) ?? false;
  }

  /** A new poll's records: forgets what lies before them in their partitions. */
  prune(raws: readonly ConsumerRecord<Buffer, Buffer>[]): void {
    if (this.byPartition.size === 0) return;
    const first = new Map<string, bigint>();
    for (const r of raws) if (!first.has(tpKey(r))) first.set(tpKey(r), r.offset);
    for (const [k, offsets] of this.byPartition) {
      const from = first.get(k);
      if (from === undefined) continue;
      for (const offset of offsets) if (offset < from) offsets.delete(offset);
      if (offsets.size === 0) this.byPartition.delete(k);
    }
  }

  /** Entries kept (for tests: it stays bounded). */
  get size(): number {
    let n = 0;
    for (const offsets of this.byPartition.values()) n += offsets.size;
    return n;
  }
}
