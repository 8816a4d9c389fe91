import type { Consumer, ConsumerRecord, TopicPartition } from '@samsa/client';
import type { Logger } from '../support/logger.js';
import { AckMode } from './ack-mode.js';

interface PendingOffset {
  readonly topic: string;
  readonly partition: number;
  offset: bigint;
  leaderEpoch: number;
}

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * Collects handled records' offsets and commits them as the ack mode says. Commits are
 * synchronous (`commitSync`) and happen between polls, or from the listener in MANUAL_IMMEDIATE
 * mode; both run on the container's single loop, so no commit races a revocation. A failed
 * commit is logged and dropped: the records are delivered again after a rebalance, never lost.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PendingOffset>();
  private acksSinceCommit = 0;
  private lastCommitMs = Date.now();
  commits = 0;

  constructor(
    private readonly consumer: Consumer<Buffer, Buffer>,
    private readonly ackMode: AckMode,
    private readonly ackCount: number,
    private readonly ackTimeMs: number,
    /** False when the consumer auto-commits: the container then commits nothing itself. */
    private readonly enabled: boolean,
    private readonly logger: Logger,
  ) {}

  get isManual(): boolean {
    return this.ackMode === AckMode.MANUAL || this.ackMode === AckMode.MANUAL_IMMEDIATE;
  }

  get isImmediate(): boolean {
    return this.ackMode === AckMode.MANUAL_IMMEDIATE;
  }

  /** The record is done: its next offset becomes committable. */
  ack(record: ConsumerRecord<Buffer, Buffer>): void {
    if (!this.enabled) return;
    const k = key(record);
    const next = record.offset + 1n;
    const current = this.pending.get(k);
    if (current === undefined) {
      this.pending.set(k, {
        topic: record.topic,
        partition: record.partition,
        offset: next,
        leaderEpoch: record.leaderEpoch,
      });
    } else if (next > current.offset) {
      current.offset = next;
      current.leaderEpoch = record.leaderEpoch;
    }
    this.acksSinceCommit++;
  }

  /** A seek back to `offset` (undefined: to the beginning or end): never commit past it. */
  capAt(tp: TopicPartition, offset: bigint | undefined): void {
    const current = this.pending.get(key(tp));
    if (current === undefined) return;
    if (offset === undefined) this.pending.delete(key(tp));
    else if (current.offset > offset) current.offset = offset;
  }

  /** Partitions lost to another member: their offsets must not be committed by this one. */
  drop(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.pending.delete(key(tp));
  }

  async afterRecord(): Promise<void> {
    if (this.ackMode === AckMode.RECORD) await this.commit();
  }

  async afterPoll(): Promise<void> {
    const now = Date.now();
    const timeDue = now - this.lastCommitMs >= this.ackTimeMs;
    const countDue = this.acksSinceCommit >= this.ackCount;
    switch (this.ackMode) {
      case AckMode.TIME:
        if (timeDue) await this.commit();
        return;
      case AckMode.COUNT:
        if (countDue) await this.commit();
        return;
      case AckMode.COUNT_TIME:
        if (timeDue || countDue) await this.commit();
        return;
      default:
        await this.commit();
    }
  }

  /** Commits what is pending (for `partitions` only, when given). */
  async commit(partitions?: readonly TopicPartition[]): Promise<void> {
    const wanted = partitions === undefined ? undefined : new Set(partitions.map(key));
    const entries = [...this.pending.entries()].filter(([k]) => wanted === undefined || wanted.has(k));
    if (entries.length === 0) return;
    for (const [k] of entries) this.pending.delete(k);
    if (partitions === undefined) {
      this.acksSinceCommit = 0;
      this.lastCommitMs = Date.now();
    }
    try {
      await this.consumer.commitSync(entries.map(([, p]) => ({ ...p })));
      this.commits++;
    } catch (error) {
      this.logger.warn('offset commit failed; the records will be delivered again after a rebalance', {
        error,
        partitions: entries.map(([, p]) => `${p.topic}-${p.partition}@${p.offset}`),
      });
    }
  }
}
