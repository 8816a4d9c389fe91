import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';
import { crc32c } from '../util/crc32c.js';

/**
 * Kafka's record batch (message format v2, "magic 2") header: the 61 bytes before the records.
 *
 *   offset  size  field
 *   0       8     baseOffset
 *   8       4     batchLength            bytes after this field (so the batch is batchLength + 12)
 *   12      4     partitionLeaderEpoch   not covered by the CRC; the leader overwrites it
 *   16      1     magic                  2
 *   17      4     crc                    CRC-32C of bytes 21 .. end of batch
 *   21      2     attributes             compression (bits 0-2), timestampType (3), transactional (4),
 *                                        control (5), hasDeleteHorizonMs (6)
 *   23      4     lastOffsetDelta
 *   27      8     baseTimestamp
 *   35      8     maxTimestamp
 *   43      8     producerId
 *   51      2     producerEpoch
 *   53      4     baseSequence
 *   57      4     recordsCount
 *   61            records (compressed as one block when attributes say so)
 *
 * Because baseOffset and partitionLeaderEpoch are outside the CRC, a broker assigns offsets and
 * stamps the epoch by patching bytes in place — the batch is never re-encoded.
 *
 * Numbers: offsets, timestamps and producer IDs are read as JS numbers. They are exact below
 * 2^53, which Kafka offsets and millisecond timestamps do not reach in practice; a value beyond
 * that is rejected as corrupt rather than silently rounded.
 */
export const BatchHeader = {
  BASE_OFFSET: 0,
  BATCH_LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  SIZE: 61,
  /** baseOffset + batchLength: the prefix shared by every message format. */
  LOG_OVERHEAD: 12,
} as const;

export const CURRENT_MAGIC = 2;

export const BatchAttributes = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const;

export const CompressionType = {
  NONE: 0,
  GZIP: 1,
  SNAPPY: 2,
  LZ4: 3,
  ZSTD: 4,
} as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

/** Bit 3 of the attributes: whose clock the batch's timestamps are. */
export const TimestampType = {
  CREATE_TIME: 0,
  LOG_APPEND_TIME: 1,
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;

export interface RecordBatchHeader {
  readonly baseOffset: number;
  /** Bytes of the whole batch, header included (batchLength + 12). */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordsCount: number;
}

function readInt64AsNumber(buf: Buffer, pos: number, what: string): number {
  const high = buf.readInt32BE(pos);
  const low = buf.readUInt32BE(pos + 4);
  // |high| < 2^21 keeps the result within Number.MAX_SAFE_INTEGER.
  if (high >= 0x200000 || high < -0x200000) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `${what} is outside the range Samsa supports`);
  }
  return high * 0x100000000 + low;
}

