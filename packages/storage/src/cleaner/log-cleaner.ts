import { dirname } from 'node:path';
import {
  buildRecordBatch,
  compressionOf,
  type DecodedRecord,
  decodeRecordBatch,
  isControl,
  isLogAppendTime,
  isTransactional,
  type RecordBatchHeader,
  TimestampType,
} from '@samsa/protocol';
import { CLEANER_OFFSET_CHECKPOINT_FILE, OffsetCheckpointFile } from '../checkpoint/checkpoint-file.js';
import type { ScannedBatch } from '../log/batch-scanner.js';
import type { Log } from '../log/log.js';
import { isCompacted } from '../log/log-config.js';
import { newSegment } from '../log/log-loader.js';
import type { AppendedBatch, LogSegment } from '../log/log-segment.js';
import type { FsyncFn } from '../util/file-ops.js';
import { defaultFdatasync } from '../util/file-ops.js';
import { CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, SWAP_FILE_SUFFIX } from '../util/log-file-utils.js';
import { type Logger, noopLogger } from '../util/logger.js';
import type { Time } from '../util/time.js';

export interface LogCleanerOptions {
  readonly time: Time;
  readonly logger?: Logger;
  readonly fsync?: FsyncFn;
  /** Bound on distinct keys mapped per cleaning (Kafka bounds it by log.cleaner.dedupe.buffer.size). */
  readonly maxOffsetMapEntries?: number;
}

/** What the cleaner decided about a log, for tests and metrics. */
export interface CleanableLog {
  readonly log: Log;
  readonly firstDirtyOffset: number;
  /** Exclusive end of what may be cleaned: min(LSO, active segment base, compaction-lag bound). */
  readonly firstUncleanableOffset: number;
  readonly cleanBytes: number;
  readonly cleanableBytes: number;
  readonly dirtyRatio: number;
  readonly forced: boolean;
}

export interface CleanResult {
  readonly firstDirtyOffset: number;
  readonly endOffset: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly recordsRemoved: number;
}

/**
 * Log compaction (Kafka's `LogCleaner`/`Cleaner`), deliberately simpler than Kafka's:
 *
 * - A log is cleanable when its dirty ratio (bytes in [firstDirtyOffset, firstUncleanableOffset)
 *   over the bytes from log start to there) reaches minCleanableDirtyRatio, or when a segment has
 *   waited longer than maxCompactionLagMs. The dirty range never includes the active segment,
 *   segments younger than minCompactionLagMs, nor anything at or above the last stable offset —
 *   so no undecided transaction is ever touched.
 * - The offset map (key → latest offset) is built from the dirty range's non-transactional data
 *   records, then every segment from the log start up to the mapped end is rewritten keeping a
 *   record only if it is the latest for its key. Transactional and control batches are kept
 *   whole and their keys are not mapped (safe: at worst less is removed).
 * - Tombstones (null values) survive a first cleaning; they are dropped when a segment that was
 *   already cleaned (below the cleaner checkpoint) is cleaned again at least deleteRetentionMs
 *   after its previous cleaning (the segment's modification time records the clean time).
 * - Offsets are preserved: a batch keeps its base offset and lastOffsetDelta (so producer
 *   sequence ranges survive), an idempotent producer's batch whose records all go stays as an
 *   empty batch. Batches are rebuilt with @samsa/protocol's builder, recompressed with their codec.
 * - Crash safety, as Kafka: consecutive segments are rewritten into `<base>.log.cleaned` (+
 *   indexes), fsynced, renamed `.swap`, the old segments renamed `.deleted`, then the swap renamed
 *   into place. The loader deletes `.cleaned`/`.deleted` leftovers and completes a `.swap`.
 * - Progress is kept in the log dir's `cleaner-offset-checkpoint` (first dirty offset per partition).
 *
 * One clean at a time; LogManager does not run retention on a log while it is being cleaned.
 */
export class LogCleaner {
  private readonly time: Time;
  private readonly logger: Logger;
  private readonly fsync: FsyncFn;
  private readonly maxOffsetMapEntries: number;
  private readonly checkpoints = new Map<string, Map<string, number>>();
  private readonly inProgress = new Set<Log>();
  private running: Promise<number> | undefined;

  constructor(opts: LogCleanerOptions) {
    this.time = opts.time;
    this.logger = opts.logger ?? noopLogger;
    this.fsync = opts.fsync ?? defaultFdatasync;
    this.maxOffsetMapEntries = opts.maxOffsetMapEntries ?? 1_000_000;
  }

