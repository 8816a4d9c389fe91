import { TimeWindow } from './time-windows.js';

/**
 * Kafka Streams' `SessionWindow`: a session's first and last record timestamps, both inclusive
 * (a session of one record is [t, t]). It extends `TimeWindow` here only so `Windowed<K>` holds
 * either kind; Java prints it as `Window{startMs=…, endMs=…}`.
 */
export class SessionWindow extends TimeWindow {
  override toString(): string {
    return `Window{startMs=${this.startMs}, endMs=${this.endMs}}`;
  }
}

/**
 * Kafka Streams' `SessionWindows`: per-key sessions of activity. A record within the inactivity
 * gap of an existing session (before its start or after its end) joins it, and a record that
 * bridges two sessions merges them. A session closes once stream time passes its end plus the
 * gap plus the grace period; later records for it are dropped, as in Java.
 */
export class SessionWindows {
  private constructor(
    readonly gapMs: number,
    readonly graceMs: number,
  ) {
    if (!(gapMs > 0)) throw new Error('IllegalArgumentException: Gap time cannot be zero or negative.');
    if (graceMs < 0) throw new Error('IllegalArgumentException: Grace period must not be negative.');
  }

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return new SessionWindows(inactivityGapMs, 0);
  }

  static ofInactivityGapAndGrace(inactivityGapMs: number, afterWindowEndMs: number): SessionWindows {
    return new SessionWindows(inactivityGapMs, afterWindowEndMs);
  }

  inactivityGap(): number {
    return this.gapMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
