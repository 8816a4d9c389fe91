import * as fs from 'node:fs';
import { writeFullySync } from '../util/file-ops.js';
import { CorruptIndexError } from './corrupt-index-error.js';

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

/**
 * A segment's sparse offset index (`<baseOffset>.index`), Kafka's `OffsetIndex`.
 *
 * File format: a sequence of 8-byte entries, big-endian
 *   int32 relativeOffset   offset - baseOffset
 *   int32 position         byte position in the `.log` file of the batch holding that offset
 * Each entry is written for the *last* offset of a batch and the position where that batch
 * starts, so looking up the greatest entry ≤ target yields a position at or before the batch
 * containing the target; the reader scans forward from there.
 *
 * Invariants: relative offsets strictly increase; positions strictly increase; the file holds
 * exactly `entries * 8` bytes (Samsa does not preallocate index files, so there is nothing to
 * trim); at most `maxEntries = floor(maxIndexSize / 8)` entries — the segment rolls when full.
 *
 * Memory model: entries live in typed arrays and are the source of truth. Appends are buffered and
 * written to the file by `flush()` (called on log flush, roll and close) — a crash may lose unwritten
 * entries, but indexes at or above the recovery point are rebuilt on unclean restart anyway.
 * An index of an inactive segment is read lazily on first use (`ensureLoaded`).
 *
 * Not reentrant: owned by one LogSegment, used from the event loop only.
 */
export class OffsetIndex {
  static readonly ENTRY_SIZE = 8;

  private relOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  /** Entries [0, persisted) are in the file. */
  private persisted = 0;
  private loaded: boolean;

  constructor(
    public path: string,
    readonly baseOffset: number,
    readonly maxIndexSize: number,
    /** A new segment has no file yet: nothing to load. */
    newlyCreated = false,
  ) {
    this.relOffsets = new Int32Array(16);
    this.positions = new Int32Array(16);
    this.loaded = newlyCreated;
  }

  get maxEntries(): number {
    return Math.floor(this.maxIndexSize / OffsetIndex.ENTRY_SIZE);
  }

  get entries(): number {
    this.ensureLoaded();
    return this.count;
  }

  isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  /** Size of the index's content in bytes. */
  get sizeInBytes(): number {
    return this.entries * OffsetIndex.ENTRY_SIZE;
  }

  get lastOffset(): number {
    this.ensureLoaded();
    return this.count === 0 ? this.baseOffset : this.baseOffset + (this.relOffsets[this.count - 1] as number);
  }

  /** Reads the file if not yet loaded. Throws CorruptIndexError if it fails the sanity check. */
  ensureLoaded(): void {
    if (this.loaded) return;
    let data: Buffer;
    try {
      data = fs.readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      data = Buffer.alloc(0);
    }
    if (data.length % OffsetIndex.ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(`index file ${this.path} has size ${data.length}, not a multiple of 8`);
    }
    const n = data.length / OffsetIndex.ENTRY_SIZE;
    this.grow(n);
    for (let i = 0; i < n; i++) {
      const rel = data.readInt32BE(i * 8);
      const pos = data.readInt32BE(i * 8 + 4);
      if (i > 0 && (rel <= (this.relOffsets[i - 1] as number) || pos <= (this.positions[i - 1] as number))) {
        throw new CorruptIndexError(`index file ${this.path} is not monotonic at entry ${i}`);
      }
      if (rel < 0 || pos < 0) throw new CorruptIndexError(`index file ${this.path} has a negative entry ${i}`);
      this.relOffsets[i] = rel;
      this.positions[i] = pos;
    }
    this.count = n;
    this.persisted = n;
    this.loaded = true;
  }

  /** Checks the index against its segment's log size; throws CorruptIndexError on mismatch. */
  sanityCheck(logSize: number): void {
    this.ensureLoaded();
    if (this.count > 0 && (this.positions[this.count - 1] as number) >= logSize) {
      throw new CorruptIndexError(`index ${this.path} points past the end of its log (${logSize} bytes)`);
    }
  }

