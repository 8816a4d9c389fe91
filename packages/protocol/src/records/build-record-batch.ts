import { type CompressOptions, compress } from '../compression/compression.js';
import { sizeOfVarint } from '../primitives/sizes.js';
import { Writer } from '../primitives/writer.js';
import { crc32c } from '../util/crc32c.js';
import { type KafkaRecordInput, type RecordHeaderInput, sizeOfRecordBody, writeRecord } from './record.js';
import {
  BatchAttributes,
  BatchHeader,
  CompressionType,
  CURRENT_MAGIC,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  TimestampType,
} from './record-batch-header.js';

/** One record to put in a batch; everything but the value is optional. */
export interface RecordInput {
  readonly key?: Uint8Array | null;
  readonly value?: Uint8Array | null;
  readonly headers?: readonly RecordHeaderInput[];
  /** Milliseconds since the epoch; the batch's `defaultTimestamp` when omitted. */
  readonly timestamp?: number;
  /** Position in the batch; the record's index when omitted. Must increase strictly. */
  readonly offsetDelta?: number;
}

/**
 * A whole v2 batch. Offsets, timestamps and producer IDs are JS numbers and must be safe integers
 * (below 2^53 in magnitude), the invariant `record-batch-header.ts` documents, and so must each
 * record's distance from the batch's first timestamp.
 */
export interface RecordBatchInput {
  readonly baseOffset?: number;
  readonly partitionLeaderEpoch?: number;
  readonly compression?: CompressionType;
  readonly compressOptions?: CompressOptions;
  readonly timestampType?: TimestampType;
  /** LOG_APPEND_TIME only: the broker's append time, given to every record (`defaultTimestamp` if omitted). */
  readonly logAppendTime?: number;
  /** Timestamp of records that have none; `Date.now()` if omitted, as Kafka's producer does. */
  readonly defaultTimestamp?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  /**
   * Overrides lastOffsetDelta, which is otherwise the last record's offsetDelta: a compacted batch
   * keeps its original last offset even when its last records are gone (and may then be empty).
   */
  readonly lastOffsetDelta?: number;
  readonly records: readonly RecordInput[];
}

const EMPTY_HEADERS: readonly RecordHeaderInput[] = [];

function checkInteger(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} ${value} is not an integer in [${min}, ${max}]`);
  }
  return value;
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / 0x100000000);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * 0x100000000, pos + 4);
}

/**
 * Builds a v2 record batch, as Kafka's MemoryRecordsBuilder does: baseTimestamp is the first
 * record's timestamp, maxTimestamp the largest, lastOffsetDelta the last record's offsetDelta,
 * and the CRC-32C covers attributes to the end. With LOG_APPEND_TIME every record takes the
 * append time. The records are compressed as one block when `compression` says so.
 */
export function buildRecordBatch(input: RecordBatchInput): Buffer {
  const records = input.records;
  const codec = input.compression ?? CompressionType.NONE;
  const logAppendTime = input.timestampType === TimestampType.LOG_APPEND_TIME;
  const defaultTimestamp = input.defaultTimestamp ?? Date.now();
  const appendTime = input.logAppendTime ?? defaultTimestamp;
  const baseOffset = checkInteger(
    'baseOffset',
    input.baseOffset ?? 0,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const partitionLeaderEpoch = checkInteger(
    'partitionLeaderEpoch',
    input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    -0x80000000,
    0x7fffffff,
  );
  const producerId = checkInteger(
    'producerId',
    input.producerId ?? NO_PRODUCER_ID,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const producerEpoch = checkInteger('producerEpoch', input.producerEpoch ?? NO_PRODUCER_EPOCH, -0x8000, 0x7fff);
  const baseSequence = checkInteger('baseSequence', input.baseSequence ?? NO_SEQUENCE, -0x80000000, 0x7fffffff);

  let baseTimestamp = NO_TIMESTAMP;
  let maxTimestamp = NO_TIMESTAMP;
  let previousOffsetDelta = -1;
  const entries: KafkaRecordInput[] = [];
  const bodySizes: number[] = [];
  let recordsBytes = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecordInput;
    const timestamp = logAppendTime ? appendTime : (record.timestamp ?? defaultTimestamp);
    checkInteger('timestamp', timestamp, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (i === 0) {
      baseTimestamp = timestamp;
      maxTimestamp = timestamp;
    } else if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    const timestampDelta = checkInteger(
      'timestampDelta',
      timestamp - baseTimestamp,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    );
    const offsetDelta = checkInteger('offsetDelta', record.offsetDelta ?? i, previousOffsetDelta + 1, 0x7fffffff);
    previousOffsetDelta = offsetDelta;
    const entry: KafkaRecordInput = {
      timestampDelta,
      offsetDelta,
      key: record.key ?? null,
      value: record.value ?? null,
      headers: record.headers ?? EMPTY_HEADERS,
    };
    const body = sizeOfRecordBody(entry);
    entries.push(entry);
    bodySizes.push(body);
    recordsBytes += sizeOfVarint(body) + body;
  }
  const lastOffsetDelta = checkInteger(
    'lastOffsetDelta',
    input.lastOffsetDelta ?? Math.max(previousOffsetDelta, 0),
    Math.max(previousOffsetDelta, 0),
    0x7fffffff,
  );

  let batch: Buffer;
  if (codec === CompressionType.NONE) {
    const w = new Writer(BatchHeader.SIZE + recordsBytes);
    w.pos = BatchHeader.SIZE;
    for (let i = 0; i < entries.length; i++) writeRecord(w, entries[i] as KafkaRecordInput, bodySizes[i] as number);
    batch = w.buf;
  } else {
    const w = new Writer(recordsBytes);
    for (let i = 0; i < entries.length; i++) writeRecord(w, entries[i] as KafkaRecordInput, bodySizes[i] as number);
    const payload = compress(codec, w.buf, input.compressOptions);
    batch = Buffer.allocUnsafe(BatchHeader.SIZE + payload.length);
    payload.copy(batch, BatchHeader.SIZE);
  }

  let attributes = codec & BatchAttributes.COMPRESSION_MASK;
  if (logAppendTime) attributes |= BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND;
  if (input.isTransactional === true) attributes |= BatchAttributes.TRANSACTIONAL;
  if (input.isControl === true) attributes |= BatchAttributes.CONTROL;

  writeInt64(batch, BatchHeader.BASE_OFFSET, baseOffset);
  batch.writeInt32BE(batch.length - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
  batch.writeInt32BE(partitionLeaderEpoch, BatchHeader.PARTITION_LEADER_EPOCH);
  batch.writeInt8(CURRENT_MAGIC, BatchHeader.MAGIC);
  batch.writeInt16BE(attributes, BatchHeader.ATTRIBUTES);
  batch.writeInt32BE(lastOffsetDelta, BatchHeader.LAST_OFFSET_DELTA);
  writeInt64(batch, BatchHeader.BASE_TIMESTAMP, baseTimestamp);
  writeInt64(batch, BatchHeader.MAX_TIMESTAMP, maxTimestamp);
  writeInt64(batch, BatchHeader.PRODUCER_ID, producerId);
  batch.writeInt16BE(producerEpoch, BatchHeader.PRODUCER_EPOCH);
  batch.writeInt32BE(baseSequence, BatchHeader.BASE_SEQUENCE);
  batch.writeInt32BE(entries.length, BatchHeader.RECORDS_COUNT);
  batch.writeUInt32BE(crc32c(batch, BatchHeader.ATTRIBUTES), BatchHeader.CRC);
  return batch;
}
