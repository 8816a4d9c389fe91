/**
 * A rate over a window of samples (Kafka's Rate over SampledStat): values are added to the
 * current sample, samples older than `numSamples` windows are dropped, and the rate is their total
 * over the time since the oldest began — but never over less than all but one window, so that a
 * burst after a quiet spell is not measured over a few milliseconds.
 */
export class SampledRate {
  private readonly samples: { startMs: number; value: number }[] = [];

  constructor(
    private readonly numSamples: number,
    private readonly sampleWindowMs: number,
  ) {}

  record(value: number, nowMs: number): void {
    const current = this.samples[this.samples.length - 1];
    if (current !== undefined && nowMs - current.startMs < this.sampleWindowMs) current.value += value;
    else this.samples.push({ startMs: nowMs, value });
    while (this.samples.length > this.numSamples) this.samples.shift();
  }

  /** Per second. */
  rate(nowMs: number): number {
    this.expire(nowMs);
    const oldest = this.samples[0];
    if (oldest === undefined) return 0;
    let total = 0;
    for (const s of this.samples) total += s.value;
    return (total * 1000) / this.windowMs(nowMs);
  }

  /** The span the rate is measured over, in ms (Kafka's Rate.windowSize). */
  windowMs(nowMs: number): number {
    const oldest = this.samples[0];
    const elapsed = oldest === undefined ? 0 : nowMs - oldest.startMs;
    return Math.max(elapsed, this.sampleWindowMs * (this.numSamples - 1));
  }

  /** True when nothing was recorded within the whole window (the sensor may be dropped). */
  isIdle(nowMs: number): boolean {
    this.expire(nowMs);
    return this.samples.length === 0;
  }

  private expire(nowMs: number): void {
    const horizon = nowMs - this.sampleWindowMs * this.numSamples;
    while (this.samples.length > 0 && (this.samples[0] as { startMs: number }).startMs < horizon) this.samples.shift();
  }
}
