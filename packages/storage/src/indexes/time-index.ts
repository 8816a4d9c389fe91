import { readInt64, writeInt64 } from '../util/int64.js';
import { AbstractIndex } from './abstract-index.js';
import { CorruptIndexError } from './corrupt-index-error.js';

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

/** Kafka's `TimestampOffset.UNKNOWN`. */
export const UNKNOWN_TIMESTAMP_OFFSET: TimestampOffset = Object.freeze({ timestamp: -1, offset: -1 });

/**
 * A segment's sparse time index (`<baseOffset>.timeindex`), Kafka's `TimeIndex`.
 *
 * File format: a sequence of 12-byte entries, big-endian
 *   int64 timestamp        the largest timestamp seen in the segment so far
 *   int32 relativeOffset   offset of the batch holding that timestamp, minus baseOffset
 * An entry is added alongside each offset index entry, but only if its timestamp is larger than
 * the last entry's, so timestamps strictly increase and offsets never decrease. When a segment
 * becomes inactive (roll) or is closed, one more entry records its final max timestamp, so the
 * last entry of an inactive segment is the segment's largest timestamp.
 *
 * Keys are timestamps (exact as doubles below 2^53), values relative offsets; memory model, size
 * limit and file handling are AbstractIndex's.
 */
export class TimeIndex extends AbstractIndex<Float64Array> {
  static readonly ENTRY_SIZE = 12;

  constructor(path: string, baseOffset: number, maxIndexSize: number, newlyCreated = false) {
    super(path, baseOffset, maxIndexSize, TimeIndex.ENTRY_SIZE, 'time index', (n) => new Float64Array(n), newlyCreated);
  }

  /** The last entry, or (-1, baseOffset) when empty (Kafka: `TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset)`). */
  lastEntry(): TimestampOffset {
    this.ensureLoaded();
    if (this.count === 0) return { timestamp: -1, offset: this.baseOffset };
    return {
      timestamp: this.keys[this.count - 1] as number,
      offset: this.baseOffset + (this.values[this.count - 1] as number),
    };
  }

  /** Checks the last entry's offset against the segment's next offset. */
  sanityCheck(nextOffset: number): void {
    this.ensureLoaded();
    if (this.count > 0 && this.lastEntry().offset >= Math.max(nextOffset, this.baseOffset + 1)) {
      throw new CorruptIndexError(`time index ${this.path} points past its segment's end offset ${nextOffset}`);
    }
  }

  /** The greatest entry with timestamp ≤ target, or (-1, baseOffset) if none. */
  lookup(targetTimestamp: number): TimestampOffset {
    this.ensureLoaded();
    const found = this.largestLowerBoundSlot(targetTimestamp);
    if (found < 0) return { timestamp: -1, offset: this.baseOffset };
    return {
      timestamp: this.keys[found] as number,
      offset: this.baseOffset + (this.values[found] as number),
    };
  }

  entry(n: number): TimestampOffset {
    this.ensureLoaded();
    if (n < 0 || n >= this.count) throw new RangeError(`time index slot ${n} out of range`);
    return { timestamp: this.keys[n] as number, offset: this.baseOffset + (this.values[n] as number) };
  }

  /**
   * Appends (timestamp, offset) if timestamp is larger than the last entry's. `skipFullCheck`
   * allows the final entry written when the segment becomes inactive.
   */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    this.ensureLoaded();
    if (!skipFullCheck && this.count >= this.maxEntries) {
      throw new Error(`time index ${this.path} is full (${this.count} entries)`);
    }
    if (this.count > 0) {
      const lastOffset = this.baseOffset + (this.values[this.count - 1] as number);
      if (offset < lastOffset) {
        throw new Error(`time index ${this.path}: offset ${offset} is smaller than the last entry's ${lastOffset}`);
      }
      if (timestamp <= (this.keys[this.count - 1] as number)) return;
    }
    this.appendEntry(timestamp, offset - this.baseOffset);
  }

  protected override loadEntry(data: Buffer, i: number): void {
    let ts: number;
    try {
      ts = readInt64(data, i * 12);
    } catch {
      throw new CorruptIndexError(`time index ${this.path} has an out-of-range timestamp at entry ${i}`);
    }
    const rel = data.readInt32BE(i * 12 + 8);
    if (i > 0 && (ts <= (this.keys[i - 1] as number) || rel < (this.values[i - 1] as number))) {
      throw new CorruptIndexError(`time index ${this.path} is not monotonic at entry ${i}`);
    }
    if (rel < 0) throw new CorruptIndexError(`time index ${this.path} has a negative offset at entry ${i}`);
    this.keys[i] = ts;
    this.values[i] = rel;
  }

  protected override writeEntry(buf: Buffer, pos: number, slot: number): void {
    writeInt64(buf, this.keys[slot] as number, pos);
    buf.writeInt32BE(this.values[slot] as number, pos + 8);
  }

  protected override relativeOffsetAt(slot: number): number {
    return this.values[slot] as number;
  }
}
