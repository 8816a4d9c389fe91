import type { ProducerStateManager } from '../producer/producer-state-manager.js';
import type { Time } from '../util/time.js';
import type { ScannedBatch } from './batch-scanner.js';
import type { LogSegment } from './log-segment.js';
import { loadBatchIntoProducerState } from './producer-state-replay.js';

function replayVisitor(psm: ProducerStateManager, from: number, to: number): (b: ScannedBatch) => boolean {
  return (b) => {
    const h = b.header;
    if (h.baseOffset >= to) return false;
    if (h.baseOffset + h.lastOffsetDelta < from) return true;
    if (h.producerId >= 0) {
      const completed = loadBatchIntoProducerState(psm, h, b.buf, b.pos);
      if (completed !== undefined) psm.completeTxn(completed);
    }
    return true;
  };
}

function prepare(
  psm: ProducerStateManager,
  logStartOffset: number,
  lastOffset: number,
  reloadFromCleanShutdown: boolean,
  time: Time,
): boolean {
  if (reloadFromCleanShutdown && psm.latestSnapshotOffset() === undefined) {
    // A clean shutdown always leaves a snapshot at the log end; without one there was no producer
    // state to save. Avoid scanning the whole log (Kafka does the same).
    psm.truncateFullyAndStartAt(lastOffset);
    psm.takeSnapshot();
    return false;
  }
  const isEmptyBeforeTruncation = psm.isEmpty() && psm.mapEndOffset >= lastOffset;
  psm.truncateAndReload(logStartOffset, lastOffset, time.milliseconds());
  return lastOffset > psm.mapEndOffset && !isEmptyBeforeTruncation;
}

/**
 * Brings producer state to `lastOffset`: reload from the latest snapshot in range, then replay
 * the batches between the snapshot and lastOffset (Kafka's `UnifiedLog.rebuildProducerState`).
 * Aborted transactions are not re-recorded: their entries are already in the txn indexes.
 */
export async function rebuildProducerState(
  psm: ProducerStateManager,
  segments: readonly LogSegment[],
  logStartOffset: number,
  lastOffset: number,
  reloadFromCleanShutdown: boolean,
  time: Time,
): Promise<void> {
  if (prepare(psm, logStartOffset, lastOffset, reloadFromCleanShutdown, time)) {
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as LogSegment;
      const next = segments[i + 1];
      const from = psm.mapEndOffset;
      if ((next !== undefined && next.baseOffset <= from) || s.baseOffset >= lastOffset) continue;
      await s.forEachBatch(Math.max(s.baseOffset, from), replayVisitor(psm, from, lastOffset));
    }
  }
  psm.updateMapEndOffset(lastOffset);
  psm.takeSnapshot();
}

/** Synchronous rebuildProducerState, for truncation (which must not let appends interleave). */
export function rebuildProducerStateSync(
  psm: ProducerStateManager,
  segments: readonly LogSegment[],
  logStartOffset: number,
  lastOffset: number,
  time: Time,
): void {
  if (prepare(psm, logStartOffset, lastOffset, false, time)) {
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as LogSegment;
      const next = segments[i + 1];
      const from = psm.mapEndOffset;
      if ((next !== undefined && next.baseOffset <= from) || s.baseOffset >= lastOffset) continue;
      s.forEachBatchSync(Math.max(s.baseOffset, from), replayVisitor(psm, from, lastOffset));
    }
  }
  psm.updateMapEndOffset(lastOffset);
  psm.takeSnapshot();
}
