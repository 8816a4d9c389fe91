import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { Log, LogManager } from '@samsa/storage';
import type { Logger } from '../logger.js';
import type { Partition } from './partition.js';
import type { ReplicationQuota } from './replication-quota.js';

/**
 * The most the last catch-up may copy with synchronous reads, in the tick that swaps the logs.
 * More than that still to copy means writes are outrunning the copy: go round once more.
 */
const SWAP_TAIL_MAX_BYTES = 1024 * 1024;

export interface LogDirMoveDeps {
  readonly logManager: LogManager;
  /** `replica.alter.log.dirs.io.max.bytes.per.second`, applied to every move of the broker. */
  readonly quota: ReplicationQuota;
  /** replica.fetch.max.bytes: the most copied per read. */
  readonly fetchMaxBytes: number;
  /** How long to wait when throttled or when a step failed (replica.fetch.backoff.ms). */
  readonly backoffMs: number;
  /** The partition the replica manager hosts under this name now (another object once re-created). */
  readonly hostedPartition: () => Partition | undefined;
  readonly logger: Logger;
}

/**
 * One replica moving to another log dir of this broker (the work of Kafka's
 * ReplicaAlterLogDirsThread for one partition): the future log, created empty in the destination
 * dir, is filled from the partition's current log and then takes its place.
 *
 * Copying: batches are read from the current log at the future's log end offset, up to the
 * current's log end (not the high watermark, as Kafka's future replica fetches with LOG_END
 * isolation), and appended to the future as a follower appends — bytes as they are, offsets and
 * leader epochs as assigned, no record decoded. Writes go on meanwhile. Before each step the
 * future is reconciled with the current log, which may have changed under it as a follower's log
 * does: truncated below the copy (cut the copy back), diverged at a leader epoch (truncate where
 * the epochs part, as KIP-279 and Kafka's thread do), or moved its log start beyond the copy
 * (start the copy again there). Reads are bounded by `replica.fetch.max.bytes` and, when the
 * throttle is set, by a second's worth of it; while its measured rate is over the bound the move
 * waits.
 *
 * Swap: once the future has reached the current log's end it is flushed, and then, in one
 * synchronous step — the event loop being the partition's lock, as Kafka takes its write lock —
 * whatever arrived meanwhile is copied with synchronous reads, the two logs are checked to end at
 * the same offset, the future takes the high watermark, log start offset, the leader epochs no
 * batch carries and the producers whose batches it never saw, the log manager renames the dirs
 * (LogManager.replaceCurrentWithFutureLog) and the partition serves the new log. If too much
 * arrived to copy in one step, the move goes round again.
 */
export class LogDirMove {
  private stopped = false;
  private readonly wake = new AbortController();
  /** Settles when the move has completed, been stopped, or lost its future log. */
  readonly done: Promise<boolean>;

  constructor(
    readonly partition: Partition,
    readonly future: Log,
    private readonly deps: LogDirMoveDeps,
  ) {
    this.done = this.run();
  }

  /** The destination log dir. */
  get logDir(): string {
    return this.deps.logManager.logDirOf(this.future);
  }

  /** Stops copying; the future log stays where it is (the caller removes it if it should go). */
  stop(): void {
    this.stopped = true;
    this.wake.abort();
  }

  private live(): boolean {
    const { logManager } = this.deps;
    return (
      !this.stopped &&
      this.deps.hostedPartition() === this.partition &&
      logManager.getFutureLog(this.partition.topic, this.partition.partition) === this.future &&
      !this.future.isClosed &&
      !this.partition.log.isClosed
    );
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }

  private async run(): Promise<boolean> {
    const { logger, quota } = this.deps;
    const name = this.partition.name;
    logger.info(`Moving ${name} to log dir ${this.logDir}`);
    while (this.live()) {
      try {
        if (quota.enabled && quota.isQuotaExceeded()) {
          await this.pause(this.deps.backoffMs);
          continue;
        }
        const current = this.partition.log;
        this.reconcile(current);
        if (this.future.logEndOffset < current.logEndOffset) {
          await this.copyOnce(current);
          continue;
        }
        // Caught up: make the copy durable before it replaces the current log.
        await this.future.flush();
        const cleaner = this.deps.logManager.cleaner;
        if (cleaner.isCleaning(this.partition.log)) await cleaner.awaitIdle();
        if (!this.live()) break;
        if (this.trySwap()) {
          logger.info(`Moved ${name} to log dir ${this.logDir}`);
          return true;
        }
      } catch (err) {
        if (!this.live()) break;
        logger.warn(
          { reason: (err as Error).message },
          `Moving ${name} to log dir ${this.logDir} failed a step; retrying in ${this.deps.backoffMs} ms`,
        );
        await this.pause(this.deps.backoffMs);
      }
    }
    return false;
  }

