import { AbstractIndex } from './abstract-index.js';
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
 * Invariants: relative offsets strictly increase; positions strictly increase. Keys are relative
 * offsets, values positions; memory model, size limit and file handling are AbstractIndex's.
 */
export class OffsetIndex extends AbstractIndex<Int32Array> {
  static readonly ENTRY_SIZE = 8;

  constructor(path: string, baseOffset: number, maxIndexSize: number, newlyCreated = false) {
    super(path, baseOffset, maxIndexSize, OffsetIndex.ENTRY_SIZE, 'index file', (n) => new Int32Array(n), newlyCreated);
  }

  get lastOffset(): number {
    this.ensureLoaded();
    return this.count === 0 ? this.baseOffset : this.baseOffset + (this.keys[this.count - 1] as number);
  }

  /** Checks the index against its segment's log size; throws CorruptIndexError on mismatch. */
  sanityCheck(logSize: number): void {
    this.ensureLoaded();
    if (this.count > 0 && (this.values[this.count - 1] as number) >= logSize) {
      throw new CorruptIndexError(`index ${this.path} points past the end of its log (${logSize} bytes)`);
    }
  }

  /** The greatest entry with offset ≤ target, or (baseOffset, 0) if there is none. */
  lookup(targetOffset: number): OffsetPosition {
    this.ensureLoaded();
    const slot = this.largestLowerBoundSlot(targetOffset - this.baseOffset);
    if (slot < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + (this.keys[slot] as number), position: this.values[slot] as number };
  }

  /** The entry at slot n (for tests and recovery). */
  entry(n: number): OffsetPosition {
    this.ensureLoaded();
    if (n < 0 || n >= this.count) throw new RangeError(`index slot ${n} out of range`);
    return { offset: this.baseOffset + (this.keys[n] as number), position: this.values[n] as number };
  }

  /** Adds an entry; offsets and positions must increase. Throws if full. */
  append(offset: number, position: number): void {
    this.ensureLoaded();
    const rel = offset - this.baseOffset;
    if (this.count > 0 && rel <= (this.keys[this.count - 1] as number)) {
      throw new Error(
        `offset index ${this.path}: offset ${offset} is not larger than the last entry ${this.lastOffset}`,
      );
    }
    if (this.count >= this.maxEntries) throw new Error(`offset index ${this.path} is full (${this.count} entries)`);
    if (rel > 0x7fffffff || rel < 0)
      throw new Error(`offset ${offset} does not fit index with base ${this.baseOffset}`);
    this.appendEntry(rel, position);
  }

  protected override loadEntry(data: Buffer, i: number): void {
    const rel = data.readInt32BE(i * 8);
    const pos = data.readInt32BE(i * 8 + 4);
    if (i > 0 && (rel <= (this.keys[i - 1] as number) || pos <= (this.values[i - 1] as number))) {
      throw new CorruptIndexError(`index file ${this.path} is not monotonic at entry ${i}`);
    }
    if (rel < 0 || pos < 0) throw new CorruptIndexError(`index file ${this.path} has a negative entry ${i}`);
    this.keys[i] = rel;
    this.values[i] = pos;
  }

  protected override writeEntry(buf: Buffer, pos: number, slot: number): void {
    buf.writeInt32BE(this.keys[slot] as number, pos);
    buf.writeInt32BE(this.values[slot] as number, pos + 4);
  }

  protected override relativeOffsetAt(slot: number): number {
    return this.keys[slot] as number;
  }
}
