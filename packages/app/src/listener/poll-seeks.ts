import type { Consumer, ConsumerRecord, TopicPartition } from '@samsa/client';
import type { SeekObserver } from './listener-consumer.js';
import type { OffsetCommitter } from './offset-committer.js';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * The seeks made while one poll's records are handled: how the container delivers records again.
 * When a record is to be delivered again, its partition is sought back to it, every other
 * partition with records left in this poll to the first of them, and the rest of the poll is
 * dropped. So records are never handled twice concurrently and never out of order.
 *
 * Invariants:
 * - A partition sought during this poll, by the container or through the `ListenerConsumer` (a
 *   listener's or an error handler's seek), has its records left in this poll dropped
 *   (`isSought`): the consumer fetches them again from the new position.
 * - Nothing at or after a seek is committed. Every seek but a back-off's caps the committer at
 *   its offset, and `ackUnlessSought` skips records at or after the offset the container sought
 *   their partition to (all of the partition's records when that offset is not known: seeks
 *   through the `ListenerConsumer`, to the beginning or end, and back-offs).
 * - A partition is only ever sought back by the container during a poll: `seekRemaining` to an
 *   offset before the one it sought to earlier moves the seek (and the cap) back.
 * - `clear()` runs after every poll: the seeks are forgotten once the consumer fetches from the
 *   new positions.
 *
 * One per consumer (one run of the container), used from the container's loop only.
 */
export class PollSeeks implements SeekObserver {
  private readonly sought = new Set<string>();
  /** Offsets that `seekRemaining` sought partitions to (none for the other kinds of seek). */
  private readonly targets = new Map<string, bigint>();
  /** Records of this poll handled or recovered (`seekUnhandled` leaves them behind). */
  private readonly done = new Set<ConsumerRecord<Buffer, Buffer>>();

  constructor(
    private readonly consumer: Consumer<Buffer, Buffer>,
    private readonly committer: OffsetCommitter,
  ) {}

  /** A new poll's records: nothing is sought yet. */
  clear(): void {
    this.sought.clear();
    this.targets.clear();
    this.done.clear();
  }

  /** The partition was sought during this poll: its remaining records are dropped. */
  isSought(tp: TopicPartition): boolean {
    return this.sought.has(tpKey(tp));
  }

  /** A seek through the `ListenerConsumer`; `offset` is undefined for the beginning or end. */
  seeked(tp: TopicPartition, offset: bigint | undefined): void {
    this.sought.add(tpKey(tp));
    this.committer.capAt(tp, offset);
  }

  /**
   * A retry topic's record that is not due yet: its partition is fetched from it again once the
   * back-off pause ends. Unlike the other seeks this one leaves the committer uncapped: only an
   * ack of this very record (a manual `acknowledge()` before the listener threw) could pass it.
   */
  seekBack(raw: ConsumerRecord<Buffer, Buffer>): void {
    this.consumer.seek(raw, raw.offset);
    this.sought.add(tpKey(raw));
  }

  /**
   * Seeks each partition with records from `from` on to its first such record; they come again.
   * A partition the container already sought further on during this poll (a record that failed
   * deserialization, then the batch before it failed too) is sought back again: a seek only ever
   * moves a partition back here. One sought through the `ListenerConsumer` (or a back-off's
   * seek) keeps that seek.
   */
  seekRemaining(records: readonly ConsumerRecord<Buffer, Buffer>[], from: number): void {
    for (let i = Math.max(from, 0); i < records.length; i++) {
      const r = records[i] as ConsumerRecord<Buffer, Buffer>;
      const k = tpKey(r);
      if (this.sought.has(k)) {
        const target = this.targets.get(k);
        if (target === undefined || target <= r.offset) continue;
      }
      this.seekTo(r, k);
    }
  }

  /** The record was handled (or recovered): a stop after an error does not deliver it again. */
  handled(raw: ConsumerRecord<Buffer, Buffer>): void {
    this.done.add(raw);
  }

  /**
   * An error ends the container while this poll's `records` are in hand: seeks each partition
   * not sought yet back to its first record not handled, so that neither the container's final
   * commit nor the consumer's auto-commit on close passes it. Partitions no longer assigned are
   * skipped (their new owner starts from the committed offset).
   */
  seekUnhandled(records: readonly ConsumerRecord<Buffer, Buffer>[]): void {
    const assigned = new Set(this.consumer.assignment().map(tpKey));
    for (const r of records) {
      const k = tpKey(r);
      if (this.sought.has(k) || this.done.has(r) || !assigned.has(k)) continue;
      this.seekTo(r, k);
    }
  }

  private seekTo(r: ConsumerRecord<Buffer, Buffer>, k: string): void {
    this.sought.add(k);
    this.targets.set(k, r.offset);
    this.consumer.seek(r, r.offset);
    this.committer.capAt(r, r.offset);
  }

  /** Acks records, except those at or after a seek in their partition (they come again). */
  ackUnlessSought(records: readonly ConsumerRecord<Buffer, Buffer>[]): void {
    for (const r of records) {
      const k = tpKey(r);
      const target = this.targets.get(k);
      if (this.sought.has(k) && (target === undefined || r.offset >= target)) continue;
      this.committer.ack(r);
    }
  }
}
