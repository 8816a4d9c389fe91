import * as fs from 'node:fs';
import { join } from 'node:path';
import type { LeaderEpochFileCache } from '../epoch/leader-epoch-file-cache.js';
import type { ProducerStateManager } from '../producer/producer-state-manager.js';
import type { FsyncFn } from '../util/file-ops.js';
import {
  CLEANED_FILE_SUFFIX,
  DELETED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  offsetFromFileName,
  SWAP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
  TMP_FILE_SUFFIX,
  TXN_INDEX_FILE_SUFFIX,
} from '../util/log-file-utils.js';
import type { Logger } from '../util/logger.js';
import type { Time } from '../util/time.js';
import type { LogConfig } from './log-config.js';
import { LogSegment } from './log-segment.js';
import { rebuildProducerState } from './producer-state-rebuild.js';

export interface LogLoaderParams {
  readonly dir: string;
  readonly config: LogConfig;
  readonly time: Time;
  readonly hadCleanShutdown: boolean;
  readonly recoveryPointCheckpoint: number;
  readonly logStartOffsetCheckpoint: number;
  readonly producerState: ProducerStateManager;
  readonly leaderEpochCache: LeaderEpochFileCache;
  readonly fsync: FsyncFn;
  readonly logger: Logger;
}

export interface LoadedLog {
  readonly segments: LogSegment[];
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
  readonly nextOffset: number;
}

export function newSegment(
  dir: string,
  baseOffset: number,
  config: LogConfig,
  time: Time,
  fsync: FsyncFn,
  logger: Logger,
  opts: { create: boolean; suffix?: string } = { create: true },
): LogSegment {
  const jitter =
    config.segmentJitterMs > 0 ? Math.floor(Math.random() * Math.min(config.segmentJitterMs, config.segmentMs)) : 0;
  return LogSegment.open({
    dir,
    baseOffset,
    indexIntervalBytes: config.indexIntervalBytes,
    maxIndexSize: config.segmentIndexBytes,
    rollJitterMs: jitter,
    nowMs: time.milliseconds(),
    create: opts.create,
    ...(opts.create && config.preallocate ? { preallocateBytes: config.segmentBytes } : {}),
    ...(opts.suffix !== undefined ? { suffix: opts.suffix } : {}),
    fsync,
    logger,
  });
}

/**
 * Turns a partition directory into segments and consistent offsets (Kafka's `LogLoader`).
 *
 * 1. Leftovers of interrupted operations: `.deleted`, `.cleaned` and `.tmp` files are removed;
 *    a `.swap` segment (the cleaner finished writing it, then crashed) replaces the segments
 *    whose offsets it covers; index files without a log file are removed.
 * 2. Every `.log` file becomes a segment. Indexes load lazily and are only trusted if present
 *    and sane; a segment with a missing index is recovered.
 * 3. Without a clean-shutdown marker, every segment from the one holding the recovery point on
 *    is recovered: batches are revalidated (CRC, offsets), a torn or corrupt tail is cut off
 *    (and any later segment dropped), indexes, leader epochs, producer state and the
 *    transaction index are rebuilt.
 * 4. Producer state is loaded from the latest snapshot and the log replayed after it.
 */
