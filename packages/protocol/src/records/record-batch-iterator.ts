import { DEFAULT_MAX_DECOMPRESSED_BYTES, decompress } from '../compression/compression.js';
import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';
import { Reader } from '../primitives/reader.js';
import { type DecodedRecord, MIN_RECORD_BYTES, RECORD_ERROR_CODE, readRecord } from './record.js';
import {
  BatchHeader,
  CompressionType,
  compressionOf,
  isLogAppendTime,
  type RecordBatchHeader,
  validateBatch,
} from './record-batch-header.js';

export interface RecordBatchDecodeOptions {
  /** Largest decompressed record section accepted; DEFAULT_MAX_DECOMPRESSED_BYTES (64 MiB) if omitted. */
  readonly maxDecompressedBytes?: number;
  /** false skips the CRC check, for bytes already verified (e.g. read back from one's own log). */
  readonly verifyCrc?: boolean;
  /** End of the bytes the batch may occupy in `buf`; `buf.length` if omitted. */
  readonly end?: number;
}

export interface RecordBatch {
  readonly header: RecordBatchHeader;
  readonly records: DecodedRecord[];
}

/**
 * Walks the records of one batch without materializing them all: construction validates the
 * batch (length, magic, CRC) and decompresses its record section once (bounded by
 * `maxDecompressedBytes`); each `next()` decodes one record.
 *
 * The batch's recordsCount is checked against the bytes available before iterating (a record
 * takes at least 7 bytes), so a header declaring 2^31 records fails at once. After the last
 * record, bytes left over are CORRUPT_MESSAGE, as in Kafka ("Incorrect declared batch size").
 * Keys, values and header values are views into `buf` (uncompressed) or into the decompressed
 * section.
 */
export class RecordBatchIterator implements IterableIterator<DecodedRecord> {
  readonly header: RecordBatchHeader;
  private readonly reader: Reader;
  private left: number;
  private readonly logAppendTime: number | undefined;

  constructor(buf: Buffer, pos = 0, options: RecordBatchDecodeOptions = {}) {
    const header = validateBatch(buf, pos, options.end ?? buf.length, options);
    this.header = header;
    const start = pos + BatchHeader.SIZE;
    const end = pos + header.sizeInBytes;
    const codec = compressionOf(header.attributes);
    this.reader =
      codec === CompressionType.NONE
        ? new Reader(buf, start, end, RECORD_ERROR_CODE)
        : new Reader(
            decompress(codec, buf.subarray(start, end), options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES),
            0,
            undefined,
            RECORD_ERROR_CODE,
          );
    if (header.recordsCount * MIN_RECORD_BYTES > this.reader.remaining) {
      throw new KafkaError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch declares ${header.recordsCount} records but has ${this.reader.remaining} bytes of records`,
      );
    }
    this.left = header.recordsCount;
    this.logAppendTime = isLogAppendTime(header.attributes) ? header.maxTimestamp : undefined;
  }

  /** Records not yet returned. */
  get remainingRecords(): number {
    return this.left;
  }

  next(): IteratorResult<DecodedRecord, undefined> {
    const record = this.nextRecord();
    return record === undefined ? { done: true, value: undefined } : { done: false, value: record };
  }

  /** The next record, or undefined after the last: `next()` without an iterator result per record. */
  nextRecord(): DecodedRecord | undefined {
    const r = this.reader;
    if (this.left === 0) {
      if (r.remaining !== 0) {
        throw r.fail(`${r.remaining} bytes remain after the ${this.header.recordsCount} records the batch declares`);
      }
      return undefined;
    }
    this.left--;
    const header = this.header;
    return readRecord(r, header.baseOffset, header.baseTimestamp, this.logAppendTime);
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Decodes one batch and all its records (see `RecordBatchIterator` for the checks). */
export function decodeRecordBatch(buf: Buffer, pos = 0, options: RecordBatchDecodeOptions = {}): RecordBatch {
  const iterator = new RecordBatchIterator(buf, pos, options);
  const records: DecodedRecord[] = [];
  for (const record of iterator) records.push(record);
  return { header: iterator.header, records };
}
