/**
 * Kafka's ThroughputThrottler: keeps a loop near `targetThroughput` operations per second
 * measured from `startMs`. A negative target never throttles; a target of 0 stops the loop at
 * its first throttle until the signal fires (Kafka's throttler waits forever there too).
 */
export class ThroughputThrottler {
  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {}

  /** Whether `amountSoFar` operations by `sendStartMs` are ahead of the target rate. */
  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false;
    const elapsedSec = (sendStartMs - this.startMs) / 1000;
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput;
  }

  /** Waits until `amountSoFar` operations are due at the target rate, or the signal fires. */
  async throttle(amountSoFar: number, signal: AbortSignal): Promise<void> {
    if (this.targetThroughput === 0) return sleep(Number.POSITIVE_INFINITY, signal);
    const dueMs = this.startMs + (amountSoFar * 1000) / this.targetThroughput;
    return sleep(dueMs - Date.now(), signal);
  }
}

/** Resolves after `ms` (at once if not positive) or when the signal fires, whichever is first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, 2 ** 31 - 1)) : undefined;
    signal.addEventListener('abort', done, { once: true });
  });
}