  private checkpointFor(logDir: string): Map<string, number> {
    let map = this.checkpoints.get(logDir);
    if (map === undefined) {
      try {
        map = new OffsetCheckpointFile(`${logDir}/${CLEANER_OFFSET_CHECKPOINT_FILE}`).read();
      } catch (err) {
        this.logger.warn(`ignoring unreadable cleaner checkpoint in ${logDir}: ${(err as Error).message}`);
        map = new Map();
      }
      this.checkpoints.set(logDir, map);
    }
    return map;
  }

  private async writeCheckpoint(logDir: string): Promise<void> {
    const map = this.checkpointFor(logDir);
    const entries = [...map].map(([key, offset]) => {
      const dash = key.lastIndexOf('-');
      return { topic: key.slice(0, dash), partition: Number(key.slice(dash + 1)), offset };
    });
    await new OffsetCheckpointFile(`${logDir}/${CLEANER_OFFSET_CHECKPOINT_FILE}`).write(entries);
  }

  /** Forgets a partition (deleted log) and rewrites its dir's checkpoint. */
  async removeLog(log: Log): Promise<void> {
    const logDir = dirname(log.dir);
    if (this.checkpointFor(logDir).delete(`${log.topic}-${log.partition}`)) await this.writeCheckpoint(logDir);
  }

  isCleaning(log: Log): boolean {
    return this.inProgress.has(log);
  }

  /** Waits for a clean in progress to finish. */
  async awaitIdle(): Promise<void> {
    await this.running?.catch(() => {});
  }

  /** The first dirty offset recorded for a log (its log start offset if none). */
  firstDirtyOffset(log: Log): number {
    const recorded = this.checkpointFor(dirname(log.dir)).get(`${log.topic}-${log.partition}`);
    return Math.max(recorded ?? log.logStartOffset, log.logStartOffset);
  }