/** Reads the header of the batch at `pos`. Requires 61 bytes; does not check the CRC. */
export function readBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  if (buf.length - pos < BatchHeader.SIZE) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record batch header needs 61 bytes, ${buf.length - pos} remain`);
  }
  return {
    baseOffset: readInt64AsNumber(buf, pos + BatchHeader.BASE_OFFSET, 'baseOffset'),
    sizeInBytes: buf.readInt32BE(pos + BatchHeader.BATCH_LENGTH) + BatchHeader.LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + BatchHeader.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + BatchHeader.MAGIC),
    crc: buf.readUInt32BE(pos + BatchHeader.CRC),
    attributes: buf.readInt16BE(pos + BatchHeader.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + BatchHeader.LAST_OFFSET_DELTA),
    baseTimestamp: readInt64AsNumber(buf, pos + BatchHeader.BASE_TIMESTAMP, 'baseTimestamp'),
    maxTimestamp: readInt64AsNumber(buf, pos + BatchHeader.MAX_TIMESTAMP, 'maxTimestamp'),
    producerId: readInt64AsNumber(buf, pos + BatchHeader.PRODUCER_ID, 'producerId'),
    producerEpoch: buf.readInt16BE(pos + BatchHeader.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BatchHeader.BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(pos + BatchHeader.RECORDS_COUNT),
  };
}

/** CRC-32C over attributes .. end of batch, as stored in the header's crc field. */
export function computeBatchCrc(buf: Buffer, pos: number, sizeInBytes: number): number {
  return crc32c(buf, pos + BatchHeader.ATTRIBUTES, pos + sizeInBytes);
}

/**
 * Validates the batch at `pos` without decoding its records: enough bytes, a sane length, magic
 * 2, a matching CRC, and internally consistent counts. Returns the header. `verifyCrc: false`
 * skips only the CRC (for bytes the caller has already verified, e.g. its own log).
 *
 * Errors follow Kafka: a CRC mismatch or truncation is CORRUPT_MESSAGE; a well-formed batch that
 * breaks the format's rules is INVALID_RECORD; another magic is UNSUPPORTED_FOR_MESSAGE_FORMAT.
 */
export function validateBatch(
  buf: Buffer,
  pos: number,
  end = buf.length,
  options: { readonly verifyCrc?: boolean } = {},
): RecordBatchHeader {
  const available = Math.min(end, buf.length) - pos;
  if (available < BatchHeader.SIZE) {
    if (available >= 17 && buf.readInt8(pos + BatchHeader.MAGIC) < CURRENT_MAGIC) {
      throw new KafkaError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, 'message format v0/v1 is not supported');
    }
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record batch truncated: ${available} bytes`);
  }
  const magic = buf.readInt8(pos + BatchHeader.MAGIC);
  if (magic !== CURRENT_MAGIC) {
    throw new KafkaError(
      ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
      `record batch magic ${magic} is not supported (only v2)`,
    );
  }
  const batchLength = buf.readInt32BE(pos + BatchHeader.BATCH_LENGTH);
  const sizeInBytes = batchLength + BatchHeader.LOG_OVERHEAD;
  if (batchLength < BatchHeader.SIZE - BatchHeader.LOG_OVERHEAD || sizeInBytes > available) {
    throw new KafkaError(
      ErrorCode.CORRUPT_MESSAGE,
      `record batch length ${batchLength} does not fit the ${available} bytes available`,
    );
  }
  const header = readBatchHeader(buf, pos);
  const crc = options.verifyCrc === false ? header.crc : computeBatchCrc(buf, pos, sizeInBytes);
  if (crc !== header.crc) {
    throw new KafkaError(
      ErrorCode.CORRUPT_MESSAGE,
      `record batch CRC mismatch: stored ${header.crc.toString(16)}, computed ${crc.toString(16)}`,
    );
  }
  if (header.lastOffsetDelta < 0 || header.recordsCount < 0) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, 'record batch has negative lastOffsetDelta or recordsCount');
  }
  if ((header.attributes & BatchAttributes.COMPRESSION_MASK) === CompressionType.NONE) {
    // Each uncompressed record takes at least 7 bytes; a count beyond that cannot be real.
    if (header.recordsCount * 7 > sizeInBytes - BatchHeader.SIZE) {
      throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record count ${header.recordsCount} cannot fit the batch`);
    }
  }
  if ((header.attributes & BatchAttributes.COMPRESSION_MASK) > CompressionType.ZSTD) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'record batch has an unknown compression codec');
  }
  return header;
}

/** Sets baseOffset in place; outside the CRC, so the batch stays valid. */
export function patchBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  buf.writeInt32BE(Math.floor(baseOffset / 0x100000000), pos + BatchHeader.BASE_OFFSET);
  buf.writeUInt32BE(baseOffset >>> 0, pos + BatchHeader.BASE_OFFSET + 4);
}

/** Sets partitionLeaderEpoch in place; outside the CRC, so the batch stays valid. */
export function patchPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + BatchHeader.PARTITION_LEADER_EPOCH);
}

export function compressionOf(attributes: number): CompressionType {
  return (attributes & BatchAttributes.COMPRESSION_MASK) as CompressionType;
}

export function isTransactional(attributes: number): boolean {
  return (attributes & BatchAttributes.TRANSACTIONAL) !== 0;
}

export function isControl(attributes: number): boolean {
  return (attributes & BatchAttributes.CONTROL) !== 0;
}

export function timestampTypeOf(attributes: number): TimestampType {
  return (attributes & BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0
    ? TimestampType.LOG_APPEND_TIME
    : TimestampType.CREATE_TIME;
}

export function isLogAppendTime(attributes: number): boolean {
  return (attributes & BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
}

/** The batch's last offset: baseOffset + lastOffsetDelta. */
export function lastOffsetOf(header: RecordBatchHeader): number {
  return header.baseOffset + header.lastOffsetDelta;
}
