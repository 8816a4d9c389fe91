import {
  BatchAttributes,
  BatchHeader,
  computeBatchCrc,
  ErrorCode,
  isControl,
  isTransactional,
  KafkaError,
  patchBaseOffset,
  patchPartitionLeaderEpoch,
  type RecordBatchHeader,
  validateBatch,
} from '@samsa/protocol';
import type { AppendOrigin } from '../producer/producer-append-info.js';
import { batchRecords } from '../records/batch-records.js';
import { writeInt64 } from '../util/int64.js';
import { isCompacted, type LogConfig } from './log-config.js';
import type { AppendedBatch } from './log-segment.js';
import { type RecordError, RecordValidationError } from './record-validation-error.js';

export interface ValidateParams {
  readonly config: LogConfig;
  readonly origin: AppendOrigin;
  /** Leader appends assign offsets and the epoch; follower appends keep them. */
  readonly assignOffsets: boolean;
  readonly nextOffset: number;
  readonly leaderEpoch: number;
  readonly now: number;
}

export interface ValidatedRecords {
  /** Headers as they will be in the log (offsets, epoch and LogAppendTime applied). */
  readonly headers: RecordBatchHeader[];
  readonly batches: AppendedBatch[];
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  readonly maxTimestamp: number;
  readonly logAppendTime: boolean;
}

/**
 * Validates a produce or replication buffer batch by batch and, for leader appends, assigns
 * offsets (Kafka's `LogValidator` for message format v2, in-place path only). Per batch: length,
 * magic, CRC (validateBatch); max.message.bytes (not for replication); Kafka's client rules
 * (record count consistent with lastOffsetDelta, no control batches, idempotent batches carry a
 * sequence); then baseOffset and partitionLeaderEpoch are patched in place, outside the CRC, and
 * with LogAppendTime the attributes and maxTimestamp are set and the CRC recomputed. CreateTime
 * bounds are checked on the batch header (first and max timestamps), not per record. Compacted
 * topics need a key on every record: the only check that reads records.
 *
 * `records` is mutated for leader appends even if a later batch fails; the log is not.
 */
export function validateAndAssignOffsets(records: Buffer, p: ValidateParams): ValidatedRecords {
  const { config, origin, assignOffsets, leaderEpoch, now } = p;
  const logAppendTime = assignOffsets && config.messageTimestampType === 'LogAppendTime';
  const headers: RecordBatchHeader[] = [];
  const batches: AppendedBatch[] = [];
  let nextOffset = p.nextOffset;
  let firstOffset = -1;
  let lastOffset = -1;
  let recordCount = 0;
  let maxTimestamp = -1;
  let pos = 0;
  while (pos < records.length) {
    let h = validateBatch(records, pos);
    const size = h.sizeInBytes;
    if (origin !== 'replication' && size > config.maxMessageBytes) {
      throw new KafkaError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `record batch of ${size} bytes exceeds max.message.bytes ${config.maxMessageBytes}`,
      );
    }
    if (origin === 'client') validateClientBatch(h);
    if (isTransactional(h.attributes) && h.producerId < 0) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, 'transactional batch without a producer ID');
    }
    if (assignOffsets) {
      patchBaseOffset(records, pos, nextOffset);
      patchPartitionLeaderEpoch(records, pos, leaderEpoch);
      if (logAppendTime) {
        records.writeInt16BE(h.attributes | BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND, pos + BatchHeader.ATTRIBUTES);
        writeInt64(records, now, pos + BatchHeader.MAX_TIMESTAMP);
        records.writeUInt32BE(computeBatchCrc(records, pos, size), pos + BatchHeader.CRC);
      } else {
        validateTimestamps(h, now, config);
      }
      h = {
        ...h,
        baseOffset: nextOffset,
        partitionLeaderEpoch: leaderEpoch,
        ...(logAppendTime
          ? { maxTimestamp: now, attributes: h.attributes | BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND }
          : {}),
      };
    } else if (h.baseOffset < nextOffset) {
      throw new KafkaError(
        ErrorCode.INVALID_RECORD,
        `out of order offsets: batch at ${h.baseOffset} appended to a log ending at ${nextOffset}`,
      );
    }
    if (assignOffsets && isCompacted(config) && !isControl(h.attributes)) checkKeysPresent(h, records, pos);
    const batchLast = h.baseOffset + h.lastOffsetDelta;
    if (firstOffset < 0) firstOffset = h.baseOffset;
    lastOffset = batchLast;
    nextOffset = batchLast + 1;
    recordCount += h.recordsCount;
    if (h.maxTimestamp > maxTimestamp) maxTimestamp = h.maxTimestamp;
    headers.push(h);
    batches.push({ position: pos, size, lastOffset: batchLast, maxTimestamp: h.maxTimestamp });
    pos += size;
  }
  return { headers, batches, firstOffset, lastOffset, recordCount, maxTimestamp, logAppendTime };
}

/** CreateTime bounds (message.timestamp.before/after.max.ms) on the batch's first and max timestamps. */
function validateTimestamps(h: RecordBatchHeader, now: number, config: LogConfig): void {
  const { messageTimestampBeforeMaxMs: before, messageTimestampAfterMaxMs: after } = config;
  for (const ts of [h.baseTimestamp, h.maxTimestamp]) {
    if (ts < 0) continue;
    if (now - ts > before || ts - now > after) {
      throw new KafkaError(
        ErrorCode.INVALID_TIMESTAMP,
        `timestamp ${ts} of a batch is out of range (now ${now}, before.max ${before}, after.max ${after})`,
      );
    }
  }
}

/** Kafka's LogValidator checks for batches from clients. */
function validateClientBatch(h: RecordBatchHeader): void {
  if (h.recordsCount <= 0) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, `invalid record count ${h.recordsCount} in batch`);
  }
  if (h.lastOffsetDelta + 1 !== h.recordsCount) {
    throw new KafkaError(
      ErrorCode.INVALID_RECORD,
      `inconsistent batch offset range: lastOffsetDelta ${h.lastOffsetDelta}, ${h.recordsCount} records`,
    );
  }
  if (isControl(h.attributes)) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, 'clients are not allowed to write control records');
  }
  if (h.producerId >= 0 && h.baseSequence < 0) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, `invalid sequence number ${h.baseSequence} for an idempotent batch`);
  }
}

/**
 * Compacted topics reject records without a key. Every such record of the batch is named by its
 * index, as Kafka's LogValidator does, so that the producer fails only those (KIP-467).
 */
function checkKeysPresent(h: RecordBatchHeader, buf: Buffer, pos: number): void {
  const errors: RecordError[] = [];
  let batchIndex = 0;
  for (const r of batchRecords(h, buf, pos)) {
    if (r.key === null) errors.push({ batchIndex, message: 'Compacted topic cannot accept message without key.' });
    batchIndex++;
  }
  if (errors.length > 0) throw new RecordValidationError(ErrorCode.INVALID_RECORD, errors);
}
