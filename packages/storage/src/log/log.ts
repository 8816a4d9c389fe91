import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { ErrorCode, isControl, isTransactional, KafkaError, type RecordBatchHeader } from '@samsa/protocol';
import { PartitionMetadataFile } from '../checkpoint/partition-metadata-file.js';
import { LeaderEpochFileCache } from '../epoch/leader-epoch-file-cache.js';
import type { AbortedTransaction } from '../indexes/transaction-index.js';
import type { AppendOrigin, CompletedTxn, ProducerAppendInfo } from '../producer/producer-append-info.js';
import { type ProducerStateInfo, ProducerStateManager } from '../producer/producer-state-manager.js';
import { defaultFdatasync, type FsyncFn } from '../util/file-ops.js';
import { DELETED_FILE_SUFFIX, LEADER_EPOCH_CHECKPOINT_FILE, PARTITION_METADATA_FILE } from '../util/log-file-utils.js';
import { type Logger, noopLogger, prefixedLogger } from '../util/logger.js';
import type { Time } from '../util/time.js';
import { type LogConfig, validateLogConfig } from './log-config.js';
import { loadLog, newSegment } from './log-loader.js';
import { deleteLogStartOffsetBreachedSegments } from './log-retention.js';
import type { AppendedBatch, LogSegment } from './log-segment.js';
import { validateAndAssignOffsets } from './log-validator.js';
import { rebuildProducerStateSync } from './producer-state-rebuild.js';
import { lastSequenceOf, readEndTxnMarker } from './producer-state-replay.js';
import { findOffsetByTimestamp, findOffsetOfMaxTimestamp, type TimestampAndOffset } from './timestamp-lookup.js';

/** ListOffsets special timestamps (Kafka's `ListOffsetsRequest`). */
export type { TimestampAndOffset } from './timestamp-lookup.js';

export const ListOffsetsTimestamp = {
  LATEST: -1,
  EARLIEST: -2,
  MAX_TIMESTAMP: -3,
  EARLIEST_LOCAL: -4,
} as const;

export interface LogOpenOptions {
  /** The partition directory, `<logDir>/<topic>-<partition>`. */
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  /** Recorded in (and checked against) `partition.metadata`. */
  readonly topicId?: string;
  readonly config: LogConfig;
  readonly time: Time;
  readonly recoveryPoint?: number;
  readonly logStartOffset?: number;
  /** From `replication-offset-checkpoint`; clamped to [logStartOffset, logEndOffset]. */
  readonly highWatermark?: number;
  readonly hadCleanShutdown: boolean;
  readonly producerIdExpirationMs?: number;
  readonly logger?: Logger;
  /** Replaces fdatasync (tests count syncs with it). */
  readonly fsync?: FsyncFn;
  /**
   * An I/O error on this log (a full disk, a failed device): the log has gone offline, and with it
   * (Kafka's LogDirFailureChannel) its whole log dir.
   */
  readonly onStorageError?: (error: KafkaError) => void;
}

export interface AppendInfo {
  /** Offset of the first record appended (or of the original batch for a duplicate); -1 if nothing was appended. */
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** The broker time written into the batches when the topic uses LogAppendTime, else -1. */
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  readonly recordCount: number;
  readonly validBytes: number;
  /** Largest batch timestamp appended, -1 if none. */
  readonly maxTimestamp: number;
  /** Set when the batch was a retry of one already in the log; nothing was appended. */
  readonly duplicate?: true;
}

export interface ReadOptions {
  readonly maxBytes: number;
  /** Exclusive upper bound: no batch whose base offset is at or beyond it is returned (HW or LSO). */
  readonly maxOffset?: number;
  /** Return the first batch even if it is larger than maxBytes. */
  readonly minOneMessage?: boolean;
  /**
   * Allocates the buffer the batches are read into (a broker passes its buffer pool); the
   * returned records are a view of it. Default: a fresh buffer.
   */
  readonly allocate?: (size: number) => Buffer;
}

export interface FetchDataInfo {
  /** The offset asked for. */
  readonly fetchOffset: number;
  /** Whole batches, possibly empty. */
  readonly records: Buffer;
  /** Base offset of the first batch returned (may be below fetchOffset); fetchOffset if empty. */
  readonly firstOffset: number;
  /** True if records is empty only because the first batch exceeds maxBytes. */
  readonly firstEntryIncomplete: boolean;
}

interface PendingDelete {
  readonly segments: LogSegment[];
  readonly timer: NodeJS.Timeout;
  readonly run: () => Promise<void>;
}

