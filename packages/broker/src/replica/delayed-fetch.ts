import type { Partition } from './partition.js';

/**
 * A fetch parked until enough bytes arrive (`fetch.min.bytes`) or `fetch.max.wait.ms` passes —
 * Kafka's DelayedFetch in the fetch purgatory.
 *
 * Waking is cheap: each watched partition counts the bytes ever appended to it, and a wake-up (a
 * high watermark advance for consumers, an append for followers) only compares counters; the
 * logs are read once, when the fetch completes.
 */
export class DelayedFetch {
  private readonly unsubscribes: (() => void)[] = [];
  private readonly startBytes: number[];
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  readonly completion: Promise<void>;
  private resolve!: () => void;

  constructor(
    private readonly partitions: readonly Partition[],
    private readonly bytesAlreadyRead: number,
    private readonly minBytes: number,
    maxWaitMs: number,
    /** Consumers wait for the high watermark to move; followers wait for appends. */
    wakeOn: 'high-watermark' | 'append' = 'high-watermark',
  ) {
    this.completion = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.startBytes = partitions.map((p) => p.bytesAppended);
    for (const partition of partitions) {
      const wake = () => this.tryComplete();
      this.unsubscribes.push(wakeOn === 'append' ? partition.onAppend(wake) : partition.onHighWatermarkAdvance(wake));
    }
    this.timer = setTimeout(() => this.complete(), maxWaitMs);
  }

  private tryComplete(): void {
    let bytes = this.bytesAlreadyRead;
    for (let i = 0; i < this.partitions.length; i++) {
      bytes += (this.partitions[i] as Partition).bytesAppended - (this.startBytes[i] as number);
    }
    if (bytes >= this.minBytes) this.complete();
  }

  /** Completes now (timeout, leadership change, shutdown). Idempotent. */
  complete(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.resolve();
  }
}
