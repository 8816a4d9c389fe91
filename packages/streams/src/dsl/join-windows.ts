/**
 * Kafka Streams' `JoinWindows`: how far apart in time two records of a stream–stream join may
 * be. A record at `t` of this stream joins the other stream's records in `[t - before, t + after]`;
 * `ofTimeDifference…(d)` sets both to `d`. The grace period keeps a window open for late records
 * and, for left/outer joins, delays the non-joined results until the window closes.
 */
export class JoinWindows {
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    private readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0) {
      throw new RangeError('Window interval (ie, beforeMs+afterMs) must not be negative.');
    }
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, afterWindowEndMs: number): JoinWindows {
    checkDuration('timeDifference', timeDifferenceMs);
    checkDuration('afterWindowEnd', afterWindowEndMs);
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, afterWindowEndMs);
  }

  /** Records of the other stream up to `timeDifferenceMs` earlier join (may be negative, as in Java). */
  before(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(timeDifferenceMs, this.afterMs, this.graceMs);
  }

  /** Records of the other stream up to `timeDifferenceMs` later join (may be negative, as in Java). */
  after(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, timeDifferenceMs, this.graceMs);
  }

  /** `before + after`: the span of one join window (the window stores' window size). */
  size(): number {
    return this.beforeMs + this.afterMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}

function checkDuration(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must not be negative: ${ms} ms`);
}
