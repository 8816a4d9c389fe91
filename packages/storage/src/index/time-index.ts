import * as fs from 'node:fs';
import { writeFullySync } from '../util/file-ops.js';
import { readInt64, writeInt64 } from '../util/int64.js';
import { CorruptIndexError } from './corrupt-index-error.js';
import { truncateFile } from './offset-index.js';

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
 * Memory model as for OffsetIndex: typed arrays are the truth, appends are written by flush().
 */
export class TimeIndex {
  static readonly ENTRY_SIZE = 12;

  private timestamps: Float64Array;
  private relOffsets: Int32Array;
  private count = 0;
  private persisted = 0;
  private loaded: boolean;

  constructor(
    public path: string,
    readonly baseOffset: number,
    readonly maxIndexSize: number,
    newlyCreated = false,
  ) {
    this.timestamps = new Float64Array(16);
    this.relOffsets = new Int32Array(16);
    this.loaded = newlyCreated;
  }

  get maxEntries(): number {
    return Math.floor(this.maxIndexSize / TimeIndex.ENTRY_SIZE);
  }

  get entries(): number {
    this.ensureLoaded();
    return this.count;
  }

  isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  get sizeInBytes(): number {
    return this.entries * TimeIndex.ENTRY_SIZE;
  }

  /** The last entry, or (-1, baseOffset) when empty (Kafka: `TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset)`). */
  lastEntry(): TimestampOffset {
    this.ensureLoaded();
    if (this.count === 0) return { timestamp: -1, offset: this.baseOffset };
    return {
      timestamp: this.timestamps[this.count - 1] as number,
      offset: this.baseOffset + (this.relOffsets[this.count - 1] as number),
    };
  }

  ensureLoaded(): void {
    if (this.loaded) return;
    let data: Buffer;
    try {
      data = fs.readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      data = Buffer.alloc(0);
    }
    if (data.length % TimeIndex.ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(`time index ${this.path} has size ${data.length}, not a multiple of 12`);
    }
    const n = data.length / TimeIndex.ENTRY_SIZE;
    this.grow(n);
    for (let i = 0; i < n; i++) {
      let ts: number;
      try {
        ts = readInt64(data, i * 12);
      } catch {
        throw new CorruptIndexError(`time index ${this.path} has an out-of-range timestamp at entry ${i}`);
      }
      const rel = data.readInt32BE(i * 12 + 8);
      if (i > 0 && (ts <= (this.timestamps[i - 1] as number) || rel < (this.relOffsets[i - 1] as number))) {
        throw new CorruptIndexError(`time index ${this.path} is not monotonic at entry ${i}`);
      }
      if (rel < 0) throw new CorruptIndexError(`time index ${this.path} has a negative offset at entry ${i}`);
      this.timestamps[i] = ts;
      this.relOffsets[i] = rel;
    }
    this.count = n;
    this.persisted = n;
    this.loaded = true;
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
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[mid] as number) <= targetTimestamp) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return { timestamp: -1, offset: this.baseOffset };
    return {
      timestamp: this.timestamps[found] as number,
      offset: this.baseOffset + (this.relOffsets[found] as number),
    };
  }

  entry(n: number): TimestampOffset {
    this.ensureLoaded();
    if (n < 0 || n >= this.count) throw new RangeError(`time index slot ${n} out of range`);
    return { timestamp: this.timestamps[n] as number, offset: this.baseOffset + (this.relOffsets[n] as number) };
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
      const lastOffset = this.baseOffset + (this.relOffsets[this.count - 1] as number);
      if (offset < lastOffset) {
        throw new Error(`time index ${this.path}: offset ${offset} is smaller than the last entry's ${lastOffset}`);
      }
      if (timestamp <= (this.timestamps[this.count - 1] as number)) return;
    }
    this.grow(this.count + 1);
    this.timestamps[this.count] = timestamp;
    this.relOffsets[this.count] = offset - this.baseOffset;
    this.count++;
  }

  /** Removes every entry with offset ≥ `offset`. */
  truncateTo(offset: number): void {
    this.ensureLoaded();
    const rel = offset - this.baseOffset;
    let keep = this.count;
    while (keep > 0 && (this.relOffsets[keep - 1] as number) >= rel) keep--;
    this.truncateToEntries(keep);
  }

  reset(): void {
    this.loaded = true;
    this.truncateToEntries(0);
  }

  private truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.count = n;
    if (this.persisted > n) {
      this.persisted = n;
      truncateFile(this.path, n * TimeIndex.ENTRY_SIZE);
    }
  }

  flush(): void {
    if (!this.loaded) return;
    if (this.persisted === this.count && fs.existsSync(this.path)) return;
    const n = this.count - this.persisted;
    const buf = Buffer.allocUnsafe(n * TimeIndex.ENTRY_SIZE);
    for (let i = 0; i < n; i++) {
      writeInt64(buf, this.timestamps[this.persisted + i] as number, i * 12);
      buf.writeInt32BE(this.relOffsets[this.persisted + i] as number, i * 12 + 8);
    }
    const fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_CREAT);
    try {
      fs.ftruncateSync(fd, this.persisted * TimeIndex.ENTRY_SIZE);
      writeFullySync(fd, buf, 0, buf.length, this.persisted * TimeIndex.ENTRY_SIZE);
    } finally {
      fs.closeSync(fd);
    }
    this.persisted = this.count;
  }

  renameTo(path: string): void {
    try {
      fs.renameSync(this.path, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.path = path;
  }

  deleteIfExists(): void {
    try {
      fs.unlinkSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private grow(n: number): void {
    if (n <= this.timestamps.length) return;
    const cap = Math.max(n, this.timestamps.length * 2);
    const ts = new Float64Array(cap);
    ts.set(this.timestamps.subarray(0, this.count));
    const rel = new Int32Array(cap);
    rel.set(this.relOffsets.subarray(0, this.count));
    this.timestamps = ts;
    this.relOffsets = rel;
  }
}