  /**
   * Brings the future back to a prefix of the current log after the current changed under it
   * (a follower's truncation or restart at the leader's log start).
   */
  private reconcile(current: Log): void {
    const future = this.future;
    if (future.logEndOffset > current.logEndOffset) future.truncateTo(current.logEndOffset);
    const epoch = future.leaderEpochCache.latestEpoch;
    if (epoch !== undefined && future.logEndOffset > future.logStartOffset) {
      const found = current.leaderEpochCache.endOffsetFor(epoch, current.logEndOffset);
      if (found.epoch < 0 || found.endOffset < 0) {
        future.truncateFullyAndStartAt(current.logStartOffset);
      } else if (found.epoch < epoch || found.endOffset < future.logEndOffset) {
        const local = future.leaderEpochCache.endOffsetFor(found.epoch, future.logEndOffset);
        const localEnd = local.endOffset < 0 ? found.endOffset : local.endOffset;
        future.truncateTo(Math.min(found.endOffset, localEnd, future.logEndOffset));
      }
    }
    if (future.logEndOffset < current.logStartOffset) {
      // Retention or DeleteRecords removed what the copy still lacks (or it has not begun): it
      // starts at the current log's start (and moves back to the base of the batch holding it).
      future.truncateFullyAndStartAt(current.logStartOffset);
    }
  }

  /** One read from the current log, appended to the future as it is. */
  private async copyOnce(current: Log): Promise<void> {
    const { quota } = this.deps;
    const copiedTo = this.future.logEndOffset;
    const fetchOffset = Math.max(copiedTo, current.logStartOffset);
    const bound = quota.enabled ? Math.max(1, quota.boundBytesPerSec) : Number.POSITIVE_INFINITY;
    const data = await current.read(fetchOffset, {
      maxBytes: Math.min(this.deps.fetchMaxBytes, bound),
      maxOffset: current.logEndOffset,
      minOneMessage: true,
    });
    if (!this.live() || this.partition.log !== current) return;
    if (data.records.length === 0) {
      // Retention removed the segment under the read (the next step starts from the new start),
      // or the current log was truncated inside a batch and has no batch there until the next
      // append.
      await this.pause(this.deps.backoffMs);
      return;
    }
    this.append(current, copiedTo, data.firstOffset, data.records);
    quota.record(data.records.length);
  }

  /**
   * Appends batches read from the current log when the future ended at `copiedTo`, the first
   * batch holding `firstOffset`. Reconciled first: if the current log was truncated while they
   * were read, the future may have been cut back, and they are dropped (they may be stale).
   */
  private append(current: Log, copiedTo: number, firstOffset: number, records: Buffer): void {
    const future = this.future;
    this.reconcile(current);
    if (future.logEndOffset !== copiedTo) return;
    if (firstOffset < future.logEndOffset) {
      // The copy (re)starts at a log start offset inside that batch, or ends inside it after a
      // truncation: it takes the whole batch.
      future.truncateTo(firstOffset);
    }
    future.appendAsFollower(records);
    future.updateHighWatermark(Math.min(current.highWatermark, future.logEndOffset));
    future.followLeaderLogStartOffset(current.logStartOffset);
  }

  /**
   * The synchronous last step: copies what is left (if little), checks that both logs end at the
   * same offset and swaps them. False if there was too much left; an error leaves the current log
   * serving.
   */
  private trySwap(): boolean {
    const current = this.partition.log;
    const future = this.future;
    this.reconcile(current);
    let budget = SWAP_TAIL_MAX_BYTES;
    while (future.logEndOffset < current.logEndOffset) {
      if (budget <= 0) return false;
      const copiedTo = future.logEndOffset;
      const data = current.readSync(Math.max(copiedTo, current.logStartOffset), budget);
      if (data.records.length === 0) return false;
      this.append(current, copiedTo, data.firstOffset, data.records);
      budget -= data.records.length;
    }
    if (future.logEndOffset !== current.logEndOffset) return false;
    future.updateConfig(current.config);
    future.updateHighWatermark(current.highWatermark);
    future.followLeaderLogStartOffset(current.logStartOffset);
    // Epochs that no batch carries (a leader's new epoch starts at its log end offset).
    for (const entry of current.leaderEpochCache.entries()) {
      if (entry.epoch > (future.leaderEpochCache.latestEpoch ?? -1)) {
        future.leaderEpochCache.assign(entry.epoch, entry.startOffset);
      }
    }
    future.producerState.adoptMissingProducers(current.producerState);
    // (The log start offsets differ only when the current one points into a gap compaction left:
    // the copy then starts at the next batch.)
    if (future.highWatermark !== current.highWatermark || future.logStartOffset < current.logStartOffset) {
      throw new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `future log of ${this.partition.name} does not match the current one (high watermark ${future.highWatermark}/${current.highWatermark}, log start ${future.logStartOffset}/${current.logStartOffset})`,
      );
    }
    this.deps.logManager.replaceCurrentWithFutureLog(this.partition.topic, this.partition.partition);
    this.partition.replaceLog(future);
    return true;
  }
}
