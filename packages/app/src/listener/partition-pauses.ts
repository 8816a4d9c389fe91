import type { Consumer, TopicPartition } from '@samsa/client';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * Why partitions are paused, so that one reason ending does not resume a partition another
 * still holds: the application's `pause()` of the whole container, a single partition's pause,
 * a `nack(sleep)`, and a retry topic's back-off. A partition is fetched only when no reason
 * holds it. Pauses survive a rebalance: partitions assigned later are paused if the whole
 * container is.
 */
export class PartitionPauses {
  private readonly partitions = new Map<string, { tp: TopicPartition; reasons: Set<string> }>();
  private readonly allReasons = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly consumer: Consumer<Buffer, Buffer>) {}

  pause(tps: readonly TopicPartition[], reason: string): void {
    for (const tp of tps) {
      const entry = this.partitions.get(tpKey(tp)) ?? {
        tp: { topic: tp.topic, partition: tp.partition },
        reasons: new Set(),
      };
      entry.reasons.add(reason);
      this.partitions.set(tpKey(tp), entry);
      this.sync(tp);
    }
  }

  resume(tps: readonly TopicPartition[], reason: string): void {
    for (const tp of tps) {
      this.partitions.get(tpKey(tp))?.reasons.delete(reason);
      this.sync(tp);
    }
  }

  pauseAll(reason: string): void {
    this.allReasons.add(reason);
    for (const tp of this.consumer.assignment()) this.sync(tp);
  }

  resumeAll(reason: string): void {
    this.allReasons.delete(reason);
    for (const tp of this.consumer.assignment()) this.sync(tp);
  }

  isPaused(reason: string): boolean {
    return this.allReasons.has(reason);
  }

  /** `nack(sleep)`: nothing is fetched for `ms`. */
  pauseAllFor(ms: number): void {
    this.pauseAll('nack');
    this.after(ms, () => this.resumeAll('nack'));
  }

  /** A retry topic's record is due at `dueMs`: its partition waits until then. */
  pauseUntil(tp: TopicPartition, dueMs: number): void {
    this.pause([tp], 'backoff');
    this.after(dueMs - Date.now(), () => this.resume([tp], 'backoff'));
  }

  /** Newly assigned partitions take the pauses that apply to them. */
  applyTo(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.sync(tp);
  }

  forget(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.partitions.delete(tpKey(tp));
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        action();
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }

  private sync(tp: TopicPartition): void {
    const held = this.allReasons.size > 0 || (this.partitions.get(tpKey(tp))?.reasons.size ?? 0) > 0;
    if (!this.consumer.assignment().some((a) => a.topic === tp.topic && a.partition === tp.partition)) return;
    if (held) this.consumer.pause([tp]);
    else this.consumer.resume([tp]);
  }
}