/**
 * A partition's log (Kafka's `UnifiedLog` + `LocalLog`): an ordered list of segments, the
 * offsets that describe it, the leader epoch cache and producer state.
 *
 * Offsets: logStartOffset ≤ highWatermark ≤ logEndOffset (LEO, the next offset to assign);
 * lastStableOffset ≤ highWatermark; recoveryPoint ≤ LEO is the offset below which everything is
 * known fsynced. Offsets, timestamps and producer IDs are JS numbers, exact below 2^53.
 *
 * Concurrency model (Node's single thread): every method that changes the log (appends, roll,
 * truncation, config and offset updates) is synchronous and therefore atomic with respect to
 * every other caller. Asynchronous methods (read, flush, deleteOldSegments, close) capture what
 * they need synchronously and then only await I/O on file descriptors that are reference-counted,
 * so a concurrent roll, retention or truncation cannot close a file under them. Segments removed
 * from the log are renamed `.deleted` and their files deleted `fileDeleteDelayMs` later (and
 * only once no read holds them). The broker may call anything at any time; there is no lock.
 */
export class Log {
  readonly topic: string;
  readonly partition: number;
  private _dir: string;
  private _config: LogConfig;
  private readonly time: Time;
  private readonly logger: Logger;
  private readonly fsync: FsyncFn;
  private segments: LogSegment[];
  private _logStartOffset: number;
  private _logEndOffset: number;
  private _highWatermark: number;
  private _recoveryPoint: number;
  readonly leaderEpochCache: LeaderEpochFileCache;
  readonly producerState: ProducerStateManager;
  private _topicId: string | undefined;
  private unflushedMessages = 0;
  private _lastFlushTimeMs: number;
  private flushQueued: Promise<void> | undefined;
  private flushRunning: Promise<void> | undefined;
  private readonly pendingDeletes = new Set<PendingDelete>();
  private closed = false;
  /** Set by the first I/O error: every later operation fails with it. */
  private offlineError: KafkaError | undefined;
  private readonly onStorageError: ((error: KafkaError) => void) | undefined;

