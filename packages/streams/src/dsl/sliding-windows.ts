/**
 * Kafka Streams' `SlidingWindows`: windows of a fixed time difference, [start, start + diff] with
 * both ends inclusive, that exist only where records are. Each record creates its left window
 * [t - diff, t] and, when a later record falls within diff of it, its right window
 * [t + 1, t + 1 + diff]; windows take records until stream time passes their end plus grace.
 */
export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {
    if (!(timeDifferenceMs >= 0))
      throw new Error('IllegalArgumentException: Window time difference must not be negative.');
    if (graceMs < 0) throw new Error('IllegalArgumentException: Window grace period must not be negative.');
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return new SlidingWindows(timeDifferenceMs, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, afterWindowEndMs: number): SlidingWindows {
    return new SlidingWindows(timeDifferenceMs, afterWindowEndMs);
  }

  timeDifference(): number {
    return this.timeDifferenceMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
