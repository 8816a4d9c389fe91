import * as fs from 'node:fs';
import { CorruptIndexError } from './corrupt-index-error.js';

/**
 * The file handling every index of a segment shares: a path that moves with the segment (renames
 * to `.deleted`, `.cleaned`, `.swap`), deletion, reading the whole file, and cutting it short.
 * Every index file is a sequence of fixed-size entries and may be absent (a segment whose index
 * has not been written yet, or a `.txnindex` of a segment with no aborted transaction).
 *
 * OffsetIndex and TimeIndex build on this through AbstractIndex (entries in typed arrays, searched
 * by binary search, bounded by `segment.index.bytes`). TransactionIndex extends only this class,
 * as Kafka's `TransactionIndex` is no `AbstractIndex`: its entries are never searched by key (a
 * fetch scans them all), their number is not bounded, and each is written when appended.
 */
export abstract class IndexFile {
  constructor(public path: string) {}

  /** Moves the file (if it exists) and keeps the new path. */
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

  /**
   * The file's bytes, empty if there is no file. Throws CorruptIndexError unless they are whole
   * entries of `entrySize` bytes; `kind` names the index in the message.
   */
  protected readEntries(entrySize: number, kind: string): Buffer {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      data = Buffer.alloc(0);
    }
    if (data.length % entrySize !== 0) {
      throw new CorruptIndexError(`${kind} ${this.path} has size ${data.length}, not a multiple of ${entrySize}`);
    }
    return data;
  }

  /** Cuts the file to `length` bytes (nothing to do if it does not exist). */
  protected truncateFile(length: number): void {
    try {
      fs.truncateSync(this.path, length);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
