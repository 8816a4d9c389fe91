import * as fs from 'node:fs';
import { BatchHeader, type RecordBatchHeader, readBatchHeader, validateBatch } from '@samsa/protocol';
import { readFully } from '../util/file-ops.js';

/** A batch found while scanning a segment file: its header and its bytes within `buf`. */
export interface ScannedBatch {
  readonly header: RecordBatchHeader;
  /** File position of the batch. */
  readonly filePosition: number;
  /** Buffer holding the whole batch at [pos, pos + header.sizeInBytes). */
  readonly buf: Buffer;
  readonly pos: number;
}

/** Why a scan stopped before `end`. */
export interface ScanResult {
  /** File position just past the last batch visited. */
  readonly validEnd: number;
  /** Set when the scan stopped at a torn or corrupt batch. */
  readonly error?: Error;
}

const CHUNK = 1024 * 1024;
const MIN_BATCH = BatchHeader.SIZE;

/**
 * Visits every batch in [start, end) of a segment file, reading 1 MiB chunks (a larger read for a
 * larger batch). With `validate`, each batch is checked like an incoming one (length, magic, CRC);
 * the scan stops at the first torn or invalid batch and reports where the valid prefix ends.
 * `visit` returning false stops the scan early.
 *
 * Used by recovery and by producer-state replay, never by the fetch path.
 */
export async function scanBatches(
  fd: number,
  start: number,
  end: number,
  validate: boolean,
  visit: (batch: ScannedBatch) => boolean | undefined,
): Promise<ScanResult> {
  return scanWith((len, pos) => readFully(fd, len, pos), start, end, validate, visit);
}

/** Synchronous scanBatches, for paths that must not yield (truncation, timestamp lookups). */
export function scanBatchesSync(
  fd: number,
  start: number,
  end: number,
  validate: boolean,
  visit: (batch: ScannedBatch) => boolean | undefined,
): ScanResult {
  const read = (len: number, pos: number): Buffer => {
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const n = fs.readSync(fd, buf, done, len - done, pos + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  };
  // Drive the same generator-based core synchronously.
  const it = scanCore(start, end, validate, visit);
  let step = it.next();
  while (!step.done) {
    const { len, pos } = step.value;
    step = it.next(read(len, pos));
  }
  return step.value;
}

async function scanWith(
  read: (len: number, pos: number) => Promise<Buffer>,
  start: number,
  end: number,
  validate: boolean,
  visit: (batch: ScannedBatch) => boolean | undefined,
): Promise<ScanResult> {
  const it = scanCore(start, end, validate, visit);
  let step = it.next();
  while (!step.done) {
    const { len, pos } = step.value;
    step = it.next(await read(len, pos));
  }
  return step.value;
}

/** Yields read requests, receives the bytes read. */
function* scanCore(
  start: number,
  end: number,
  validate: boolean,
  visit: (batch: ScannedBatch) => boolean | undefined,
): Generator<{ len: number; pos: number }, ScanResult, Buffer> {
  let filePos = start;
  while (filePos < end) {
    const want = Math.min(CHUNK, end - filePos);
    let chunk: Buffer = yield { len: want, pos: filePos };
    if (chunk.length === 0) return { validEnd: filePos, error: new Error(`unexpected end of file at ${filePos}`) };
    let pos = 0;
    for (;;) {
      const remaining = chunk.length - pos;
      const fileRemaining = end - (filePos + pos);
      if (fileRemaining <= 0) return { validEnd: filePos + pos };
      if (remaining < BatchHeader.LOG_OVERHEAD || remaining < MIN_BATCH) {
        if (fileRemaining < MIN_BATCH) {
          return { validEnd: filePos + pos, error: new Error(`truncated batch header at ${filePos + pos}`) };
        }
        break; // read the next chunk starting here
      }
      const batchLength = chunk.readInt32BE(pos + BatchHeader.BATCH_LENGTH);
      const size = batchLength + BatchHeader.LOG_OVERHEAD;
      if (batchLength < MIN_BATCH - BatchHeader.LOG_OVERHEAD) {
        return { validEnd: filePos + pos, error: new Error(`invalid batch length ${batchLength} at ${filePos + pos}`) };
      }
      if (size > fileRemaining) {
        return {
          validEnd: filePos + pos,
          error: new Error(`batch at ${filePos + pos} is torn (${size} > ${fileRemaining})`),
        };
      }
      if (size > remaining) {
        if (pos === 0) {
          // A batch bigger than the chunk: read exactly it.
          chunk = yield { len: size, pos: filePos };
          if (chunk.length < size) return { validEnd: filePos, error: new Error(`short read at ${filePos}`) };
        } else {
          break;
        }
      }
      let header: RecordBatchHeader;
      try {
        header = validate ? validateBatch(chunk, pos, pos + size) : readBatchHeader(chunk, pos);
      } catch (err) {
        return { validEnd: filePos + pos, error: err as Error };
      }
      const keepGoing = visit({ header, filePosition: filePos + pos, buf: chunk, pos });
      pos += size;
      if (keepGoing === false) return { validEnd: filePos + pos };
    }
    filePos += pos;
  }
  return { validEnd: filePos };
}
