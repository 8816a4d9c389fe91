import * as fs from 'node:fs';
import { BatchHeader, type RecordBatchHeader, readBatchHeader } from '@samsa/protocol';
import type { LeaderEpochFileCache } from '../epoch/leader-epoch-file-cache.js';
import { CorruptIndexError } from '../indexes/corrupt-index-error.js';
import { OffsetIndex } from '../indexes/offset-index.js';
import { TimeIndex, type TimestampOffset } from '../indexes/time-index.js';
import { TransactionIndex } from '../indexes/transaction-index.js';
import type { ProducerStateManager } from '../producer/producer-state-manager.js';
import { type FsyncFn, readAt, readFully, readFullySync, writeFullySync } from '../util/file-ops.js';
import { logFile, offsetIndexFile, timeIndexFile, transactionIndexFile } from '../util/log-file-utils.js';
import { type Logger, noopLogger } from '../util/logger.js';
import { type ScannedBatch, scanBatches, scanBatchesSync } from './batch-scanner.js';
import { loadBatchIntoProducerState } from './producer-state-replay.js';

/** Per-batch facts the log computed while validating an append; the segment needs nothing else. */
export interface AppendedBatch {
  /** Position of the batch within the appended buffer. */
  readonly position: number;
  readonly size: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

/** A contiguous run of whole batches read from a segment. */
export interface SegmentReadResult {
  readonly records: Buffer;
  /** Base offset of the first batch returned. */
  readonly firstOffset: number;
  /** File position of the first batch. */
  readonly position: number;
}

/** Position and size of the first batch whose last offset is ≥ a target offset. */
export interface BatchLocation {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly position: number;
  readonly size: number;
}

export interface LogSegmentOptions {
  readonly dir: string;
  readonly baseOffset: number;
  readonly indexIntervalBytes: number;
  readonly maxIndexSize: number;
  readonly rollJitterMs: number;
  readonly nowMs: number;
  /** Create (truncating) rather than open existing files. */
  readonly create: boolean;
  /** With create: size the new log file up front (`preallocate`); trimmed on roll and close. */
  readonly preallocateBytes?: number;
  /** File name suffix (`.cleaned`, `.swap`) for segments that are not (yet) part of the log. */
  readonly suffix?: string;
  readonly fsync: FsyncFn;
  readonly logger?: Logger;
}

const INT32_MAX = 0x7fffffff;

/**
 * One segment of a partition log (Kafka's `LogSegment`): `<base>.log` plus its offset, time and
 * transaction indexes.
 *
 * `.log` format: record batches (message format v2) back to back, exactly as produced, with
 * baseOffset and partitionLeaderEpoch assigned. Invariants: batch offsets strictly increase
 * (gaps allowed, e.g. after compaction); every offset in the file is ≥ baseOffset and
 * < baseOffset + 2^31 (so relative offsets fit the int32 index fields); `size` counts the valid
 * bytes — the file may be longer only when preallocated.
 *
 * I/O model: appends are synchronous `writeSync`s at `size` (page cache, no fsync); reads are one
 * async `fs.read` of whole batches into a fresh buffer; fsync happens only in `flush()`, off the
 * event loop. The log file descriptor stays open for the segment's life and is closed only when no
 * read holds a reference (`retain`/`release`), so deleting a segment under an in-flight read is
 * safe. Not reentrant; owned by its Log.
 */
export class LogSegment {
  readonly baseOffset: number;
  private dir: string;
  private suffix: string;
  private fd: number;
  private _size: number;
  /** Bytes allocated on disk beyond `_size` (preallocation). */
  private fileSize: number;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly txnIndex: TransactionIndex;
  readonly indexIntervalBytes: number;
  readonly rollJitterMs: number;
  private readonly created: number;
  private bytesSinceLastIndexEntry = 0;
  /** Lazily loaded from the time index for segments read from disk. */
  private maxTimestampAndOffset: TimestampOffset | undefined;
  /** Max timestamp of the first batch (Kafka's rollingBasedTimestamp); loaded lazily. */
  private rollingBasedTimestamp: number | undefined;
  private readonly fsync: FsyncFn;
  private readonly logger: Logger;
  private refCount = 0;
  private closed = false;
  private closeRequested = false;
  /** Appended bytes not yet fsynced. */
  private dirty = false;
  /** Index files need an fsync (set when the segment becomes inactive). */
  private indexesNeedSync = false;
  private lastModifiedMs: number;