export async function loadLog(p: LogLoaderParams): Promise<LoadedLog> {
  const { dir, config, time, logger } = p;
  fs.mkdirSync(dir, { recursive: true });
  const swapBases = removeTempFilesAndCollectSwapFiles(dir, logger);

  for (const base of swapBases) completeSwap(dir, base, p, logger);

  let segments: LogSegment[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(LOG_FILE_SUFFIX) || !/^\d{20}\.log$/.test(name)) continue;
    segments.push(newSegment(dir, offsetFromFileName(name), config, time, p.fsync, logger, { create: false }));
  }
  segments.sort((a, b) => a.baseOffset - b.baseOffset);
  p.producerState.removeStraySnapshots(segments.map((s) => s.baseOffset));

  // Which segments need recovery: those with a missing or corrupt index, and after an unclean
  // shutdown everything from the recovery point's segment on.
  const toRecover = new Set<LogSegment>();
  for (const s of segments) {
    if (!s.indexFilesExist()) {
      if (p.hadCleanShutdown || s.baseOffset < p.recoveryPointCheckpoint) {
        logger.warn(`missing index file of segment ${s.baseOffset}; recovering it`);
      }
      toRecover.add(s);
    }
  }
  if (!p.hadCleanShutdown) {
    let floor = 0;
    for (let i = 0; i < segments.length; i++) {
      if ((segments[i] as LogSegment).baseOffset <= p.recoveryPointCheckpoint) floor = i;
    }
    for (let i = floor; i < segments.length; i++) toRecover.add(segments[i] as LogSegment);
    // Indexes below the recovery point were flushed; still check them eagerly after a crash.
    for (let i = 0; i < floor; i++) {
      const s = segments[i] as LogSegment;
      if (toRecover.has(s)) continue;
      try {
        s.sanityCheck();
      } catch (err) {
        logger.warn(`segment ${s.baseOffset}: ${(err as Error).message}; recovering it`);
        toRecover.add(s);
      }
    }
  }

  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as LogSegment;
    if (!toRecover.has(segment)) continue;
    await rebuildProducerState(p.producerState, segments, p.logStartOffsetCheckpoint, segment.baseOffset, false, time);
    const truncated = await segment.recover(p.producerState, p.leaderEpochCache);
    p.producerState.takeSnapshot();
    if (truncated > 0 && i < segments.length - 1) {
      const dropped = segments.slice(i + 1);
      logger.warn(`corruption in segment ${segment.baseOffset}: deleting ${dropped.length} later segment(s)`);
      for (const s of dropped) {
        s.closeHandlers();
        s.deleteFiles();
      }
      segments = segments.slice(0, i + 1);
      break;
    }
  }

  // A log start offset beyond the end means everything was deleted (DeleteRecords): start over.
  let nextOffset = segments.length === 0 ? p.logStartOffsetCheckpoint : lastOf(segments).readNextOffset();
  if (segments.length > 0 && p.logStartOffsetCheckpoint > nextOffset) {
    for (const s of segments) {
      s.closeHandlers();
      s.deleteFiles();
    }
    segments = [];
    p.leaderEpochCache.clear();
    p.producerState.truncateFullyAndStartAt(p.logStartOffsetCheckpoint);
  }
  if (segments.length === 0) {
    segments.push(newSegment(dir, p.logStartOffsetCheckpoint, config, time, p.fsync, logger));
    nextOffset = p.logStartOffsetCheckpoint;
  }

  const recoveryPoint = p.hadCleanShutdown ? nextOffset : Math.min(p.recoveryPointCheckpoint, nextOffset);
  const logStartOffset = Math.max(p.logStartOffsetCheckpoint, (segments[0] as LogSegment).baseOffset);
  p.leaderEpochCache.truncateFromEnd(nextOffset);
  p.leaderEpochCache.truncateFromStart(logStartOffset);
  await rebuildProducerState(p.producerState, segments, logStartOffset, nextOffset, p.hadCleanShutdown, time);
  return { segments, logStartOffset, recoveryPoint, nextOffset };
}

function lastOf(segments: LogSegment[]): LogSegment {
  return segments[segments.length - 1] as LogSegment;
}

function unlinkQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Removes `.deleted`, `.cleaned`, `.tmp` and orphaned index files; returns base offsets of `.swap` logs. */
function removeTempFilesAndCollectSwapFiles(dir: string, logger: Logger): number[] {
  const names = fs.readdirSync(dir);
  const logBases = new Set<number>();
  const swapBases: number[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (name.endsWith(DELETED_FILE_SUFFIX) || name.endsWith(CLEANED_FILE_SUFFIX) || name.endsWith(TMP_FILE_SUFFIX)) {
      logger.debug(`deleting leftover file ${path}`);
      unlinkQuietly(path);
    } else if (name.endsWith(LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX)) {
      swapBases.push(offsetFromFileName(name));
    } else if (name.endsWith(SWAP_FILE_SUFFIX)) {
      // Index files of a swap segment are rebuilt from its log.
      unlinkQuietly(path);
    } else if (name.endsWith(LOG_FILE_SUFFIX)) {
      logBases.add(offsetFromFileName(name));
    }
  }
  for (const name of names) {
    const isIndex =
      name.endsWith(INDEX_FILE_SUFFIX) || name.endsWith(TIME_INDEX_FILE_SUFFIX) || name.endsWith(TXN_INDEX_FILE_SUFFIX);
    if (!isIndex) continue;
    const base = offsetFromFileName(name);
    if (!logBases.has(base) && !swapBases.includes(base)) {
      logger.warn(`deleting index file ${name} that has no log file`);
      unlinkQuietly(join(dir, name));
    }
  }
  return swapBases.sort((a, b) => a - b);
}

/**
 * A `.swap` log is a fully written, fsynced cleaner output. It replaces every segment whose base
 * offset lies in [swap.baseOffset, swap.nextOffset); then it is renamed into place, with its
 * indexes to be rebuilt by recovery (they are missing).
 */
function completeSwap(dir: string, base: number, p: LogLoaderParams, logger: Logger): void {
  const swap = newSegment(dir, base, p.config, p.time, p.fsync, logger, { create: false, suffix: SWAP_FILE_SUFFIX });
  const swapNext = swap.readNextOffset();
  swap.closeHandlers();
  for (const name of fs.readdirSync(dir)) {
    if (!/^\d{20}\.(log|index|timeindex|txnindex)$/.test(name)) continue;
    const offset = offsetFromFileName(name);
    if (offset >= base && offset < Math.max(swapNext, base + 1)) unlinkQuietly(join(dir, name));
  }
  fs.renameSync(join(dir, `${name20(base)}${LOG_FILE_SUFFIX}${SWAP_FILE_SUFFIX}`), join(dir, `${name20(base)}.log`));
  logger.info(`completed interrupted segment swap at ${base} (covers up to ${swapNext})`);
}

function name20(offset: number): string {
  return String(offset).padStart(20, '0');
}