  private constructor(
    opts: LogOpenOptions,
    leaderEpochCache: LeaderEpochFileCache,
    producerState: ProducerStateManager,
    loaded: { segments: LogSegment[]; logStartOffset: number; recoveryPoint: number; nextOffset: number },
    logger: Logger,
    fsync: FsyncFn,
  ) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this._dir = opts.dir;
    this._config = opts.config;
    this.time = opts.time;
    this.logger = logger;
    this.fsync = fsync;
    this.onStorageError = opts.onStorageError;
    this.leaderEpochCache = leaderEpochCache;
    this.producerState = producerState;
    this.segments = loaded.segments;
    this._logStartOffset = loaded.logStartOffset;
    this._logEndOffset = loaded.nextOffset;
    this._recoveryPoint = loaded.recoveryPoint;
    this._highWatermark = clamp(opts.highWatermark ?? loaded.logStartOffset, loaded.logStartOffset, loaded.nextOffset);
    this._lastFlushTimeMs = opts.time.milliseconds();
    producerState.onHighWatermarkUpdated(this._highWatermark);
  }

  /** Opens (creating if needed) the log in `opts.dir`, recovering it if the shutdown was unclean. */
  static async open(opts: LogOpenOptions): Promise<Log> {
    validateLogConfig(opts.config);
    const logger = prefixedLogger(opts.logger ?? noopLogger, `[Log partition=${opts.topic}-${opts.partition}]`);
    const fsync = opts.fsync ?? defaultFdatasync;
    const start = opts.time.milliseconds();
    fs.mkdirSync(opts.dir, { recursive: true });
    let logRef: Log | undefined;
    const leaderEpochCache = new LeaderEpochFileCache(
      join(opts.dir, LEADER_EPOCH_CHECKPOINT_FILE),
      () => logRef?.logEndOffset ?? -1,
      logger,
    );
    const producerState = new ProducerStateManager({
      dir: opts.dir,
      time: opts.time,
      ...(opts.producerIdExpirationMs !== undefined ? { producerIdExpirationMs: opts.producerIdExpirationMs } : {}),
      logger,
      fsync,
    });
    const loaded = await loadLog({
      dir: opts.dir,
      config: opts.config,
      time: opts.time,
      hadCleanShutdown: opts.hadCleanShutdown,
      recoveryPointCheckpoint: opts.recoveryPoint ?? 0,
      logStartOffsetCheckpoint: opts.logStartOffset ?? 0,
      producerState,
      leaderEpochCache,
      fsync,
      logger,
    });
    const log = new Log(opts, leaderEpochCache, producerState, loaded, logger, fsync);
    logRef = log;
    await log.initTopicId(opts.topicId);
    logger.info(
      `loaded log with ${loaded.segments.length} segment(s), logStartOffset=${log.logStartOffset}, ` +
        `logEndOffset=${log.logEndOffset} in ${opts.time.milliseconds() - start} ms`,
    );
    return log;
  }

  private async initTopicId(topicId: string | undefined): Promise<void> {
    const file = new PartitionMetadataFile(join(this.dir, PARTITION_METADATA_FILE));
    const existing = file.read();
    if (topicId === undefined) {
      this._topicId = existing;
      return;
    }
    if (existing !== undefined && existing !== topicId) {
      throw new KafkaError(
        ErrorCode.INCONSISTENT_TOPIC_ID,
        `partition ${this.topic}-${this.partition} has topic ID ${existing} on disk, not ${topicId}`,
      );
    }
    if (existing === undefined) await file.write(topicId);
    this._topicId = topicId;
  }

  get topicId(): string | undefined {
    return this._topicId;
  }

  /** The partition directory, `<logDir>/<topic>-<partition>` (or a `-future`/`-delete` name). */
  get dir(): string {
    return this._dir;
  }

  /**
   * Renames the partition directory to `newDir`, in the same log dir (a rename across
   * filesystems fails: that is why a future replica is created in its destination dir and only
   * renamed there) and points every file at it (Kafka's `renameDir`): segments, the ones waiting for deletion, producer snapshots, the leader epoch
   * checkpoint. Synchronous, so nothing can start I/O on the old paths in between. Open
   * descriptors follow the rename; an I/O already under way on an old path (a checkpoint write)
   * fails harmlessly and is retried by the next one. The caller awaits `flush()` first if it
   * cares that nothing is in flight.
   */
  renameDir(newDir: string): void {
    if (newDir === this._dir) return;
    fs.renameSync(this._dir, newDir);
    this._dir = newDir;
    for (const s of this.segments) s.updateParentDir(newDir);
    for (const p of this.pendingDeletes) for (const s of p.segments) s.updateParentDir(newDir);
    this.producerState.updateParentDir(newDir);
    this.leaderEpochCache.updateCheckpointPath(join(newDir, LEADER_EPOCH_CHECKPOINT_FILE));
  }

  get config(): LogConfig {
    return this._config;
  }

  updateConfig(config: LogConfig): void {
    validateLogConfig(config);
    this._config = config;
  }

  get logStartOffset(): number {
    return this._logStartOffset;
  }

  get logEndOffset(): number {
    return this._logEndOffset;
  }

  get highWatermark(): number {
    return this._highWatermark;
  }

  get recoveryPoint(): number {
    return this._recoveryPoint;
  }

  get lastFlushTimeMs(): number {
    return this._lastFlushTimeMs;
  }

  get unflushedMessageCount(): number {
    return this.unflushedMessages;
  }

  /** Sets the HW, clamped to [logStartOffset, logEndOffset]; returns the value set. */
  updateHighWatermark(offset: number): number {
    const hw = clamp(offset, this._logStartOffset, this._logEndOffset);
    this._highWatermark = hw;
    this.producerState.onHighWatermarkUpdated(hw);
    return hw;
  }

  /** First offset of the earliest transaction that is undecided (or decided above the HW), else the HW. */
  get lastStableOffset(): number {
    const unstable = this.producerState.firstUnstableOffset();
    return unstable === undefined ? this._highWatermark : Math.min(unstable, this._highWatermark);
  }

  get size(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  get numberOfSegments(): number {
    return this.segments.length;
  }

  get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1] as LogSegment;
  }

  /** A snapshot of the segment list, oldest first. */
  logSegments(): readonly LogSegment[] {
    return this.segments.slice();
  }

  activeProducers(): ProducerStateInfo[] {
    return this.producerState.activeProducers();
  }

  private ensureOpen(): void {
    if (this.offlineError !== undefined) {
      throw new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `Log for partition ${this.topic}-${this.partition} is offline: its log dir ${dirname(this.dir)} failed`,
      );
    }
    if (this.closed)
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `log ${this.topic}-${this.partition} is closed`);
  }

  /** Whether an I/O error took this log offline. */
  get isOffline(): boolean {
    return this.offlineError !== undefined;
  }

  /**
   * Turns an I/O error into Kafka's KAFKA_STORAGE_ERROR and takes the log offline (the first one
   * is reported through onStorageError). Errors that are not I/O (Kafka errors of the log's own
   * checks) pass through unchanged.
   */
  private storageError(err: unknown, doing: string): KafkaError {
    if (err instanceof KafkaError) return err;
    const error = new KafkaError(
      ErrorCode.KAFKA_STORAGE_ERROR,
      `Error while ${doing} ${this.topic}-${this.partition} in dir ${dirname(this.dir)}: ${(err as Error).message}`,
      { cause: err },
    );
    if (this.offlineError === undefined) {
      this.offlineError = error;
      this.onStorageError?.(error);
    }
    return error;
  }

  /** Runs synchronous I/O, taking the log offline if it fails. */
  private io<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      throw this.storageError(err, doing);
    }
  }

  /**
   * Closes the file handles of a log whose dir failed, writing nothing (the disk is full or gone;
   * recovery at the next start repairs whatever was half written).
   */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pendingDeletes) clearTimeout(p.timer);
    this.pendingDeletes.clear();
    for (const s of this.segments) s.closeHandlers();
  }

  /**
   * Appends a produce request's records: validates each batch header and CRC, assigns offsets
   * and the leader epoch in place in `records`, applies LogAppendTime, checks sizes, timestamps
   * and producer state, then writes synchronously. A duplicate (a retry of one of the producer's
   * last 5 batches) returns the original offsets and appends nothing. On any error the log is
   * unchanged.
   */
  appendAsLeader(records: Buffer, leaderEpoch: number, origin: AppendOrigin = 'client'): AppendInfo {
    return this.append(records, origin, true, leaderEpoch);
  }

  /**
   * Appends batches replicated from the leader: offsets and epochs are kept as they are; they must
   * start at or after the log end offset and increase.
   */
  appendAsFollower(records: Buffer): AppendInfo {
    return this.append(records, 'replication', false, -1);
  }

  private append(records: Buffer, origin: AppendOrigin, assignOffsets: boolean, leaderEpoch: number): AppendInfo {
    this.ensureOpen();
    const config = this._config;
    const now = this.time.milliseconds();
    const v = validateAndAssignOffsets(records, {
      config,
      origin,
      assignOffsets,
      nextOffset: this._logEndOffset,
      leaderEpoch,
      now,
    });
    const { headers, batches, firstOffset, lastOffset, recordCount, maxTimestamp, logAppendTime } = v;
    if (batches.length === 0) {
      return {
        firstOffset: -1,
        lastOffset: -1,
        logAppendTimeMs: -1,
        logStartOffset: this._logStartOffset,
        recordCount: 0,
        validBytes: 0,
        maxTimestamp: -1,
      };
    }
    if (records.length > config.segmentBytes) {
      throw new KafkaError(
        ErrorCode.RECORD_LIST_TOO_LARGE,
        `message batch of ${records.length} bytes exceeds segment.bytes ${config.segmentBytes}`,
      );
    }

    // Producer state: validate everything before writing anything.
    const updates = new Map<number, ProducerAppendInfo>();
    const completedTxns: CompletedTxn[] = [];
    for (let b = 0; b < headers.length; b++) {
      const h = headers[b] as RecordBatchHeader;
      if (h.producerId < 0) continue;
      if (origin === 'client') {
        const duplicate = this.producerState
          .lastEntry(h.producerId)
          ?.findDuplicateBatch(h.producerEpoch, h.baseSequence, lastSequenceOf(h));
        if (duplicate !== undefined) {
          const dupFirst = duplicate.lastOffset - duplicate.offsetDelta;
          return {
            firstOffset: dupFirst,
            lastOffset: duplicate.lastOffset,
            logAppendTimeMs: logAppendTime ? duplicate.timestamp : -1,
            logStartOffset: this._logStartOffset,
            recordCount: 0,
            validBytes: 0,
            maxTimestamp: duplicate.timestamp,
            duplicate: true,
          };
        }
      }
      let info = updates.get(h.producerId);
      if (info === undefined) {
        info = this.producerState.prepareUpdate(h.producerId, origin);
        updates.set(h.producerId, info);
      }
      if (isControl(h.attributes)) {
        const marker = readEndTxnMarker(h, records, (batches[b] as AppendedBatch).position);
        if (marker !== undefined) {
          const completed = info.appendEndTxnMarker(marker, h.producerEpoch, h.baseOffset, h.maxTimestamp);
          if (completed !== undefined) completedTxns.push(completed);
        }
      } else {
        info.appendDataBatch(
          h.producerEpoch,
          h.baseSequence,
          lastSequenceOf(h),
          h.maxTimestamp,
          h.baseOffset,
          h.baseOffset + h.lastOffsetDelta,
          isTransactional(h.attributes),
        );
      }
    }

    let segment: LogSegment;
    try {
      segment = this.maybeRoll(records.length, maxTimestamp, firstOffset, lastOffset, now);
      segment.append(lastOffset, records, batches, now);
    } catch (err) {
      throw this.storageError(err, 'appending records to');
    }

    for (const h of headers) {
      if (h.partitionLeaderEpoch >= 0) {
        const latest = this.leaderEpochCache.latestEpoch;
        if (latest === undefined || h.partitionLeaderEpoch > latest) {
          this.leaderEpochCache.assign(h.partitionLeaderEpoch, h.baseOffset);
        }
      }
    }
    for (const info of updates.values()) this.producerState.update(info);
    for (const txn of completedTxns) {
      if (txn.isAborted) {
        segment.txnIndex.append({
          producerId: txn.producerId,
          firstOffset: txn.firstOffset,
          lastOffset: txn.lastOffset,
          lastStableOffset: this.producerState.lastStableOffset(txn),
        });
      }
      this.producerState.completeTxn(txn);
    }
    this._logEndOffset = lastOffset + 1;
    this.producerState.updateMapEndOffset(this._logEndOffset);
    this.unflushedMessages += recordCount;
    if (this.unflushedMessages >= config.flushMessages) this.flushInBackground();
    return {
      firstOffset,
      lastOffset,
      logAppendTimeMs: logAppendTime ? now : -1,
      logStartOffset: this._logStartOffset,
      recordCount,
      validBytes: records.length,
      maxTimestamp,
    };
  }

  private maybeRoll(
    messagesSize: number,
    maxTimestampInMessages: number,
    firstOffset: number,
    maxOffsetInMessages: number,
    nowMs: number,
  ): LogSegment {
    const active = this.activeSegment;
    const c = this._config;
    if (
      active.shouldRoll({
        segmentBytes: c.segmentBytes,
        segmentMs: c.segmentMs,
        messagesSize,
        maxTimestampInMessages,
        maxOffsetInMessages,
        nowMs,
      })
    ) {
      return this.roll(firstOffset);
    }
    return active;
  }

  /**
   * Starts a new active segment at max(expectedNextOffset, LEO). The old one gets its final index
   * entries and is fsynced in the background (as Kafka schedules it); a producer snapshot is
   * taken at the new base offset.
   */
  roll(expectedNextOffset?: number): LogSegment {
    this.ensureOpen();
    return this.io('rolling a new segment of', () => this.rollSegment(expectedNextOffset));
  }

  private rollSegment(expectedNextOffset: number | undefined): LogSegment {
    const newOffset = Math.max(expectedNextOffset ?? 0, this._logEndOffset);
    const active = this.activeSegment;
    if (active.baseOffset === newOffset && active.size === 0) return active;
    if (active.baseOffset >= newOffset) {
      throw new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `cannot roll to offset ${newOffset}: active segment starts at ${active.baseOffset}`,
      );
    }
    active.onBecomeInactiveSegment();
    this.producerState.updateMapEndOffset(newOffset);
    this.producerState.takeSnapshot();
    const segment = newSegment(this.dir, newOffset, this._config, this.time, this.fsync, this.logger);
    this.segments.push(segment);
    this.logger.debug(`rolled new segment at offset ${newOffset}`);
    this.flushInBackground();
    return segment;
  }

  private flushInBackground(): void {
    this.flush().catch((err: Error) => this.logger.error(`background flush failed: ${err.message}`));
  }

  /**
   * Group commit: resolves once everything appended before the call is fsynced. Callers arriving
   * while no sync is queued share the next one; at most one sync runs at a time, so N concurrent
   * callers cause one or two fdatasync rounds. Advances the recovery point.
   */
  flush(): Promise<void> {
    if (this.flushQueued !== undefined) return this.flushQueued;
    const previous = this.flushRunning ?? Promise.resolve();
    const queued = previous
      .catch(() => {})
      .then(() => {
        // From here on, later callers queue a new flush: this one captures the state now.
        this.flushQueued = undefined;
        const run = this.doFlush();
        this.flushRunning = run;
        return run.finally(() => {
          if (this.flushRunning === run) this.flushRunning = undefined;
        });
      });
    this.flushQueued = queued;
    return queued;
  }

  private async doFlush(): Promise<void> {
    if (this.closed || this.offlineError !== undefined) return;
    const targetOffset = this._logEndOffset;
    const flushedMessages = this.unflushedMessages;
    const dirty = this.segments.filter((s) => s.needsFlush);
    try {
      await Promise.all(dirty.map((s) => s.flush()));
      await Promise.all([this.producerState.flush(), this.leaderEpochCache.flush()]);
    } catch (err) {
      throw this.storageError(err, 'flushing');
    }
    if (targetOffset > this._recoveryPoint) this._recoveryPoint = Math.min(targetOffset, this._logEndOffset);
    this.unflushedMessages = Math.max(0, this.unflushedMessages - flushedMessages);
    this._lastFlushTimeMs = this.time.milliseconds();
  }

  /**
   * Reads whole batches from the batch containing startOffset. Empty at the log end or when
   * startOffset ≥ maxOffset; OFFSET_OUT_OF_RANGE below logStartOffset or beyond the end.
   */
  async read(startOffset: number, opts: ReadOptions): Promise<FetchDataInfo> {
    this.ensureOpen();
    const leo = this._logEndOffset;
    if (startOffset < this._logStartOffset || startOffset > leo) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${startOffset} is outside [${this._logStartOffset}, ${leo}] of ${this.topic}-${this.partition}`,
      );
    }
    const maxOffset = Math.min(opts.maxOffset ?? leo, leo);
    const empty: FetchDataInfo = {
      fetchOffset: startOffset,
      records: Buffer.alloc(0),
      firstOffset: startOffset,
      firstEntryIncomplete: false,
    };
    if (startOffset >= maxOffset) return empty;
    const segments = this.segments.slice();
    let i = floorIndex(segments, startOffset);
    if (i < 0) i = 0;
    for (; i < segments.length; i++) {
      const segment = segments[i] as LogSegment;
      if (segment.baseOffset >= maxOffset) break;
      if (segment.isClosed) {
        // Retention removed it while this read waited on an earlier segment: its offsets are
        // gone, and reading on from a later segment would silently skip them.
        if (startOffset < this._logStartOffset) {
          throw new KafkaError(
            ErrorCode.OFFSET_OUT_OF_RANGE,
            `offset ${startOffset} is below the log start offset ${this._logStartOffset} of ${this.topic}-${this.partition}`,
          );
        }
        continue;
      }
      let result: Awaited<ReturnType<LogSegment['read']>>;
      try {
        result = await segment.read(startOffset, opts.maxBytes, maxOffset, opts.minOneMessage ?? false, opts.allocate);
      } catch (err) {
        throw this.storageError(err, 'reading');
      }
      if (result === undefined) continue;
      return {
        fetchOffset: startOffset,
        records: result.records,
        firstOffset: result.firstOffset,
        firstEntryIncomplete: result.records.length === 0,
      };
    }
    return empty;
  }

  /**
   * `read` without awaiting: whole batches from the one holding startOffset, up to maxBytes (at
   * least one batch), below the log end. For short tails only — it blocks the event loop for the
   * read — such as a future replica's last catch-up, which must happen in the same tick as the
   * swap (see ReplicaAlterLogDirsManager). Empty at the log end; OFFSET_OUT_OF_RANGE outside the log.
   */
  readSync(startOffset: number, maxBytes: number): FetchDataInfo {
    this.ensureOpen();
    const leo = this._logEndOffset;
    if (startOffset < this._logStartOffset || startOffset > leo) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${startOffset} is outside [${this._logStartOffset}, ${leo}] of ${this.topic}-${this.partition}`,
      );
    }
    const segments = this.segments;
    for (let i = Math.max(0, floorIndex(segments, startOffset)); i < segments.length; i++) {
      const segment = segments[i] as LogSegment;
      if (segment.baseOffset >= leo) break;
      let result: ReturnType<LogSegment['readSync']>;
      try {
        result = segment.readSync(startOffset, maxBytes, leo);
      } catch (err) {
        throw this.storageError(err, 'reading');
      }
      if (result === undefined) continue;
      return {
        fetchOffset: startOffset,
        records: result.records,
        firstOffset: result.firstOffset,
        firstEntryIncomplete: false,
      };
    }
    return {
      fetchOffset: startOffset,
      records: Buffer.alloc(0),
      firstOffset: startOffset,
      firstEntryIncomplete: false,
    };
  }

  /**
   * ListOffsets: the special targets (LATEST, EARLIEST, MAX_TIMESTAMP, EARLIEST_LOCAL) or the first
   * offset whose record timestamp is ≥ timestampMs, using the time index. Undefined if no record
   * is that recent. Synchronous: reads a few batch headers and one batch from the page cache.
   */
  fetchOffsetByTimestamp(timestampMs: number): TimestampAndOffset | undefined {
    this.ensureOpen();
    if (timestampMs === ListOffsetsTimestamp.EARLIEST || timestampMs === ListOffsetsTimestamp.EARLIEST_LOCAL) {
      const offset = this._logStartOffset;
      return { offset, timestamp: -1, leaderEpoch: this.leaderEpochCache.epochForOffset(offset) };
    }
    if (timestampMs === ListOffsetsTimestamp.LATEST) {
      return { offset: this._logEndOffset, timestamp: -1, leaderEpoch: this.leaderEpochCache.latestEpoch };
    }
    if (timestampMs === ListOffsetsTimestamp.MAX_TIMESTAMP) return findOffsetOfMaxTimestamp(this.segments.slice());
    if (timestampMs < 0) return undefined;
    return findOffsetByTimestamp(this.segments.slice(), timestampMs, this._logStartOffset);
  }

  /** Aborted transactions overlapping [startOffset, upperBoundOffset), from the txn indexes (read_committed). */
  collectAbortedTransactions(startOffset: number, upperBoundOffset: number): AbortedTransaction[] {
    const result: AbortedTransaction[] = [];
    const segments = this.segments.slice();
    let i = Math.max(0, floorIndex(segments, startOffset));
    for (; i < segments.length; i++) {
      const segment = segments[i] as LogSegment;
      if (segment.baseOffset >= upperBoundOffset && i > 0) break;
      const search = segment.txnIndex.collectAbortedTxns(startOffset, upperBoundOffset);
      for (const t of search.abortedTransactions) result.push({ producerId: t.producerId, firstOffset: t.firstOffset });
      if (search.isComplete) break;
    }
    return result;
  }

  /**
   * DeleteRecords: moves logStartOffset up to `offset` (≤ HW; -1 means the HW) and deletes the
   * segments now wholly below it. Returns the new log start offset.
   */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.ensureOpen();
    const target = offset === -1 ? this._highWatermark : offset;
    if (target < 0 || target > this._highWatermark) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `cannot delete records before ${offset}: the high watermark of ${this.topic}-${this.partition} is ${this._highWatermark}`,
      );
    }
    this.maybeIncrementLogStartOffset(target);
    await deleteLogStartOffsetBreachedSegments(this);
    return this._logStartOffset;
  }

  /**
   * A follower follows its leader's log start offset (DeleteRecords, retention on the leader),
   * never beyond its own high watermark; segments below it go with the next retention pass.
   */
  followLeaderLogStartOffset(leaderLogStartOffset: number): void {
    this.ensureOpen();
    this.maybeIncrementLogStartOffset(Math.min(leaderLogStartOffset, this._highWatermark));
  }

  private maybeIncrementLogStartOffset(newLogStartOffset: number): void {
    if (newLogStartOffset <= this._logStartOffset) return;
    this._logStartOffset = newLogStartOffset;
    if (this._highWatermark < newLogStartOffset) this._highWatermark = newLogStartOffset;
    if (this._recoveryPoint < newLogStartOffset) this._recoveryPoint = newLogStartOffset;
    this.leaderEpochCache.truncateFromStart(newLogStartOffset);
    this.producerState.onLogStartOffsetIncremented(newLogStartOffset);
  }

  /**
   * Deletes the longest prefix of segments that lie wholly below the high watermark and satisfy
   * `predicate` (called in order with each segment and the one after it, until it first returns
   * false), Kafka's `deleteOldSegments(predicate, reason)`. The active segment qualifies only if
   * it is not empty; deleting every segment rolls first, so the log always keeps one. Moves
   * logStartOffset up to the first segment left and drops producer snapshots below it. Returns
   * the number of segments deleted. Which segments to delete is log-retention.ts's decision.
   */
  async deleteOldSegments(
    predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean,
    reason: string,
  ): Promise<number> {
    const deletable: LogSegment[] = [];
    const segments = this.segments;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as LogSegment;
      const next = segments[i + 1];
      const isLastAndEmpty = next === undefined && s.size === 0;
      const upper = next === undefined ? this._logEndOffset : next.baseOffset;
      if (!isLastAndEmpty && this._highWatermark >= upper && predicate(s, next)) deletable.push(s);
      else break;
    }
    if (deletable.length === 0) return 0;
    if (deletable.length === this.segments.length) this.roll();
    this.removeAndDeleteSegments(deletable, reason);
    const firstBase = (this.segments[0] as LogSegment).baseOffset;
    this.maybeIncrementLogStartOffset(firstBase);
    // Snapshots of deleted segments are no longer useful (Kafka removes them with their segment).
    this.producerState.deleteSnapshotsBefore(firstBase);
    return deletable.length;
  }

  /** Removes segments from the log now; their files go `.deleted` and vanish after fileDeleteDelayMs. */
  private removeAndDeleteSegments(toDelete: readonly LogSegment[], reason: string): void {
    const set = new Set(toDelete);
    this.segments = this.segments.filter((s) => !set.has(s));
    for (const s of toDelete) {
      this.logger.info(`deleting segment ${s.baseOffset} (${reason})`);
      retireSegmentFiles(s, this.logger);
    }
    this.scheduleDelete(toDelete.slice());
  }

  private scheduleDelete(segments: LogSegment[]): void {
    const run = async (): Promise<void> => {
      this.pendingDeletes.delete(pending);
      clearTimeout(pending.timer);
      for (const s of segments) {
        s.closeHandlers();
        await s.whenClosed();
        try {
          s.deleteFiles();
        } catch (err) {
          this.logger.warn(`could not delete segment ${s.baseOffset}: ${(err as Error).message}`);
        }
      }
    };
    const timer = setTimeout(() => {
      run().catch((err: Error) => this.logger.error(`segment deletion failed: ${err.message}`));
    }, this._config.fileDeleteDelayMs);
    timer.unref();
    const pending: PendingDelete = { segments, timer, run };
    this.pendingDeletes.add(pending);
  }

  /** Deletes now the files of segments waiting for fileDeleteDelayMs (tests, shutdown). */
  async completePendingDeletes(): Promise<void> {
    for (const p of [...this.pendingDeletes]) await p.run();
  }

  /**
   * Replication: removes everything at and after `targetOffset`. Returns false if there was
   * nothing to remove. Producer state is rebuilt before returning.
   */
  truncateTo(targetOffset: number): boolean {
    this.ensureOpen();
    if (targetOffset < 0) throw new RangeError(`cannot truncate to negative offset ${targetOffset}`);
    if (targetOffset >= this._logEndOffset) return false;
    if (targetOffset < (this.segments[0] as LogSegment).baseOffset) {
      this.truncateFullyAndStartAt(targetOffset);
      return true;
    }
    return this.io('truncating', () => this.truncateSegments(targetOffset));
  }

  private truncateSegments(targetOffset: number): boolean {
    const doomed = this.segments.filter((s) => s.baseOffset > targetOffset);
    if (doomed.length > 0) this.removeAndDeleteSegments(doomed, 'truncation');
    this.activeSegment.truncateTo(targetOffset);
    this._logEndOffset = targetOffset;
    this.leaderEpochCache.truncateFromEnd(targetOffset);
    if (this._logStartOffset > targetOffset) this._logStartOffset = targetOffset;
    if (this._highWatermark > targetOffset) this._highWatermark = targetOffset;
    if (this._recoveryPoint > targetOffset) this._recoveryPoint = targetOffset;
    rebuildProducerStateSync(this.producerState, this.segments, this._logStartOffset, targetOffset, this.time);
    return true;
  }

  /** Replication: deletes every segment and restarts the log, empty, at `newOffset`. */
  truncateFullyAndStartAt(newOffset: number): void {
    this.ensureOpen();
    this.io('truncating', () => this.restartAt(newOffset));
  }

  private restartAt(newOffset: number): void {
    const old = this.segments.slice();
    this.segments = [];
    for (const s of old) retireSegmentFiles(s, this.logger);
    this.scheduleDelete(old);
    this.segments.push(newSegment(this.dir, newOffset, this._config, this.time, this.fsync, this.logger));
    this._logEndOffset = newOffset;
    this._logStartOffset = newOffset;
    this._highWatermark = newOffset;
    this._recoveryPoint = newOffset;
    this.leaderEpochCache.clear();
    this.producerState.truncateFullyAndStartAt(newOffset);
  }

  /**
   * Replaces `oldSegments` by `replacement` (already renamed into place by the cleaner). Internal
   * to the cleaner: old segments' files must have been renamed or replaced by the caller.
   */
  replaceSegments(replacement: LogSegment, oldSegments: readonly LogSegment[]): void {
    const set = new Set(oldSegments);
    const kept = this.segments.filter((s) => !set.has(s));
    kept.push(replacement);
    kept.sort((a, b) => a.baseOffset - b.baseOffset);
    this.segments = kept;
  }

  /** Schedules deletion of segments the cleaner replaced (their files already renamed). */
  scheduleSegmentDeletion(segments: LogSegment[]): void {
    this.scheduleDelete(segments);
  }

  /**
   * Takes a producer snapshot at the log end, writes index files, fsyncs the active segment (data
   * and indexes) and any other segment with unsynced changes, waits for pending checkpoint writes
   * and deletions, and closes the segments (descriptors held by in-flight reads close later).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.offlineError !== undefined) {
      this.abandon();
      return;
    }
    await this.flushQueued?.catch(() => {});
    await this.flushRunning?.catch(() => {});
    this.closed = true;
    this.producerState.updateMapEndOffset(this._logEndOffset);
    this.producerState.takeSnapshot();
    await Promise.all([this.producerState.flush(), this.leaderEpochCache.flush()]);
    await this.completePendingDeletes();
    // Index files written at close are fsynced too (the active segment's only here), so that a
    // clean-shutdown marker written afterwards never vouches for indexes still in the page cache.
    const active = this.activeSegment;
    active.prepareClose();
    await Promise.all(this.segments.filter((s) => s === active || s.needsFlush).map((s) => s.flush()));
    for (const s of this.segments) s.close();
  }

  /** Closes the log and removes its directory. */
  async delete(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.completePendingDeletes();
      for (const s of this.segments) s.closeHandlers();
    }
    await Promise.all(this.segments.map((s) => s.whenClosed()));
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Drops producers idle for longer than producerIdExpirationMs (LogManager calls this periodically). */
  removeExpiredProducers(): number {
    return this.producerState.removeExpiredProducers(this.time.milliseconds());
  }

  /** Test/diagnostic hook: the segments' base offsets. */
  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** Index of the last segment with baseOffset ≤ offset, -1 if none. */
export function floorIndex(segments: readonly LogSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((segments[mid] as LogSegment).baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Closes a segment that left the log, then renames its files to `.deleted` (deleted for good
 * after file.delete.delay.ms). Files are closed before they are renamed — the rename Kafka on
 * Windows trips over — unless a read still holds the segment: its descriptor then closes when
 * that read ends, and the rename happens now anyway, so that a new segment may reuse the name
 * (after truncation) at once; on POSIX systems an open descriptor follows its file.
 */
export function retireSegmentFiles(segment: LogSegment, logger: Logger): void {
  segment.closeHandlers();
  try {
    segment.changeFileSuffixes('', DELETED_FILE_SUFFIX);
  } catch (err) {
    logger.warn(`could not rename segment ${segment.baseOffset} for deletion: ${(err as Error).message}`);
  }
}
