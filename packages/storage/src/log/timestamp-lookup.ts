import { BatchAttributes } from '@samsa/protocol';
import { batchRecords } from '../records/batch-records.js';
import type { LogSegment } from './log-segment.js';

export interface TimestampAndOffset {
  readonly offset: number;
  readonly timestamp: number;
  /** The leader epoch of the batch holding the offset, undefined if unknown. */
  readonly leaderEpoch: number | undefined;
}

function isLogAppendTime(attributes: number): boolean {
  return (attributes & BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
}

/**
 * ListOffsets by timestamp (Kafka's `UnifiedLog.fetchOffsetByTimestamp`): the first segment whose
 * largest timestamp reaches the target; in it, the time index gives a starting point, batch
 * headers are walked to the first batch whose max timestamp reaches the target, and that batch's
 * records (decompressed if needed) give the first offset whose timestamp is ≥ the target. With
 * LogAppendTime every record carries the batch's timestamp, so the batch's first offset is it.
 */
export function findOffsetByTimestamp(
  segments: readonly LogSegment[],
  timestampMs: number,
  logStartOffset: number,
): TimestampAndOffset | undefined {
  for (const segment of segments) {
    if (segment.largestTimestamp < timestampMs) continue;
    const batch = segment.findBatchByTimestamp(timestampMs, logStartOffset);
    if (batch === undefined) continue;
    const h = batch.header;
    const epoch = h.partitionLeaderEpoch >= 0 ? h.partitionLeaderEpoch : undefined;
    if (isLogAppendTime(h.attributes)) {
      return { offset: Math.max(h.baseOffset, logStartOffset), timestamp: h.maxTimestamp, leaderEpoch: epoch };
    }
    for (const r of batchRecords(h, batch.buf, batch.pos)) {
      if (r.timestamp >= timestampMs && r.offset >= logStartOffset) {
        return { offset: r.offset, timestamp: r.timestamp, leaderEpoch: epoch };
      }
    }
  }
  return undefined;
}

/** MAX_TIMESTAMP: the offset of the (first) record holding the log's largest timestamp. */
export function findOffsetOfMaxTimestamp(segments: readonly LogSegment[]): TimestampAndOffset | undefined {
  let best: LogSegment | undefined;
  for (const s of segments) if (best === undefined || s.maxTimestamp > best.maxTimestamp) best = s;
  if (best === undefined || best.maxTimestamp < 0) return undefined;
  const target = best.maxTimestamp;
  const batch = best.readBatchAt(best.offsetOfMaxTimestamp);
  if (batch === undefined) return undefined;
  const h = batch.header;
  const epoch = h.partitionLeaderEpoch >= 0 ? h.partitionLeaderEpoch : undefined;
  if (!isLogAppendTime(h.attributes)) {
    for (const r of batchRecords(h, batch.buf, batch.pos)) {
      if (r.timestamp === target) return { offset: r.offset, timestamp: target, leaderEpoch: epoch };
    }
  }
  return { offset: h.baseOffset, timestamp: target, leaderEpoch: epoch };
}
