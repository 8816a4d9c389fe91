import type { Log } from './log.js';
import { hasDeletePolicy } from './log-config.js';

/**
 * Retention: which segments of a log to delete, Kafka's `UnifiedLog.deleteOldSegments()` and its
 * three breach checks. The decisions live here; the deleting is Log's `deleteOldSegments(predicate,
 * reason)`, which only ever removes a prefix of segments lying wholly below the high watermark,
 * rolls first when that prefix is the whole log, and moves logStartOffset to the first segment
 * left. LogManager runs `deleteOldSegments` every `retentionCheckIntervalMs`; DeleteRecords runs
 * the log start offset check alone.
 *
 * Each check reads the log's config and size when it runs: the checks run one after another, and
 * a config change or an append between them is seen by the next.
 */

/**
 * With the `delete` cleanup policy, segments past `retentionMs`, then the oldest segments while
 * the log exceeds `retentionBytes`; with any policy, segments wholly below logStartOffset. Returns
 * the number of segments deleted (0 for a closed log).
 */
export async function deleteOldSegments(log: Log, nowMs: number): Promise<number> {
  if (log.isClosed) return 0;
  let deleted = 0;
  if (hasDeletePolicy(log.config)) {
    deleted += await deleteRetentionMsBreachedSegments(log, nowMs);
    deleted += await deleteRetentionSizeBreachedSegments(log);
  }
  deleted += await deleteLogStartOffsetBreachedSegments(log);
  return deleted;
}

/** Segments whose largest timestamp is more than `retentionMs` before `nowMs` (-1: keep forever). */
export async function deleteRetentionMsBreachedSegments(log: Log, nowMs: number): Promise<number> {
  const retentionMs = log.config.retentionMs;
  if (retentionMs < 0) return 0;
  return log.deleteOldSegments((s) => nowMs - s.largestTimestamp > retentionMs, 'retention time');
}

/** The oldest segments, as long as the log stays at or above `retentionBytes` without them (-1: no limit). */
export async function deleteRetentionSizeBreachedSegments(log: Log): Promise<number> {
  const retentionBytes = log.config.retentionBytes;
  if (retentionBytes < 0) return 0;
  let diff = log.size - retentionBytes;
  if (diff <= 0) return 0;
  // Called on the segments in order until it first says no.
  return log.deleteOldSegments((s) => {
    if (diff - s.size >= 0) {
      diff -= s.size;
      return true;
    }
    return false;
  }, 'retention size');
}

/** Segments whose successor starts at or below logStartOffset: none of their records is readable. */
export async function deleteLogStartOffsetBreachedSegments(log: Log): Promise<number> {
  return log.deleteOldSegments(
    (_s, next) => next !== undefined && next.baseOffset <= log.logStartOffset,
    'log start offset',
  );
}