  /** Cleanability of a log, undefined if it is not compacted or has nothing cleanable. */
  cleanableLog(log: Log): CleanableLog | undefined {
    const config = log.config;
    if (!isCompacted(config) || log.isClosed) return undefined;
    const now = this.time.milliseconds();
    const segments = log.logSegments();
    const active = log.activeSegment;
    const firstDirtyOffset = Math.min(this.firstDirtyOffset(log), active.baseOffset);
    let firstUncleanableOffset = Math.min(log.lastStableOffset, active.baseOffset);
    let forced = false;
    for (const s of segments) {
      if (s === active || s.baseOffset < firstDirtyOffset) continue;
      if (config.minCompactionLagMs > 0 && s.largestTimestamp > now - config.minCompactionLagMs) {
        firstUncleanableOffset = Math.min(firstUncleanableOffset, s.baseOffset);
        break;
      }
      if (s.baseOffset < firstUncleanableOffset && now - s.largestTimestamp > config.maxCompactionLagMs) forced = true;
    }
    let cleanBytes = 0;
    let cleanableBytes = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as LogSegment;
      const end = segments[i + 1]?.baseOffset ?? log.logEndOffset;
      if (end <= firstDirtyOffset) cleanBytes += s.size;
      else if (end <= firstUncleanableOffset) cleanableBytes += s.size;
    }
    if (cleanableBytes === 0) return undefined;
    const total = cleanBytes + cleanableBytes;
    return {
      log,
      firstDirtyOffset,
      firstUncleanableOffset,
      cleanBytes,
      cleanableBytes,
      dirtyRatio: total === 0 ? 0 : cleanableBytes / total,
      forced,
    };
  }

  /** Cleans the dirtiest eligible log among `logs`; returns the number of logs cleaned (0 or 1). */
  cleanOnce(logs: Iterable<Log>): Promise<number> {
    if (this.running !== undefined) return this.running;
    const run = (async () => {
      let best: CleanableLog | undefined;
      for (const log of logs) {
        const c = this.cleanableLog(log);
        if (c === undefined || (!c.forced && c.dirtyRatio < log.config.minCleanableDirtyRatio)) continue;
        if (best === undefined || (c.forced && !best.forced) || c.dirtyRatio > best.dirtyRatio) best = c;
      }
      if (best === undefined) return 0;
      await this.clean(best.log);
      return 1;
    })();
    this.running = run;
    return run.finally(() => {
      this.running = undefined;
    });
  }

  /** Cleans one log now, regardless of its dirty ratio. Undefined if there was nothing to clean. */
  async clean(log: Log): Promise<CleanResult | undefined> {
    const cleanable = this.cleanableLog(log);
    if (cleanable === undefined) return undefined;
    if (this.inProgress.has(log)) return undefined;
    this.inProgress.add(log);
    try {
      return await this.doClean(log, cleanable);
    } finally {
      this.inProgress.delete(log);
    }
  }

  private async doClean(log: Log, c: CleanableLog): Promise<CleanResult | undefined> {
    const now = this.time.milliseconds();
    const config = log.config;
    const segments = log.logSegments().filter((s) => s !== log.activeSegment);

    // 1. Offset map over the dirty range, stopping at a segment boundary if it gets too big.
    const offsetMap = new Map<string, number>();
    let endOffset = c.firstDirtyOffset;
    let bytesRead = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as LogSegment;
      const segEnd = segments[i + 1]?.baseOffset ?? log.activeSegment.baseOffset;
      if (segEnd <= c.firstDirtyOffset) continue;
      if (segEnd > c.firstUncleanableOffset) break;
      if (offsetMap.size >= this.maxOffsetMapEntries) break;
      await s.forEachBatch(c.firstDirtyOffset, (b) => {
        if (!isCleanableBatch(b.header)) return true;
        for (const r of decodeBatch(b)) {
          if (r.key !== null && r.offset >= c.firstDirtyOffset) offsetMap.set(r.key.toString('latin1'), r.offset);
        }
        return true;
      });
      endOffset = segEnd;
    }
    if (endOffset <= c.firstDirtyOffset) return undefined;
    this.logger.info(
      `cleaning ${log.topic}-${log.partition} [${c.firstDirtyOffset}, ${endOffset}) with ${offsetMap.size} keys`,
    );

    // 2. Rewrite segments [log start, endOffset) in groups that fit one segment.
    const toClean = segments.filter(
      (_s, i) => (segments[i + 1]?.baseOffset ?? log.activeSegment.baseOffset) <= endOffset,
    );
    const groups = groupSegmentsBySize(toClean, config.segmentBytes);
    const deleteHorizonMs = now - config.deleteRetentionMs;
    let bytesWritten = 0;
    let recordsRemoved = 0;
    for (const group of groups) {
      if (log.isClosed) return undefined;
      const result = await this.cleanGroup(log, group, offsetMap, c.firstDirtyOffset, deleteHorizonMs, now);
      if (result === undefined) return undefined;
      bytesRead += result.bytesRead;
      bytesWritten += result.bytesWritten;
      recordsRemoved += result.recordsRemoved;
    }

    // 3. Remember where the dirty section now starts.
    const logDir = dirname(log.dir);
    this.checkpointFor(logDir).set(`${log.topic}-${log.partition}`, endOffset);
    await this.writeCheckpoint(logDir);
    return { firstDirtyOffset: c.firstDirtyOffset, endOffset, bytesRead, bytesWritten, recordsRemoved };
  }

  private async cleanGroup(
    log: Log,
    group: LogSegment[],
    offsetMap: Map<string, number>,
    firstDirtyOffset: number,
    deleteHorizonMs: number,
    now: number,
  ): Promise<{ bytesRead: number; bytesWritten: number; recordsRemoved: number } | undefined> {
    const first = group[0] as LogSegment;
    const cleaned = newSegment(log.dir, first.baseOffset, log.config, this.time, this.fsync, this.logger, {
      create: true,
      suffix: CLEANED_FILE_SUFFIX,
    });
    let bytesRead = 0;
    let bytesWritten = 0;
    let recordsRemoved = 0;
    try {
      for (let gi = 0; gi < group.length; gi++) {
        const source = group[gi] as LogSegment;
        const sourceEnd = group[gi + 1]?.baseOffset;
        // Tombstones go only from segments cleaned before, at least deleteRetentionMs ago.
        const nextBase = sourceEnd ?? log.logSegments().find((s) => s.baseOffset > source.baseOffset)?.baseOffset;
        const wasCleaned = nextBase !== undefined && nextBase <= firstDirtyOffset;
        const dropTombstones = wasCleaned && source.lastModified <= deleteHorizonMs;
        const out: Buffer[] = [];
        const appended: AppendedBatch[] = [];
        let outSize = 0;
        let largestOffset = -1;
        await source.forEachBatch(source.baseOffset, (b) => {
          const h = b.header;
          bytesRead += h.sizeInBytes;
          const kept = filterBatch(b, offsetMap, dropTombstones);
          recordsRemoved += kept.removed;
          if (kept.bytes === undefined) return true;
          appended.push({
            position: outSize,
            size: kept.bytes.length,
            lastOffset: h.baseOffset + h.lastOffsetDelta,
            maxTimestamp: kept.maxTimestamp,
          });
          out.push(kept.bytes);
          outSize += kept.bytes.length;
          largestOffset = h.baseOffset + h.lastOffsetDelta;
          return true;
        });
        if (outSize > 0) cleaned.append(largestOffset, Buffer.concat(out, outSize), appended, now);
        bytesWritten += outSize;
        for (const txn of source.txnIndex.allAbortedTxns()) cleaned.txnIndex.append(txn);
      }
      cleaned.onBecomeInactiveSegment();
      await cleaned.flush();
    } catch (err) {
      cleaned.closeHandlers();
      cleaned.deleteFiles();
      throw err;
    }

    // Swap, synchronously: nothing else can touch the log between these renames.
    const current = new Set(log.logSegments());
    if (log.isClosed || group.some((s) => !current.has(s))) {
      // Retention or truncation removed a segment meanwhile: give up on this group.
      cleaned.closeHandlers();
      cleaned.deleteFiles();
      return undefined;
    }
    cleaned.changeFileSuffixes(CLEANED_FILE_SUFFIX, SWAP_FILE_SUFFIX);
    // Unlike deleted segments (retireSegmentFiles), replaced ones stay open through the rename: a
    // read that listed them before the swap must still find their records, which the cleaned
    // segment now holds under the same offsets. They close once such reads end.
    for (const s of group) s.changeFileSuffixes('', DELETED_FILE_SUFFIX);
    cleaned.changeFileSuffixes(SWAP_FILE_SUFFIX, '');
    cleaned.setLastModified(now);
    log.replaceSegments(cleaned, group);
    log.scheduleSegmentDeletion(group);
    return { bytesRead, bytesWritten, recordsRemoved };
  }
}

