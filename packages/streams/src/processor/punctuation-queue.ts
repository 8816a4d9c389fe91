import type { Cancellable, Punctuator } from './punctuation-type.js';

interface Schedule {
  next: number;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  readonly nodeName: string;
  cancelled: boolean;
}

/**
 * The punctuators of one task for one `PunctuationType`. `mayPunctuate(now)` fires each schedule
 * due at `now` once, with `now` (not the scheduled time), and reschedules it on its interval
 * grid past `now`: a gap of several intervals (no records for a while, a long pause) gives one
 * call, not a burst — Java's PunctuationSchedule behaves the same.
 */
export class PunctuationQueue {
  private readonly schedules: Schedule[] = [];

  schedule(startMs: number, intervalMs: number, nodeName: string, punctuator: Punctuator): Cancellable {
    if (!(intervalMs >= 1))
      throw new Error(`The minimum supported scheduling interval is 1 millisecond, got ${intervalMs}`);
    const s: Schedule = { next: startMs, intervalMs, punctuator, nodeName, cancelled: false };
    this.schedules.push(s);
    return {
      cancel: () => {
        s.cancelled = true;
      },
    };
  }

  /** Calls `run(nodeName, punctuator)` for each due schedule; returns whether any fired. */
  mayPunctuate(now: number, run: (nodeName: string, punctuator: Punctuator, now: number) => void): boolean {
    let fired = false;
    for (const s of [...this.schedules].sort((a, b) => a.next - b.next)) {
      if (s.cancelled || s.next > now) continue;
      run(s.nodeName, s.punctuator, now);
      fired = true;
      const missed = Math.floor((now - s.next) / s.intervalMs);
      s.next += (missed + 1) * s.intervalMs;
    }
    for (let i = this.schedules.length - 1; i >= 0; i--) if (this.schedules[i]?.cancelled) this.schedules.splice(i, 1);
    return fired;
  }
}
