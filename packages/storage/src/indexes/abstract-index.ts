import * as fs from 'node:fs';
import { writeFullySync } from '../util/file-ops.js';
import { IndexFile } from './index-file.js';

/**
 * What OffsetIndex and TimeIndex share, Kafka's `AbstractIndex`: a sparse index of fixed-size
 * entries, each a key (the offset for OffsetIndex, the timestamp for TimeIndex) and an int32 value
 * (a position, a relative offset), with keys strictly increasing so lookups are binary searches.
 *
 * Memory model: the entries live in two typed arrays (`keys`, `values`), which are the source of
 * truth; Kafka memory-maps the file instead. Appends are buffered and written to the file by
 * `flush()` (called on log flush, roll and close) — a crash may lose unwritten entries, but
 * indexes at or above the recovery point are rebuilt on unclean restart anyway. Samsa does not
 * preallocate index files: a file holds exactly `entries * entrySize` bytes and there is nothing
 * to trim. An index of an inactive segment is read lazily on first use (`ensureLoaded`).
 *
 * Invariants: at most `maxEntries = floor(maxIndexSize / entrySize)` entries (the segment rolls
 * when an index is full); entries' offsets never decrease, so truncating by offset removes a
 * suffix.
 *
 * Not reentrant: owned by one LogSegment, used from the event loop only.
 */
export abstract class AbstractIndex<Keys extends Int32Array | Float64Array> extends IndexFile {
  protected keys: Keys;
  protected values: Int32Array;
  protected count = 0;
  /** Entries [0, persisted) are in the file. */
  private persisted = 0;
  private loaded: boolean;

  protected constructor(
    path: string,
    readonly baseOffset: number,
    readonly maxIndexSize: number,
    private readonly entrySize: number,
    /** Names the index in error messages ("index file", "time index"). */
    protected readonly kind: string,
    private readonly allocateKeys: (capacity: number) => Keys,
    /** A new segment has no file yet: nothing to load. */
    newlyCreated: boolean,
  ) {
    super(path);
    this.keys = allocateKeys(16);
    this.values = new Int32Array(16);
    this.loaded = newlyCreated;
  }

  /**
   * Reads the entry at `slot` of the file's bytes into `keys[slot]` and `values[slot]`, checking it
   * against the entry before it; throws CorruptIndexError if it is not a valid entry.
   */
  protected abstract loadEntry(data: Buffer, slot: number): void;

  /** Writes the entry at `slot` into `buf` at `pos` in the file's format. */
  protected abstract writeEntry(buf: Buffer, pos: number, slot: number): void;

  /** The entry at `slot`'s offset, relative to baseOffset. */
  protected abstract relativeOffsetAt(slot: number): number;

  get maxEntries(): number {
    return Math.floor(this.maxIndexSize / this.entrySize);
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
    return this.entries * this.entrySize;
  }

  /** Reads the file if not yet loaded. Throws CorruptIndexError if it fails the sanity check. */
  ensureLoaded(): void {
    if (this.loaded) return;
    const data = this.readEntries(this.entrySize, this.kind);
    const n = data.length / this.entrySize;
    this.grow(n);
    for (let i = 0; i < n; i++) this.loadEntry(data, i);
    this.count = n;
    this.persisted = n;
    this.loaded = true;
  }

  /** Removes every entry with offset ≥ `offset`. */
  truncateTo(offset: number): void {
    this.ensureLoaded();
    const rel = offset - this.baseOffset;
    // Offsets never decrease: keep the entries before the first one at or above `offset`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relativeOffsetAt(mid) < rel) lo = mid + 1;
      else hi = mid;
    }
    this.truncateToEntries(lo);
  }

  /** Removes every entry. */
  reset(): void {
    this.loaded = true;
    this.truncateToEntries(0);
  }

  /** Writes buffered entries to the file (no fsync). */
  flush(): void {
    if (!this.loaded) return;
    if (this.persisted === this.count && fs.existsSync(this.path)) return;
    const n = this.count - this.persisted;
    const buf = Buffer.allocUnsafe(n * this.entrySize);
    for (let i = 0; i < n; i++) this.writeEntry(buf, i * this.entrySize, this.persisted + i);
    const fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_CREAT);
    try {
      fs.ftruncateSync(fd, this.persisted * this.entrySize);
      writeFullySync(fd, buf, 0, buf.length, this.persisted * this.entrySize);
    } finally {
      fs.closeSync(fd);
    }
    this.persisted = this.count;
  }

  /** Adds an entry after the last one; the caller has checked the order and the limit. */
  protected appendEntry(key: number, value: number): void {
    this.grow(this.count + 1);
    this.keys[this.count] = key;
    this.values[this.count] = value;
    this.count++;
  }

  /** The greatest slot whose key is ≤ `key`, or -1 if there is none (Kafka's `largestLowerBoundSlotFor`). */
  protected largestLowerBoundSlot(key: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as number) <= key) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.count = n;
    if (this.persisted > n) {
      this.persisted = n;
      this.truncateFile(n * this.entrySize);
    }
  }

  private grow(n: number): void {
    if (n <= this.keys.length) return;
    const capacity = Math.max(n, this.keys.length * 2);
    const keys = this.allocateKeys(capacity);
    keys.set(this.keys.subarray(0, this.count));
    const values = new Int32Array(capacity);
    values.set(this.values.subarray(0, this.count));
    this.keys = keys;
    this.values = values;
  }
}