  /** The greatest entry with offset ≤ target, or (baseOffset, 0) if there is none. */
  lookup(targetOffset: number): OffsetPosition {
    this.ensureLoaded();
    const slot = this.largestLowerBoundSlot(targetOffset - this.baseOffset);
    if (slot < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + (this.relOffsets[slot] as number), position: this.positions[slot] as number };
  }

  /** The entry at slot n (for tests and recovery). */
  entry(n: number): OffsetPosition {
    this.ensureLoaded();
    if (n < 0 || n >= this.count) throw new RangeError(`index slot ${n} out of range`);
    return { offset: this.baseOffset + (this.relOffsets[n] as number), position: this.positions[n] as number };
  }

  /** Adds an entry; offsets and positions must increase. Throws if full. */
  append(offset: number, position: number): void {
    this.ensureLoaded();
    const rel = offset - this.baseOffset;
    if (this.count > 0 && rel <= (this.relOffsets[this.count - 1] as number)) {
      throw new Error(
        `offset index ${this.path}: offset ${offset} is not larger than the last entry ${this.lastOffset}`,
      );
    }
    if (this.count >= this.maxEntries) throw new Error(`offset index ${this.path} is full (${this.count} entries)`);
    if (rel > 0x7fffffff || rel < 0)
      throw new Error(`offset ${offset} does not fit index with base ${this.baseOffset}`);
    this.grow(this.count + 1);
    this.relOffsets[this.count] = rel;
    this.positions[this.count] = position;
    this.count++;
  }

  /** Removes every entry with offset ≥ `offset`. */
  truncateTo(offset: number): void {
    this.ensureLoaded();
    const slot = this.largestLowerBoundSlot(offset - this.baseOffset);
    // Keep entries < offset: slot's entry is ≤ offset; drop it if equal.
    let keep = slot + 1;
    if (slot >= 0 && this.baseOffset + (this.relOffsets[slot] as number) === offset) keep = slot;
    this.truncateToEntries(keep);
  }

  /** Removes every entry. */
  reset(): void {
    this.loaded = true;
    this.truncateToEntries(0);
  }

  private truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.count = n;
    if (this.persisted > n) {
      this.persisted = n;
      truncateFile(this.path, n * OffsetIndex.ENTRY_SIZE);
    }
  }

  /** Writes buffered entries to the file (no fsync). */
  flush(): void {
    if (!this.loaded) return;
    if (this.persisted === this.count && fs.existsSync(this.path)) return;
    const n = this.count - this.persisted;
    const buf = Buffer.allocUnsafe(n * OffsetIndex.ENTRY_SIZE);
    for (let i = 0; i < n; i++) {
      buf.writeInt32BE(this.relOffsets[this.persisted + i] as number, i * 8);
      buf.writeInt32BE(this.positions[this.persisted + i] as number, i * 8 + 4);
    }
    const fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_CREAT);
    try {
      fs.ftruncateSync(fd, this.persisted * OffsetIndex.ENTRY_SIZE);
      writeFullySync(fd, buf, 0, buf.length, this.persisted * OffsetIndex.ENTRY_SIZE);
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

  private largestLowerBoundSlot(relTarget: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.relOffsets[mid] as number) <= relTarget) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private grow(n: number): void {
    if (n <= this.relOffsets.length) return;
    const cap = Math.max(n, this.relOffsets.length * 2);
    const rel = new Int32Array(cap);
    rel.set(this.relOffsets.subarray(0, this.count));
    const pos = new Int32Array(cap);
    pos.set(this.positions.subarray(0, this.count));
    this.relOffsets = rel;
    this.positions = pos;
  }
}

export function truncateFile(path: string, length: number): void {
  try {
    fs.truncateSync(path, length);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