  private constructor(opts: LogSegmentOptions, fd: number, size: number, fileSize: number) {
    this.baseOffset = opts.baseOffset;
    this.dir = opts.dir;
    this.suffix = opts.suffix ?? '';
    this.fd = fd;
    this._size = size;
    this.fileSize = fileSize;
    this.indexIntervalBytes = opts.indexIntervalBytes;
    this.rollJitterMs = opts.rollJitterMs;
    this.created = opts.nowMs;
    this.fsync = opts.fsync;
    this.logger = opts.logger ?? noopLogger;
    this.offsetIndex = new OffsetIndex(
      offsetIndexFile(opts.dir, opts.baseOffset, this.suffix),
      opts.baseOffset,
      opts.maxIndexSize,
      opts.create,
    );
    this.timeIndex = new TimeIndex(
      timeIndexFile(opts.dir, opts.baseOffset, this.suffix),
      opts.baseOffset,
      opts.maxIndexSize,
      opts.create,
    );
    this.txnIndex = new TransactionIndex(
      transactionIndexFile(opts.dir, opts.baseOffset, this.suffix),
      opts.baseOffset,
      opts.create,
    );
    this.lastModifiedMs = opts.nowMs;
    if (opts.create) this.maxTimestampAndOffset = { timestamp: -1, offset: -1 };
  }

  static open(opts: LogSegmentOptions): LogSegment {
    const path = logFile(opts.dir, opts.baseOffset, opts.suffix ?? '');
    if (opts.create) {
      const fd = fs.openSync(path, 'w+');
      let fileSize = 0;
      if (opts.preallocateBytes !== undefined && opts.preallocateBytes > 0) {
        fs.ftruncateSync(fd, opts.preallocateBytes);
        fileSize = opts.preallocateBytes;
      }
      const segment = new LogSegment(opts, fd, 0, fileSize);
      // Index files exist from the start, so a missing one always means "deleted, rebuild".
      segment.offsetIndex.flush();
      segment.timeIndex.flush();
      return segment;
    }
    const fd = fs.openSync(path, 'r+');
    const stat = fs.fstatSync(fd);
    const segment = new LogSegment(opts, fd, stat.size, stat.size);
    segment.lastModifiedMs = stat.mtimeMs;
    return segment;
  }

  get size(): number {
    return this._size;
  }

  get logPath(): string {
    return logFile(this.dir, this.baseOffset, this.suffix);
  }

  get isClosed(): boolean {
    return this.closed || this.closeRequested;
  }

  /** Whether the on-disk index files exist (a missing one triggers recovery of the segment). */
  indexFilesExist(): boolean {
    return fs.existsSync(this.offsetIndex.path) && fs.existsSync(this.timeIndex.path);
  }

  /** Loads and checks the indexes; throws CorruptIndexError if they do not fit the log. */
  sanityCheck(): void {
    this.offsetIndex.ensureLoaded();
    this.offsetIndex.sanityCheck(Math.max(this._size, 1));
    this.timeIndex.ensureLoaded();
    this.txnIndex.ensureLoaded();
  }

  private get maxTimestampSoFar(): TimestampOffset {
    if (this.maxTimestampAndOffset === undefined) {
      const last = this.loadIndexesOrRebuild(() => this.timeIndex.lastEntry());
      this.maxTimestampAndOffset = last.timestamp < 0 ? { timestamp: -1, offset: -1 } : last;
    }
    return this.maxTimestampAndOffset;
  }

  /** Largest timestamp in the segment, -1 if none known. */
  get maxTimestamp(): number {
    return this.maxTimestampSoFar.timestamp;
  }

  get offsetOfMaxTimestamp(): number {
    return this.maxTimestampSoFar.offset;
  }

