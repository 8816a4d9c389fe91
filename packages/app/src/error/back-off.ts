/**
 * How long to wait before the next attempt, and when to stop (Spring's `BackOff`). An execution
 * is started per failing record; `nextBackOffMs()` answers the wait or `STOP` once attempts are
 * exhausted.
 */
export const STOP = -1;

export interface BackOffExecution {
  nextBackOffMs(): number;
}

export interface BackOff {
  start(): BackOffExecution;
}

/** `maxAttempts` retries `intervalMs` apart (Spring's FixedBackOff; `Infinity` retries forever). */
export class FixedBackOff implements BackOff {
  constructor(
    readonly intervalMs = 5000,
    readonly maxAttempts = Number.POSITIVE_INFINITY,
  ) {
    if (!(intervalMs >= 0)) throw new RangeError(`FixedBackOff intervalMs must be >= 0, was ${intervalMs}`);
    if (!(maxAttempts >= 0)) throw new RangeError(`FixedBackOff maxAttempts must be >= 0, was ${maxAttempts}`);
  }

  start(): BackOffExecution {
    let attempts = 0;
    return {
      nextBackOffMs: () => (attempts++ < this.maxAttempts ? this.intervalMs : STOP),
    };
  }
}

export interface ExponentialBackOffOptions {
  readonly initialIntervalMs?: number;
  readonly multiplier?: number;
  readonly maxIntervalMs?: number;
  /** Stop once the sum of waits would exceed this (Spring's maxElapsedTime). */
  readonly maxElapsedTimeMs?: number;
  /** Stop after this many retries (Spring's ExponentialBackOffWithMaxRetries). */
  readonly maxRetries?: number;
}

/**
 * Waits growing by `multiplier` from `initialIntervalMs` up to `maxIntervalMs` (Spring's
 * ExponentialBackOff defaults: 2000 ms, ×1.5, 30 s, no elapsed-time limit).
 */
export class ExponentialBackOff implements BackOff {
  readonly initialIntervalMs: number;
  readonly multiplier: number;
  readonly maxIntervalMs: number;
  readonly maxElapsedTimeMs: number;
  readonly maxRetries: number;

  constructor(options: ExponentialBackOffOptions = {}) {
    this.initialIntervalMs = options.initialIntervalMs ?? 2000;
    this.multiplier = options.multiplier ?? 1.5;
    this.maxIntervalMs = options.maxIntervalMs ?? 30_000;
    this.maxElapsedTimeMs = options.maxElapsedTimeMs ?? Number.POSITIVE_INFINITY;
    this.maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
    if (!(this.multiplier >= 1))
      throw new RangeError(`ExponentialBackOff multiplier must be >= 1, was ${this.multiplier}`);
  }

  start(): BackOffExecution {
    let interval = this.initialIntervalMs;
    let elapsed = 0;
    let retries = 0;
    return {
      nextBackOffMs: () => {
        if (retries >= this.maxRetries || elapsed >= this.maxElapsedTimeMs) return STOP;
        const wait = Math.min(interval, this.maxIntervalMs);
        retries++;
        elapsed += wait;
        interval = Math.min(interval * this.multiplier, this.maxIntervalMs);
        return wait;
      },
    };
  }
}
