import { ErrorCode } from '../errors/error-codes.js';
import type { Reader } from '../primitives/reader.js';
import { sizeOfVarint, sizeOfVarlongNumber } from '../primitives/sizes.js';
import type { Writer } from '../primitives/writer.js';

/**
 * One record inside a v2 record batch (Kafka's `DefaultRecord`):
 *
 *   length            varint    bytes of everything below
 *   attributes        int8      unused, 0
 *   timestampDelta    varlong   timestamp - batch baseTimestamp
 *   offsetDelta       varint    offset - batch baseOffset
 *   keyLength         varint    -1 for a null key
 *   key               bytes
 *   valueLength       varint    -1 for a null value
 *   value             bytes
 *   headerCount       varint
 *   headers           headerKeyLength varint, headerKey UTF-8 (never null),
 *                     headerValueLength varint (-1: null), headerValue bytes
 *
 * Decoded keys, values and header values are views into the batch (or its decompressed
 * records): copy them to keep them beyond the buffer's lifetime.
 */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface KafkaRecord {
  readonly attributes: number;
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/**
 * A record with its absolute offset and timestamp. The offset is baseOffset + offsetDelta; the
 * timestamp is baseTimestamp + timestampDelta, or the batch's maxTimestamp for every record when
 * the batch uses LOG_APPEND_TIME (the broker stamps only the header), as Kafka's DefaultRecordBatch.
 */
export interface DecodedRecord extends KafkaRecord {
  readonly offset: number;
  readonly timestamp: number;
}

export interface RecordHeaderInput {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface KafkaRecordInput {
  readonly attributes?: number;
  /** A safe integer, like every offset and timestamp here. */
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeaderInput[];
}

/** The smallest possible record: a length and six fields of one byte each. */
export const MIN_RECORD_BYTES = 7;

const EMPTY_HEADERS: readonly RecordHeader[] = Object.freeze([]);

function readVarintBytes(r: Reader): Buffer | null {
  const length = r.readVarint();
  // Kafka reads any negative length as null, not only -1.
  return length < 0 ? null : r.readRaw(length);
}

/**
 * Reads one record at `r.pos`, placing it with the batch's baseOffset and baseTimestamp (or the
 * LOG_APPEND_TIME `logAppendTime`, which then applies to every record). The reader should carry
 * CORRUPT_MESSAGE as its error code; every length is checked against the record's own bounds
 * before anything is sliced or allocated.
 */
export function readRecord(r: Reader, baseOffset = 0, baseTimestamp = 0, logAppendTime?: number): DecodedRecord {
  const length = r.readVarint();
  if (length < MIN_RECORD_BYTES - 1 || length > r.remaining) {
    throw r.fail(`record length ${length} does not fit the ${r.remaining} bytes left`);
  }
  const end = r.pos + length;
  const outerEnd = r.end;
  r.end = end;
  const attributes = r.readInt8();
  const timestampDelta = r.readVarlongNumber();
  const offsetDelta = r.readVarint();
  const key = readVarintBytes(r);
  const value = readVarintBytes(r);
  const headerCount = r.readVarint();
  let headers = EMPTY_HEADERS;
  if (headerCount !== 0) {
    // Each header takes at least two bytes (two one-byte lengths).
    if (headerCount < 0 || headerCount * 2 > r.remaining) {
      throw r.fail(`record header count ${headerCount} does not fit the ${r.remaining} bytes left`);
    }
    const list: RecordHeader[] = [];
    for (let i = 0; i < headerCount; i++) {
      const keyLength = r.readVarint();
      if (keyLength < 0) throw r.fail(`record header key length ${keyLength} is negative`);
      if (keyLength > r.remaining) throw r.fail(`record header key of ${keyLength} bytes does not fit`);
      const headerKey = r.buf.toString('utf8', r.pos, r.pos + keyLength);
      r.pos += keyLength;
      list.push({ key: headerKey, value: readVarintBytes(r) });
    }
    headers = list;
  }
  if (r.pos !== end) throw r.fail(`record declared ${length} bytes but its fields took ${length - (end - r.pos)}`);
  r.end = outerEnd;
  return {
    attributes,
    timestampDelta,
    offsetDelta,
    key,
    value,
    headers,
    offset: baseOffset + offsetDelta,
    timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
  };
}

/** Bytes of a record after its length prefix. */
export function sizeOfRecordBody(record: KafkaRecordInput): number {
  let size = 1 + sizeOfVarlongNumber(record.timestampDelta) + sizeOfVarint(record.offsetDelta);
  size += record.key === null ? 1 : sizeOfVarint(record.key.length) + record.key.length;
  size += record.value === null ? 1 : sizeOfVarint(record.value.length) + record.value.length;
  size += sizeOfVarint(record.headers.length);
  for (const header of record.headers) {
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarint(keyBytes) + keyBytes;
    size += header.value === null ? 1 : sizeOfVarint(header.value.length) + header.value.length;
  }
  return size;
}

/** Bytes of a record including its length prefix. */
export function sizeOfRecord(record: KafkaRecordInput): number {
  const body = sizeOfRecordBody(record);
  return sizeOfVarint(body) + body;
}

/** Writes a record whose body size (`sizeOfRecordBody`) the caller has computed. */
export function writeRecord(w: Writer, record: KafkaRecordInput, bodySize: number): void {
  w.writeVarint(bodySize);
  w.writeInt8(record.attributes ?? 0);
  w.writeVarlongNumber(record.timestampDelta);
  w.writeVarint(record.offsetDelta);
  if (record.key === null) w.writeVarint(-1);
  else {
    w.writeVarint(record.key.length);
    w.writeRaw(record.key);
  }
  if (record.value === null) w.writeVarint(-1);
  else {
    w.writeVarint(record.value.length);
    w.writeRaw(record.value);
  }
  w.writeVarint(record.headers.length);
  for (const header of record.headers) {
    w.writeVarint(Buffer.byteLength(header.key, 'utf8'));
    w.pos += w.buf.write(header.key, w.pos, 'utf8');
    if (header.value === null) w.writeVarint(-1);
    else {
      w.writeVarint(header.value.length);
      w.writeRaw(header.value);
    }
  }
}

/** The error code of a Reader over record bytes: CORRUPT_MESSAGE, as Kafka's CorruptRecordException. */
export const RECORD_ERROR_CODE: number = ErrorCode.CORRUPT_MESSAGE;
