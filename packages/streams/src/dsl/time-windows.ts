/**
 * Kafka Streams' `TimeWindow`: the half-open interval [start, end) in milliseconds.
 */
export class TimeWindow {
  constructor(
    readonly startMs: number,
    readonly endMs: number,
  ) {}

  start(): number {
    return this.startMs;
  }

  end(): number {
    return this.endMs;
  }

  toString(): string {
    return `TimeWindow{startMs=${this.startMs}, endMs=${this.endMs}}`;
  }
}

/** Kafka Streams' `Windowed<K>`: a key and the window it was aggregated in; printed as Java does. */
export class Windowed<K> {
  constructor(
    private readonly k: K,
    private readonly w: TimeWindow,
  ) {}

  key(): K {
    return this.k;
  }

  window(): TimeWindow {
    return this.w;
  }

  toString(): string {
    return `[${String(this.k)}@${this.w.startMs}/${this.w.endMs}]`;
  }
}

/**
 * Kafka Streams' `TimeWindows`: tumbling windows (`ofSizeWithNoGrace`, `ofSizeAndGrace`) or
 * hopping ones (`advanceBy`), aligned to the epoch. A record belongs to every window whose
 * [start, end) holds its timestamp; a window takes records until stream time passes its end
 * plus the grace period, and later records for it are dropped, as in Java.
 */
export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {
    if (!(sizeMs > 0)) throw new Error(`IllegalArgumentException: Window size (sizeMs) must be larger than zero.`);
    if (!(advanceMs > 0 && advanceMs <= sizeMs)) {
      throw new Error(
        `IllegalArgumentException: Window advancement interval should be more than zero and less than window duration which is ${sizeMs} ms, but given advancement interval is: ${advanceMs} ms`,
      );
    }
    if (graceMs < 0) throw new Error('IllegalArgumentException: Grace period must not be negative.');
  }

  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, 0);
  }

  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  advanceBy(advanceMs: number): TimeWindows {
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  size(): number {
    return this.sizeMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  /** The windows holding `timestamp`, by start time. */
  windowsFor(timestamp: number): TimeWindow[] {
    const out: TimeWindow[] = [];
    let start = Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; start <= timestamp; start += this.advanceMs) out.push(new TimeWindow(start, start + this.sizeMs));
    return out;
  }
}