  /** Kafka's `largestTimestamp`: the max timestamp if any, else the file's modification time. */
  get largestTimestamp(): number {
    const ts = this.maxTimestamp;
    return ts > 0 ? ts : this.lastModified;
  }

  get lastModified(): number {
    return this.lastModifiedMs;
  }

  /** Sets the segment's modification time (the cleaner records its clean time here). */
  setLastModified(ms: number): void {
    this.lastModifiedMs = ms;
    try {
      fs.utimesSync(this.logPath, ms / 1000, ms / 1000);
    } catch (err) {
      this.logger.warn(`could not set mtime of ${this.logPath}: ${(err as Error).message}`);
    }
  }

  /**
   * Runs `fn` on the indexes; if they fail to load (corrupt file of an inactive segment found
   * after a clean start), rebuilds them from the log synchronously first.
   */
  private loadIndexesOrRebuild<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof CorruptIndexError)) throw err;
      this.logger.warn(`${err.message}; rebuilding the indexes of segment ${this.baseOffset}`);
      this.rebuildIndexesSync();
      return fn();
    }
  }

  lookupPosition(offset: number): number {
    return this.loadIndexesOrRebuild(() => this.offsetIndex.lookup(offset)).position;
  }

  canConvertToRelativeOffset(offset: number): boolean {
    const rel = offset - this.baseOffset;
    return rel >= 0 && rel <= INT32_MAX;
  }

  /**
   * Appends already validated batches. `largestOffset` must be convertible to a relative offset.
   * On a write error the file is cut back to its previous size and the error rethrown.
   */
  append(largestOffset: number, records: Buffer, batches: readonly AppendedBatch[], nowMs: number): void {
    if (records.length === 0) return;
    if (!this.canConvertToRelativeOffset(largestOffset)) {
      throw new Error(`offset ${largestOffset} cannot be stored in segment ${this.baseOffset}`);
    }
    let physicalPosition = this._size;
    try {
      writeFullySync(this.fd, records, 0, records.length, physicalPosition);
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, Math.max(physicalPosition, this.fileSize));
      } catch {}
      throw err;
    }
    this._size += records.length;
    if (this._size > this.fileSize) this.fileSize = this._size;
    this.dirty = true;
    this.lastModifiedMs = nowMs;
    if (this.rollingBasedTimestamp === undefined && physicalPosition === 0 && batches[0] !== undefined) {
      this.rollingBasedTimestamp = batches[0].maxTimestamp;
    }
    const maxSoFar = this.maxTimestampSoFar;
    let maxTs = maxSoFar.timestamp;
    let maxTsOffset = maxSoFar.offset;
    for (const b of batches) {
      if (b.maxTimestamp > maxTs) {
        maxTs = b.maxTimestamp;
        maxTsOffset = b.lastOffset;
      }
      if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
        this.offsetIndex.append(b.lastOffset, physicalPosition);
        this.timeIndex.maybeAppend(maxTs, maxTsOffset);
        this.bytesSinceLastIndexEntry = 0;
      }
      physicalPosition += b.size;
      this.bytesSinceLastIndexEntry += b.size;
    }
    this.maxTimestampAndOffset = { timestamp: maxTs, offset: maxTsOffset };
  }

  /**
   * Kafka's roll rule: the append would push the segment past segmentBytes, or the first batch is
   * older than segmentMs (minus jitter) relative to the incoming batch's timestamp (or wall-clock
   * age when the segment holds no timestamps), or an index is full, or the offsets would overflow
   * the int32 relative offsets.
   */
  shouldRoll(p: {
    segmentBytes: number;
    segmentMs: number;
    messagesSize: number;
    maxTimestampInMessages: number;
    maxOffsetInMessages: number;
    nowMs: number;
  }): boolean {
    const reachedRollMs = this.timeWaitedForRoll(p.nowMs, p.maxTimestampInMessages) > p.segmentMs - this.rollJitterMs;
    return (
      this._size > p.segmentBytes - p.messagesSize ||
      (this._size > 0 && reachedRollMs) ||
      this.offsetIndex.isFull() ||
      this.timeIndex.isFull() ||
      !this.canConvertToRelativeOffset(p.maxOffsetInMessages)
    );
  }

  private timeWaitedForRoll(nowMs: number, messageTimestamp: number): number {
    this.loadFirstBatchTimestamp();
    const ts = this.rollingBasedTimestamp ?? -1;
    if (ts >= 0) return messageTimestamp - ts;
    return Math.max(nowMs - this.created, 0);
  }

  private loadFirstBatchTimestamp(): void {
    if (this.rollingBasedTimestamp !== undefined || this._size < BatchHeader.SIZE) return;
    const head = readFullySync(this.fd, BatchHeader.SIZE, 0);
    if (head.length === BatchHeader.SIZE) this.rollingBasedTimestamp = readBatchHeader(head, 0).maxTimestamp;
  }

  /**
   * Locates the first batch with lastOffset ≥ offset, starting the header walk at `startingPosition`
   * (from the offset index). Reads batch headers synchronously; the walk is bounded by the index
   * interval. Undefined if no such batch.
   */
  translateOffset(offset: number, startingPosition = 0): BatchLocation | undefined {
    let position = startingPosition;
    const end = this._size;
    while (position + BatchHeader.SIZE <= end) {
      const head = readFullySync(this.fd, BatchHeader.SIZE, position);
      if (head.length < BatchHeader.SIZE) return undefined;
      const header = readBatchHeader(head, 0);
      if (header.sizeInBytes < BatchHeader.SIZE || position + header.sizeInBytes > end) return undefined;
      const lastOffset = header.baseOffset + header.lastOffsetDelta;
      if (lastOffset >= offset) {
        return { baseOffset: header.baseOffset, lastOffset, position, size: header.sizeInBytes };
      }
      position += header.sizeInBytes;
    }
    return undefined;
  }

  /**
   * Reads whole batches starting with the one containing `startOffset`: at most `maxSize` bytes
   * (unless `minOneMessage` and the first batch is larger), only batches whose baseOffset is
   * below `maxOffset`. Undefined if the segment holds nothing at or after startOffset (below
   * maxOffset). One async read into a fresh buffer; the header walk to the first batch uses the
   * offset index.
   */
  async read(
    startOffset: number,
    maxSize: number,
    maxOffset: number,
    minOneMessage: boolean,
    allocate?: (size: number) => Buffer,
  ): Promise<SegmentReadResult | undefined> {
    if (this.isClosed) return undefined;
    const indexPosition = this.lookupPosition(startOffset);
    if (this._size - indexPosition <= LogSegment.SMALL_READ_BYTES) {
      return this.readSmall(startOffset, indexPosition, maxSize, maxOffset, minOneMessage);
    }
    const start = this.translateOffset(startOffset, indexPosition);
    if (start === undefined || start.baseOffset >= maxOffset) return undefined;
    const end = this._size;
    let length = Math.min(maxSize, end - start.position);
    if (start.size > maxSize) {
      if (!minOneMessage) return { records: Buffer.alloc(0), firstOffset: start.baseOffset, position: start.position };
      length = start.size;
    }
    this.retain();
    let data: Buffer;
    try {
      data =
        allocate === undefined
          ? await readFully(this.fd, length, start.position)
          : await this.readInto(allocate(length), start.position);
    } finally {
      this.release();
    }
    return {
      records: data.subarray(0, wholeBatchesBelow(data, maxOffset)),
      firstOffset: start.baseOffset,
      position: start.position,
    };
  }

  /**
   * `read`, synchronously: whole batches from the one containing startOffset, at most maxSize bytes
   * but at least one batch, only those whose baseOffset is below maxOffset.
   */
  readSync(startOffset: number, maxSize: number, maxOffset: number): SegmentReadResult | undefined {
    if (this.isClosed) return undefined;
    const start = this.translateOffset(startOffset, this.lookupPosition(startOffset));
    if (start === undefined || start.baseOffset >= maxOffset) return undefined;
    const length = Math.max(start.size, Math.min(maxSize, this._size - start.position));
    const data = readFullySync(this.fd, length, start.position);
    return {
      records: data.subarray(0, wholeBatchesBelow(data, maxOffset)),
      firstOffset: start.baseOffset,
      position: start.position,
    };
  }

  /**
   * Reads at most this many bytes from the indexed position to the segment's end in one
   * synchronous read (`readSmall`): a consumer at the tail of the log.
   */
  static readonly SMALL_READ_BYTES = 64 * 1024;

  /**
   * `read` for a consumer near the end of the segment: everything from the index position to the
   * end is at most SMALL_READ_BYTES, so one synchronous read from the page cache (a few
   * microseconds) replaces the header reads of `translateOffset` and the thread-pool round trip
   * of the asynchronous read (tens of microseconds and two context switches per fetch). The
   * same walk as `translateOffset`, on the bytes in memory; the same result as `read`.
   */
  private readSmall(
    startOffset: number,
    from: number,
    maxSize: number,
    maxOffset: number,
    minOneMessage: boolean,
  ): SegmentReadResult | undefined {
    const end = this._size;
    const tail = readFullySync(this.fd, end - from, from);
    let p = 0;
    while (p + BatchHeader.SIZE <= tail.length) {
      const header = readBatchHeader(tail, p);
      if (header.sizeInBytes < BatchHeader.SIZE || from + p + header.sizeInBytes > end) return undefined;
      if (header.baseOffset + header.lastOffsetDelta >= startOffset) {
        if (header.baseOffset >= maxOffset) return undefined;
        const position = from + p;
        let length = Math.min(maxSize, end - position);
        if (header.sizeInBytes > maxSize) {
          if (!minOneMessage) return { records: Buffer.alloc(0), firstOffset: header.baseOffset, position };
          length = header.sizeInBytes;
        }
        const data = tail.subarray(p, p + length);
        return {
          records: data.subarray(0, wholeBatchesBelow(data, maxOffset)),
          firstOffset: header.baseOffset,
          position,
        };
      }
      p += header.sizeInBytes;
    }
    return undefined;
  }

  /** Fills `buf` from `position` (fewer bytes only at the end of the file); returns the filled part. */
  private async readInto(buf: Buffer, position: number): Promise<Buffer> {
    let done = 0;
    while (done < buf.length) {
      const n = await readAt(this.fd, buf, done, buf.length - done, position + done);
      if (n === 0) return buf.subarray(0, done);
      done += n;
    }
    return buf;
  }

  /** The offset after the last batch (the segment's end), baseOffset if empty. Reads headers. */
  readNextOffset(): number {
    const startPos = this.lookupPosition(Number.MAX_SAFE_INTEGER);
    let next = this.baseOffset;
    scanBatchesSync(this.fd, startPos, this._size, false, (b) => {
      next = b.header.baseOffset + b.header.lastOffsetDelta + 1;
      return true;
    });
    return next;
  }

  /**
   * The first batch with maxTimestamp ≥ timestampMs and lastOffset ≥ startingOffset (ListOffsets
   * by timestamp). Returns its header and bytes; the caller finds the record within it.
   */
  findBatchByTimestamp(timestampMs: number, startingOffset: number): ScannedBatch | undefined {
    const tsEntry = this.loadIndexesOrRebuild(() => this.timeIndex.lookup(timestampMs));
    const position = this.lookupPosition(Math.max(tsEntry.offset, startingOffset));
    let found: ScannedBatch | undefined;
    scanBatchesSync(this.fd, position, this._size, false, (b) => {
      const last = b.header.baseOffset + b.header.lastOffsetDelta;
      if (b.header.maxTimestamp >= timestampMs && last >= startingOffset) {
        found = b;
        return false;
      }
      return true;
    });
    return found;
  }

  /** The batch containing `offset`, with its bytes (for MAX_TIMESTAMP lookups). */
  readBatchAt(offset: number): ScannedBatch | undefined {
    const loc = this.translateOffset(offset, this.lookupPosition(offset));
    if (loc === undefined) return undefined;
    const buf = readFullySync(this.fd, loc.size, loc.position);
    return { header: readBatchHeader(buf, 0), filePosition: loc.position, buf, pos: 0 };
  }

  /** Visits every batch (no CRC check) from `fromOffset` on, synchronously. */
  forEachBatchSync(fromOffset: number, visit: (b: ScannedBatch) => boolean | undefined): void {
    const position = fromOffset <= this.baseOffset ? 0 : this.lookupPosition(fromOffset);
    scanBatchesSync(this.fd, position, this._size, false, visit);
  }

  /** Asynchronous forEachBatchSync (cleaner, producer-state rebuild). */
  async forEachBatch(fromOffset: number, visit: (b: ScannedBatch) => boolean | undefined): Promise<void> {
    const position = fromOffset <= this.baseOffset ? 0 : this.lookupPosition(fromOffset);
    this.retain();
    try {
      await scanBatches(this.fd, position, this._size, false, visit);
    } finally {
      this.release();
    }
  }

  /**
   * Rescans the whole segment: validates every batch (length, magic, CRC, offsets increasing and
   * within the segment), rebuilds the offset, time and transaction indexes, re-assigns leader
   * epochs and replays producer state; truncates the file at the first invalid batch. Returns the
   * number of bytes truncated. Kafka's `LogSegment.recover`.
   */
  async recover(producerState?: ProducerStateManager, leaderEpochCache?: LeaderEpochFileCache): Promise<number> {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.txnIndex.reset();
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampAndOffset = { timestamp: -1, offset: -1 };
    this.rollingBasedTimestamp = undefined;
    const fileEnd = this.fileSize;
    let validBytes = 0;
    let nextOffset = this.baseOffset;
    let stopReason: string | undefined;
    this.retain();
    try {
      const result = await scanBatches(this.fd, 0, fileEnd, true, (b) => {
        const h = b.header;
        const lastOffset = h.baseOffset + h.lastOffsetDelta;
        if (h.baseOffset < nextOffset || !this.canConvertToRelativeOffset(lastOffset)) {
          stopReason = `batch at position ${b.filePosition} has offset ${h.baseOffset}, expected ≥ ${nextOffset}`;
          return false;
        }
        this.indexRecoveredBatch(h, b.filePosition, lastOffset);
        if (leaderEpochCache !== undefined && h.partitionLeaderEpoch >= 0) {
          const latest = leaderEpochCache.latestEpoch;
          if (latest === undefined || h.partitionLeaderEpoch > latest) {
            leaderEpochCache.assign(h.partitionLeaderEpoch, h.baseOffset);
          }
        }
        if (producerState !== undefined) {
          if (h.producerId >= 0) {
            const completed = loadBatchIntoProducerState(producerState, h, b.buf, b.pos);
            if (completed !== undefined) {
              if (completed.isAborted) {
                this.txnIndex.append({
                  producerId: completed.producerId,
                  firstOffset: completed.firstOffset,
                  lastOffset: completed.lastOffset,
                  lastStableOffset: producerState.lastStableOffset(completed),
                });
              }
              producerState.completeTxn(completed);
            }
          }
          producerState.updateMapEndOffset(lastOffset + 1);
        }
        nextOffset = lastOffset + 1;
        validBytes = b.filePosition + h.sizeInBytes;
        return true;
      });
      if (stopReason === undefined && result.error !== undefined && result.validEnd < fileEnd) {
        stopReason = result.error.message;
      }
    } finally {
      this.release();
    }
    const truncated = fileEnd - validBytes;
    if (truncated > 0) {
      // A preallocated tail of zeros reads as an invalid batch; that is not corruption.
      if (stopReason !== undefined) {
        this.logger.warn(
          `found invalid bytes at position ${validBytes} of segment ${this.logPath}: ${stopReason}; truncating ${truncated} bytes`,
        );
      }
      fs.ftruncateSync(this.fd, validBytes);
      this.fileSize = validBytes;
    }
    this._size = validBytes;
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.dirty = true;
    return truncated;
  }

  private indexRecoveredBatch(h: RecordBatchHeader, position: number, lastOffset: number): void {
    const max = this.maxTimestampAndOffset ?? { timestamp: -1, offset: -1 };
    if (h.maxTimestamp > max.timestamp) this.maxTimestampAndOffset = { timestamp: h.maxTimestamp, offset: lastOffset };
    if (this.rollingBasedTimestamp === undefined) this.rollingBasedTimestamp = h.maxTimestamp;
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      const m = this.maxTimestampAndOffset as TimestampOffset;
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(m.timestamp, m.offset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += h.sizeInBytes;
  }

  /** Rebuilds offset and time indexes from the log (headers only), synchronously. */
  rebuildIndexesSync(): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampAndOffset = { timestamp: -1, offset: -1 };
    scanBatchesSync(this.fd, 0, this._size, false, (b) => {
      this.indexRecoveredBatch(b.header, b.filePosition, b.header.baseOffset + b.header.lastOffsetDelta);
      return true;
    });
    this.offsetIndex.flush();
    this.timeIndex.flush();
  }

  /**
   * Removes every batch with lastOffset ≥ offset (a batch straddling `offset` goes entirely) and
   * the index entries pointing at them. Returns the number of bytes removed.
   */
  truncateTo(offset: number): number {
    const loc = this.translateOffset(offset, this.lookupPosition(offset));
    if (loc === undefined) return 0;
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    this.txnIndex.truncateTo(offset);
    const removed = this._size - loc.position;
    fs.ftruncateSync(this.fd, loc.position);
    this._size = loc.position;
    this.fileSize = loc.position;
    this.dirty = true;
    // Recompute the in-memory maxima from what remains.
    this.maxTimestampAndOffset = undefined;
    const last = this.timeIndex.lastEntry();
    this.maxTimestampAndOffset = last.timestamp < 0 ? { timestamp: -1, offset: -1 } : last;
    const lastIndexed =
      this.offsetIndex.entries === 0 ? 0 : this.offsetIndex.entry(this.offsetIndex.entries - 1).position;
    this.bytesSinceLastIndexEntry = this._size - lastIndexed;
    if (this._size === 0) this.rollingBasedTimestamp = undefined;
    // Batches between the last time-index entry and the cut may carry a larger timestamp.
    this.forEachBatchSync(this.timeIndex.lastEntry().offset, (b) => {
      const lastOffset = b.header.baseOffset + b.header.lastOffsetDelta;
      const m = this.maxTimestampAndOffset as TimestampOffset;
      if (b.header.maxTimestamp > m.timestamp)
        this.maxTimestampAndOffset = { timestamp: b.header.maxTimestamp, offset: lastOffset };
      return true;
    });
    return removed;
  }

  /** Called when a newer segment takes over: final time index entry, index files written, file trimmed. */
  onBecomeInactiveSegment(): void {
    const m = this.maxTimestampSoFar;
    if (m.timestamp >= 0) this.timeIndex.maybeAppend(m.timestamp, m.offset, true);
    this.offsetIndex.flush();
    this.timeIndex.flush();
    if (this.fileSize > this._size) {
      fs.ftruncateSync(this.fd, this._size);
      this.fileSize = this._size;
    }
    this.indexesNeedSync = true;
  }

  /** True if data or index files have changes that are not yet durable. */
  get needsFlush(): boolean {
    return this.dirty || this.indexesNeedSync;
  }

  /**
   * Makes everything appended so far durable: index entries are written, then the log file is
   * fdatasynced (and, for a segment that became inactive, its index files too). Off the event loop.
   */
  async flush(): Promise<void> {
    if (this.closed) return;
    const syncIndexes = this.indexesNeedSync;
    this.dirty = false;
    this.indexesNeedSync = false;
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.retain();
    try {
      const syncs = [this.fsync(this.fd)];
      if (syncIndexes) {
        for (const path of [this.offsetIndex.path, this.timeIndex.path, this.txnIndex.path]) {
          syncs.push(syncPath(path, this.fsync));
        }
      }
      await Promise.all(syncs);
    } catch (err) {
      this.dirty = true;
      if (syncIndexes) this.indexesNeedSync = true;
      throw err;
    } finally {
      this.release();
    }
  }

  /** Renames every file of the segment from `oldSuffix` to `newSuffix` (e.g. '' → '.deleted'). */
  changeFileSuffixes(oldSuffix: string, newSuffix: string): void {
    if (this.suffix !== oldSuffix)
      throw new Error(`segment ${this.baseOffset} has suffix '${this.suffix}', not '${oldSuffix}'`);
    const from = this.logPath;
    this.suffix = newSuffix;
    fs.renameSync(from, this.logPath);
    this.offsetIndex.renameTo(offsetIndexFile(this.dir, this.baseOffset, newSuffix));
    this.timeIndex.renameTo(timeIndexFile(this.dir, this.baseOffset, newSuffix));
    this.txnIndex.renameTo(transactionIndexFile(this.dir, this.baseOffset, newSuffix));
  }

  /** Points the segment at a renamed partition directory (files already moved). */
  updateParentDir(dir: string): void {
    this.dir = dir;
    this.offsetIndex.path = offsetIndexFile(dir, this.baseOffset, this.suffix);
    this.timeIndex.path = timeIndexFile(dir, this.baseOffset, this.suffix);
    this.txnIndex.path = transactionIndexFile(dir, this.baseOffset, this.suffix);
  }

  retain(): void {
    if (this.closed) throw new Error(`segment ${this.logPath} is closed`);
    this.refCount++;
  }

  release(): void {
    this.refCount--;
    if (this.refCount === 0 && this.closeRequested) this.closeNow();
  }

  /**
   * First half of a clean close: the final time index entry (as Kafka writes on close), index files
   * written, a preallocated file trimmed. The indexes are marked for fsync so that a following
   * `flush()` makes them durable before the clean-shutdown marker is written.
   */
  prepareClose(): void {
    if (this.closed || this.closeRequested) return;
    try {
      const m = this.maxTimestampSoFar;
      if (m.timestamp >= 0) this.timeIndex.maybeAppend(m.timestamp, m.offset, true);
      this.offsetIndex.flush();
      this.timeIndex.flush();
      if (this.fileSize > this._size) {
        fs.ftruncateSync(this.fd, this._size);
        this.fileSize = this._size;
        this.dirty = true;
      }
      this.indexesNeedSync = true;
    } catch (err) {
      this.logger.warn(`error closing segment ${this.logPath}: ${(err as Error).message}`);
    }
  }

  /** Closes the segment (after prepareClose); the descriptor is closed once no read holds it. */
  close(): void {
    if (this.closed || this.closeRequested) return;
    this.prepareClose();
    this.closeRequested = true;
    if (this.refCount === 0) this.closeNow();
  }

  /** Closes without writing anything (the segment is being deleted). */
  closeHandlers(): void {
    if (this.closed || this.closeRequested) return;
    this.closeRequested = true;
    if (this.refCount === 0) this.closeNow();
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    this.onClosed?.();
  }

  private onClosed: (() => void) | undefined;

  /** Resolves once the descriptor is actually closed (after in-flight reads finish). */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const prev = this.onClosed;
      this.onClosed = () => {
        prev?.();
        resolve();
      };
    });
  }

  /** Deletes every file of the segment (the descriptor must be closed or closing). */
  deleteFiles(): void {
    for (const path of [this.logPath, this.offsetIndex.path, this.timeIndex.path, this.txnIndex.path]) {
      try {
        fs.unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
}

/** Length of the longest prefix of `data` made of whole batches whose base offset is below maxOffset (headers only). */
function wholeBatchesBelow(data: Buffer, maxOffset: number): number {
  let pos = 0;
  while (pos + BatchHeader.SIZE <= data.length) {
    const batchLength = data.readInt32BE(pos + BatchHeader.BATCH_LENGTH);
    const size = batchLength + BatchHeader.LOG_OVERHEAD;
    if (batchLength < BatchHeader.SIZE - BatchHeader.LOG_OVERHEAD || pos + size > data.length) break;
    const high = data.readInt32BE(pos);
    const baseOffset = high * 0x100000000 + data.readUInt32BE(pos + 4);
    if (baseOffset >= maxOffset) break;
    pos += size;
  }
  return pos;
}

async function syncPath(path: string, fsync: FsyncFn): Promise<void> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    await fsync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
