import * as fs from 'node:fs';
import { writeFullySync } from '../util/file-ops.js';
import { readInt64, writeInt64 } from '../util/int64.js';
import { CorruptIndexError } from './corrupt-index-error.js';
import { IndexFile } from './index-file.js';

/** One aborted transaction, Kafka's `AbortedTxn`. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the ABORT marker. */
  readonly lastOffset: number;
  /** The partition's LSO right after the abort (first offset of the next incomplete txn, else lastOffset + 1). */
  readonly lastStableOffset: number;
}

/** What a consumer in read_committed needs to drop an aborted transaction's records. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

export interface TxnIndexSearchResult {
  readonly abortedTransactions: AbortedTxn[];
  /** True if no later segment can hold transactions aborted within the searched range. */
  readonly isComplete: boolean;
}

const VERSION = 0;

/**
 * A segment's aborted-transaction index (`<baseOffset>.txnindex`), Kafka's `TransactionIndex`.
 *
 * File format: a sequence of 34-byte entries, big-endian
 *   int16 version (0) · int64 producerId · int64 firstOffset · int64 lastOffset · int64 lastStableOffset
 * One entry per ABORT marker, in the segment that holds the marker, in marker order (lastOffset
 * strictly increases). The file may be absent when the segment holds no aborted transaction.
 *
 * Entries are few; they are kept in memory once loaded and appended to the file immediately.
 * Only the file handling is shared with the other indexes (IndexFile says why).
 */
export class TransactionIndex extends IndexFile {
  static readonly ENTRY_SIZE = 34;

  private entries: AbortedTxn[] = [];
  private loaded: boolean;

  constructor(
    path: string,
    readonly baseOffset: number,
    newlyCreated = false,
  ) {
    super(path);
    this.loaded = newlyCreated;
  }

  ensureLoaded(): void {
    if (this.loaded) return;
    const data = this.readEntries(TransactionIndex.ENTRY_SIZE, 'transaction index');
    const entries: AbortedTxn[] = [];
    for (let pos = 0; pos < data.length; pos += TransactionIndex.ENTRY_SIZE) {
      const version = data.readInt16BE(pos);
      if (version !== VERSION)
        throw new CorruptIndexError(`transaction index ${this.path}: unknown version ${version}`);
      try {
        entries.push({
          producerId: readInt64(data, pos + 2),
          firstOffset: readInt64(data, pos + 10),
          lastOffset: readInt64(data, pos + 18),
          lastStableOffset: readInt64(data, pos + 26),
        });
      } catch {
        throw new CorruptIndexError(`transaction index ${this.path}: out-of-range value`);
      }
    }
    this.entries = entries;
    this.loaded = true;
  }

  allAbortedTxns(): readonly AbortedTxn[] {
    this.ensureLoaded();
    return this.entries;
  }

  append(txn: AbortedTxn): void {
    this.ensureLoaded();
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && txn.lastOffset <= last.lastOffset) {
      throw new Error(`transaction index ${this.path}: last offset ${txn.lastOffset} is not above ${last.lastOffset}`);
    }
    const buf = Buffer.allocUnsafe(TransactionIndex.ENTRY_SIZE);
    encodeAbortedTxn(txn, buf, 0);
    const fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_CREAT);
    try {
      writeFullySync(fd, buf, 0, buf.length, this.entries.length * TransactionIndex.ENTRY_SIZE);
    } finally {
      fs.closeSync(fd);
    }
    this.entries.push(txn);
  }

  /**
   * Aborted transactions overlapping [fetchOffset, upperBoundOffset): lastOffset ≥ fetchOffset and
   * firstOffset < upperBoundOffset. Complete once an entry's LSO reaches the upper bound.
   */
  collectAbortedTxns(fetchOffset: number, upperBoundOffset: number): TxnIndexSearchResult {
    this.ensureLoaded();
    const result: AbortedTxn[] = [];
    for (const txn of this.entries) {
      if (txn.lastOffset >= fetchOffset && txn.firstOffset < upperBoundOffset) result.push(txn);
      if (txn.lastStableOffset >= upperBoundOffset) return { abortedTransactions: result, isComplete: true };
    }
    return { abortedTransactions: result, isComplete: false };
  }

  /** Removes entries whose marker is at or beyond `offset`. */
  truncateTo(offset: number): void {
    this.ensureLoaded();
    let keep = this.entries.length;
    while (keep > 0 && (this.entries[keep - 1] as AbortedTxn).lastOffset >= offset) keep--;
    if (keep === this.entries.length) return;
    this.entries.length = keep;
    this.truncateFile(keep * TransactionIndex.ENTRY_SIZE);
  }

  reset(): void {
    this.entries = [];
    this.loaded = true;
    this.truncateFile(0);
  }
}

export function encodeAbortedTxn(txn: AbortedTxn, buf: Buffer, pos: number): void {
  buf.writeInt16BE(VERSION, pos);
  writeInt64(buf, txn.producerId, pos + 2);
  writeInt64(buf, txn.firstOffset, pos + 10);
  writeInt64(buf, txn.lastOffset, pos + 18);
  writeInt64(buf, txn.lastStableOffset, pos + 26);
}
