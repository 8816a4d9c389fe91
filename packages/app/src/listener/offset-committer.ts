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
 * mode; both run on the container's single loop, so no commit races a revocation. Commits run
 * one at a time, in the order asked for (an older offset never lands after a newer one), and the
 * container awaits a listener's immediate commit (`settled`) before the next record. A failed
 * commit is logged and dropped: the records are delivered again after a rebalance, never lost.
 * Each successful commit publishes a `commit` event with the number of partitions.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PendingOffset>();
  private acksSinceCommit = 0;
  private lastCommitMs = Date.now();
  /** The last commit asked for: the next one starts when it is done. */
  private chain: Promise<void> = Promise.resolve();
  commits = 0;

  constructor(
    private readonly consumer: Consumer<Buffer, Buffer>,
    private readonly ackMode: AckMode,
    private readonly ackCount: number,
    private readonly ackTimeMs: number,
    /** False when the consumer auto-commits: the container then commits nothing itself. */
    private readonly enabled: boolean,
    private readonly logger: Logger,
    /** Called after each successful commit with the number of partitions committed. */
    private readonly onCommitted: (partitions: number) => void = () => {},
  ) {}

  get isManual(): boolean {
    return this.ackMode === AckMode.MANUAL || this.ackMode === AckMode.MANUAL_IMMEDIATE;
  }

  get isImmediate(): boolean {
    return this.ackMode === AckMode.MANUAL_IMMEDIATE;
  }

  /**
   * The record is done: its next offset becomes committable. Not when its partition is no longer
   * assigned (a listener's late `acknowledge()` after a revocation): its new owner commits it,
   * and an offset from here could move the group's back.
   */
  ack(record: ConsumerRecord<Buffer, Buffer>): void {
    if (!this.enabled) return;
    if (!this.consumer.assignment().some((tp) => tp.topic === record.topic && tp.partition === record.partition)) {
      return;
    }
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

  /**
   * Commits what is pending (for `partitions` only, when given), after the commits asked for
   * before this one; what is pending is read when this commit's turn comes.
   */
  commit(partitions?: readonly TopicPartition[]): Promise<void> {
    const next = this.chain.then(() => this.commitNow(partitions));
    this.chain = next.catch(() => {});
    return next;
  }

  /** Resolves once every commit asked for so far is done (MANUAL_IMMEDIATE's `acknowledge()`). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async commitNow(partitions?: readonly TopicPartition[]): Promise<void> {
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
      this.onCommitted(entries.length);
    } catch (error) {
      this.logger.warn('offset commit failed; the records will be delivered again after a rebalance', {
        error,
        partitions: entries.map(([, p]) => `${p.topic}-${p.partition}@${p.offset}`),
      });
    }
  }
}