function isCleanableBatch(h: RecordBatchHeader): boolean {
  return !isControl(h.attributes) && !isTransactional(h.attributes);
}

function decodeBatch(b: ScannedBatch): DecodedRecord[] {
  return decodeRecordBatch(b.buf, b.pos, { verifyCrc: false, end: b.pos + b.header.sizeInBytes }).records;
}

/**
 * Keeps the records that are the latest for their key (and, when `dropTombstones`, not null).
 * Returns the batch's bytes unchanged if everything stays, a rebuilt batch if some stay,
 * an empty batch for an idempotent producer's batch if none stay, otherwise nothing.
 */
function filterBatch(
  b: ScannedBatch,
  offsetMap: Map<string, number>,
  dropTombstones: boolean,
): { bytes: Buffer | undefined; removed: number; maxTimestamp: number } {
  const h = b.header;
  const original = b.buf.subarray(b.pos, b.pos + h.sizeInBytes);
  if (!isCleanableBatch(h)) return { bytes: Buffer.from(original), removed: 0, maxTimestamp: h.maxTimestamp };
  const records = decodeBatch(b);
  const kept = records.filter((r) => {
    if (r.key === null) return false;
    const latest = offsetMap.get(r.key.toString('latin1'));
    if (latest !== undefined && r.offset < latest) return false;
    return !(dropTombstones && r.value === null);
  });
  const removed = records.length - kept.length;
  if (removed === 0) return { bytes: Buffer.from(original), removed: 0, maxTimestamp: h.maxTimestamp };
  if (kept.length === 0 && h.producerId < 0) return { bytes: undefined, removed, maxTimestamp: -1 };
  const logAppendTime = isLogAppendTime(h.attributes);
  const bytes = buildRecordBatch({
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    compression: compressionOf(h.attributes),
    timestampType: logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    ...(logAppendTime ? { logAppendTime: h.maxTimestamp } : {}),
    defaultTimestamp: h.baseTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    lastOffsetDelta: h.lastOffsetDelta,
    records: kept.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: r.offset - h.baseOffset,
    })),
  });
  let maxTimestamp = -1;
  for (const r of kept) if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
  if (logAppendTime) maxTimestamp = h.maxTimestamp;
  return { bytes, removed, maxTimestamp: maxTimestamp < 0 ? h.baseTimestamp : maxTimestamp };
}

/**
 * Consecutive segments whose combined size fits one segment and whose offsets fit int32 relative
 * offsets (Kafka's `groupSegmentsBySize`, without the index-size bound: cleaned indexes are sparse).
 */
export function groupSegmentsBySize(segments: readonly LogSegment[], maxSize: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let current: LogSegment[] = [];
  let size = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as LogSegment;
    const first = current[0];
    const next = segments[i + 1];
    const fitsOffsets = first === undefined || (next?.baseOffset ?? s.baseOffset + 1) - first.baseOffset <= 0x7fffffff;
    if (first !== undefined && (size + s.size > maxSize || !fitsOffsets)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(s);
    size += s.size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
