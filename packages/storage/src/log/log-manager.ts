import * as fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import {
  LOG_START_OFFSET_CHECKPOINT_FILE,
  OffsetCheckpointFile,
  RECOVERY_POINT_CHECKPOINT_FILE,
  REPLICATION_OFFSET_CHECKPOINT_FILE,
  type TopicPartitionOffset,
} from '../checkpoint/checkpoint-file.js';
import { CleanShutdownFile } from '../checkpoint/clean-shutdown-file.js';
import { LogCleaner } from '../cleaner/log-cleaner.js';
import type { FsyncFn } from '../util/file-ops.js';
import { fsyncDirSync } from '../util/file-ops.js';
import { MAX_SAFE_MS } from '../util/int64.js';
import {
  DELETE_DIR_SUFFIX,
  FUTURE_DIR_SUFFIX,
  parseTopicPartitionName,
  parseUniqueDirName,
  topicPartitionDirName,
  uniqueDirName,
} from '../util/log-file-utils.js';
import { type Logger, noopLogger } from '../util/logger.js';
import type { Time } from '../util/time.js';
import { type FutureLogPlan, type LogDirListing, planFutureLogs } from './future-log-recovery.js';
import { Log } from './log.js';
import { type LogConfig, validateLogConfig } from './log-config.js';
import { deleteOldSegments } from './log-retention.js';

export interface LogManagerOptions {
  readonly logDirs: readonly string[];
  readonly defaultConfig: LogConfig;
  readonly time: Time;
  /** Logs of one dir opened concurrently at startup (log.recovery.threads.per.data.dir). */
  readonly recoveryThreadsPerDataDir?: number;
  /** log.retention.check.interval.ms (default 300000). */
  readonly retentionCheckIntervalMs?: number;
  /** log.flush.scheduler.interval.ms: how often flushMs is checked (default: never). */
  readonly flushCheckIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms (default 60000): recovery points and high watermarks. */
  readonly flushOffsetCheckpointIntervalMs?: number;
  /** log.flush.start.offset.checkpoint.interval.ms (default 60000). */
  readonly flushStartOffsetCheckpointIntervalMs?: number;
  /** producer.id.expiration.check.interval.ms (default 600000). */
  readonly producerIdExpirationCheckIntervalMs?: number;
  /** producer.id.expiration.ms (default 86400000). */
  readonly producerIdExpirationMs?: number;
  /** log.cleaner.enable (default true) and log.cleaner.backoff.ms (default 15000). */
  readonly cleanerEnabled?: boolean;
  readonly cleanerBackoffMs?: number;
  /** Written into the clean shutdown marker (KIP-966); -1 if unknown. */
  readonly brokerEpoch?: number;
  readonly logger?: Logger;
  readonly fsync?: FsyncFn;
}

/** A log dir that failed: the broker takes its partitions offline (Kafka's LogDirFailureChannel). */
export interface LogDirFailure {
  readonly logDir: string;
  readonly error: Error;
  /** The partitions whose logs were in it, now closed and gone from this manager. */
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[];
  /** The log dirs still online; none left means the broker cannot go on. */
  readonly onlineLogDirs: readonly string[];
}

function key(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * All partition logs of a broker across its log dirs (Kafka's `LogManager`).
 *
 * Startup: per log dir, the presence of `.kafka_cleanshutdown` decides between a fast load
 * (indexes trusted) and recovery from the recovery points in `recovery-point-offset-checkpoint`;
 * `log-start-offset-checkpoint` and `replication-offset-checkpoint` restore log start offsets and
 * high watermarks. The marker is deleted once every log is open, so a crash from then on means
 * recovery at the next start. Background tasks run on unref'd timers: retention, producer
 * expiry, time-based flush, checkpoint writing and the cleaner.
 *
 * Shutdown: stop the tasks, flush and close every log (which writes producer snapshots and
 * index files), write all checkpoints, then the clean shutdown marker.
 *
 * All methods run on the event loop; `getOrCreateLog` for the same partition is deduplicated.
 */
export class LogManager {
  private readonly opts: LogManagerOptions;
  private readonly logger: Logger;
  private readonly logs = new Map<string, Log>();
  /**
   * Future replicas (AlterReplicaLogDirs): the copy of a partition being moved to another log dir,
   * `<topic>-<partition>.<uuid>-future` there until it replaces the current log. Never served.
   */
  private readonly futureLogs = new Map<string, Log>();
  /** Where a partition not hosted yet goes when it is created (AlterReplicaLogDirs came first). */
  private readonly preferredLogDirs = new Map<string, string>();
  private readonly creating = new Map<string, Promise<Log>>();
  private readonly pendingDirDeletes = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = new Set<string>();
  /**
   * One writer per checkpoint file: a CheckpointFile serialises its own writes, and two tasks
   * (recovery points, log start offsets) fire on the same tick and write the same files; with a
   * writer each, both wrote `<file>.tmp` at once and the second rename failed with ENOENT.
   */
  private readonly checkpointFiles = new Map<string, OffsetCheckpointFile>();
  private topicConfigs: (topic: string) => LogConfig;
  /** Log dirs taken offline by an I/O error, with the error. */
  private readonly offlineDirs = new Map<string, Error>();
  private readonly failureListeners = new Set<(failure: LogDirFailure) => void>();
  readonly cleaner: LogCleaner;
  private started = false;
  private stopped = false;

  constructor(opts: LogManagerOptions) {
    if (opts.logDirs.length === 0) throw new Error('LogManager needs at least one log dir');
    validateLogConfig(opts.defaultConfig);
    this.opts = opts;
    this.logger = opts.logger ?? noopLogger;
    this.topicConfigs = () => opts.defaultConfig;
    this.cleaner = new LogCleaner({
      time: opts.time,
      logger: this.logger,
      ...(opts.fsync !== undefined ? { fsync: opts.fsync } : {}),
    });
  }

  get logDirs(): readonly string[] {
    return this.opts.logDirs;
  }

  get onlineLogDirs(): readonly string[] {
    return this.opts.logDirs.filter((d) => !this.offlineDirs.has(d));
  }

  /** The error that took `logDir` offline, if it is. */
  offlineReason(logDir: string): Error | undefined {
    return this.offlineDirs.get(logDir);
  }

  /** Called once per log dir that fails (an I/O error in any of its logs or files). */
  onLogDirFailure(listener: (failure: LogDirFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** The log dir holding a log, as configured (log.dirs). */
  logDirOf(log: Log): string {
    const parent = resolve(dirname(log.dir));
    return this.opts.logDirs.find((d) => resolve(d) === parent) ?? dirname(log.dir);
  }

  /**
   * Takes a log dir offline after an I/O error (Kafka's handleLogDirFailure): its logs are closed
   * without writing anything more and dropped, its checkpoints no longer written; the listeners
   * (the replica manager) take its partitions offline. Once offline, always offline until restart.
   */
  handleLogDirFailure(logDir: string, error: Error): void {
    if (this.offlineDirs.has(logDir) || !this.opts.logDirs.includes(logDir)) return;
    this.offlineDirs.set(logDir, error);
    const partitions: { topic: string; partition: number }[] = [];
    for (const [k, log] of [...this.logs]) {
      if (this.logDirOf(log) !== logDir) continue;
      this.logs.delete(k);
      log.abandon();
      void this.cleaner.removeLog(log).catch(() => undefined);
      partitions.push({ topic: log.topic, partition: log.partition });
    }
    // A future log in the failed dir is lost, and so is one whose current log was there: the
    // move stops (its mover sees the future gone); the files stay for the next start to sort out.
    for (const [k, future] of [...this.futureLogs]) {
      if (this.logDirOf(future) !== logDir && this.logs.has(k)) continue;
      this.futureLogs.delete(k);
      future.abandon();
    }
    this.logger.error(
      `Stopped serving logs in dir ${logDir} (${partitions.length} partition(s)) after an I/O error: ${error.message}`,
    );
    const failure: LogDirFailure = { logDir, error, partitions, onlineLogDirs: this.onlineLogDirs };
    for (const listener of this.failureListeners) listener(failure);
  }

  /** Loads every partition of every log dir, then starts the background tasks. */
  async startup(topicConfigs?: (topic: string) => LogConfig): Promise<void> {
    if (this.started) throw new Error('LogManager already started');
    this.started = true;
    if (topicConfigs !== undefined) this.topicConfigs = topicConfigs;
    const futures = this.applyFutureLogPlan();
    await Promise.all(
      this.opts.logDirs.map((dir) =>
        this.loadLogDir(dir, futures).catch((err: Error) => {
          // A dir that cannot be read starts offline; the broker runs on the others (as Kafka).
          this.logger.error(`Error while loading log dir ${dir}: ${err.message}`);
          for (const [k, log] of [...this.logs]) {
            if (this.logDirOf(log) !== dir) continue;
            this.logs.delete(k);
            log.abandon();
          }
          for (const [k, log] of [...this.futureLogs]) {
            if (this.logDirOf(log) !== dir) continue;
            this.futureLogs.delete(k);
            log.abandon();
          }
          this.offlineDirs.set(dir, err);
        }),
      ),
    );
    for (const [k, future] of [...this.futureLogs]) {
      if (this.logs.has(k)) continue;
      // Its current log was in a dir that failed to load: nothing to copy from.
      this.logger.warn(`not resuming the move of ${k} to ${this.logDirOf(future)}: its current log is offline`);
      this.futureLogs.delete(k);
      future.abandon();
    }
    if (this.onlineLogDirs.length === 0) {
      throw new Error(`All log dirs failed to load: ${this.opts.logDirs.join(', ')}`);
    }
    this.startTasks();
  }

  /**
   * Sorts out the future logs a previous run left (see planFutureLogs): promotes those whose swap
   * was interrupted, removes those nothing will complete, and returns the paths of the futures to
   * open and resume.
   */
  private applyFutureLogPlan(): Set<string> {
    const listings: LogDirListing[] = this.opts.logDirs.map((logDir) => {
      try {
        fs.mkdirSync(logDir, { recursive: true });
        return { logDir, names: fs.readdirSync(logDir) };
      } catch {
        return { logDir, names: undefined };
      }
    });
    const plan: FutureLogPlan = planFutureLogs(listings);
    for (const f of plan.promote) {
      const target = join(f.logDir, topicPartitionDirName(f.topic, f.partition));
      this.logger.warn(`completing the interrupted move of ${f.topic}-${f.partition}: ${f.name} becomes ${target}`);
      fs.renameSync(join(f.logDir, f.name), target);
    }
    for (const f of plan.remove) {
      this.logger.warn(`removing ${join(f.logDir, f.name)}: no move can complete it`);
      fs.renameSync(join(f.logDir, f.name), join(f.logDir, uniqueDirName(f.topic, f.partition, DELETE_DIR_SUFFIX)));
    }
    for (const f of plan.ignore) {
      this.logger.warn(`leaving ${join(f.logDir, f.name)} alone: a log dir could not be read`);
    }
    return new Set(plan.resume.map((f) => join(f.logDir, f.name)));
  }

  private async loadLogDir(logDir: string, futures: ReadonlySet<string>): Promise<void> {
    const start = this.opts.time.milliseconds();
    fs.mkdirSync(logDir, { recursive: true });
    const marker = new CleanShutdownFile(logDir);
    const hadCleanShutdown = marker.exists();
    const read = (name: string): Map<string, number> => {
      try {
        return new OffsetCheckpointFile(join(logDir, name)).read();
      } catch (err) {
        this.logger.warn(`ignoring unreadable ${name} in ${logDir}: ${(err as Error).message}`);
        return new Map();
      }
    };
    const recoveryPoints = read(RECOVERY_POINT_CHECKPOINT_FILE);
    const logStartOffsets = read(LOG_START_OFFSET_CHECKPOINT_FILE);
    const highWatermarks = read(REPLICATION_OFFSET_CHECKPOINT_FILE);
    const jobs: (() => Promise<void>)[] = [];
    for (const entry of fs.readdirSync(logDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        this.deleteDirInBackground(join(logDir, entry.name));
        continue;
      }
      const isFuture = entry.name.endsWith(FUTURE_DIR_SUFFIX);
      if (isFuture && !futures.has(join(logDir, entry.name))) continue;
      const tp = isFuture ? parseUniqueDirName(entry.name, FUTURE_DIR_SUFFIX) : parseTopicPartitionName(entry.name);
      if (tp === undefined) continue;
      const k = key(tp.topic, tp.partition);
      jobs.push(async () => {
        const recoveryPoint = recoveryPoints.get(k);
        const logStartOffset = logStartOffsets.get(k);
        const highWatermark = highWatermarks.get(k);
        const log = await Log.open({
          dir: join(logDir, entry.name),
          topic: tp.topic,
          partition: tp.partition,
          config: this.topicConfigs(tp.topic),
          time: this.opts.time,
          hadCleanShutdown,
          ...(recoveryPoint !== undefined ? { recoveryPoint } : {}),
          ...(logStartOffset !== undefined ? { logStartOffset } : {}),
          ...(highWatermark !== undefined ? { highWatermark } : {}),
          ...(this.opts.producerIdExpirationMs !== undefined
            ? { producerIdExpirationMs: this.opts.producerIdExpirationMs }
            : {}),
          logger: this.logger,
          ...(this.opts.fsync !== undefined ? { fsync: this.opts.fsync } : {}),
          onStorageError: (error) => this.handleLogDirFailure(logDir, error),
        });
        const logs = isFuture ? this.futureLogs : this.logs;
        if (logs.has(k)) {
          await log.close();
          throw new Error(`duplicate log directories for ${k}`);
        }
        logs.set(k, log);
      });
    }
    await runPool(jobs, Math.max(1, this.opts.recoveryThreadsPerDataDir ?? 1));
    await marker.delete();
    this.logger.info(
      `loaded ${jobs.length} log(s) from ${logDir} (${hadCleanShutdown ? 'clean' : 'unclean'} shutdown) ` +
        `in ${this.opts.time.milliseconds() - start} ms`,
    );
  }

  private startTasks(): void {
    const o = this.opts;
    this.every(o.retentionCheckIntervalMs ?? 300_000, 'retention', () => this.cleanupLogs());
    this.every(o.producerIdExpirationCheckIntervalMs ?? 600_000, 'producer-expiration', async () => {
      for (const log of this.logs.values()) log.removeExpiredProducers();
    });
    this.every(o.flushCheckIntervalMs ?? MAX_SAFE_MS, 'flush', () => this.flushDirtyLogs());
    this.every(o.flushOffsetCheckpointIntervalMs ?? 60_000, 'checkpoint-recovery-points', () =>
      this.writeCheckpoints(),
    );
    this.every(o.flushStartOffsetCheckpointIntervalMs ?? 60_000, 'checkpoint-log-start-offsets', () =>
      this.writeCheckpoints(),
    );
    if (o.cleanerEnabled ?? true) {
      this.every(o.cleanerBackoffMs ?? 15_000, 'cleaner', async () => {
        // Kafka pauses the cleaning of a partition while it moves between log dirs.
        await this.cleaner.cleanOnce([...this.logs].filter(([k]) => !this.futureLogs.has(k)).map(([, log]) => log));
      });
    }
  }

  /** Runs `task` every `intervalMs` on an unref'd timer, never overlapping itself. */
  private every(intervalMs: number, name: string, task: () => Promise<unknown>): void {
    if (intervalMs <= 0 || intervalMs >= 2 ** 31) return;
    const timer = setInterval(() => {
      if (this.busy.has(name) || this.stopped) return;
      this.busy.add(name);
      task()
        .catch((err: Error) => this.logger.error(`background task ${name} failed: ${err.message}`))
        .finally(() => this.busy.delete(name));
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  getLog(topic: string, partition: number): Log | undefined {
    return this.logs.get(key(topic, partition));
  }

  allLogs(): Log[] {
    return [...this.logs.values()];
  }

  /** The log, created (in the log dir holding the fewest partitions) if it does not exist. */
  async getOrCreateLog(topic: string, partition: number, config?: LogConfig, topicId?: string): Promise<Log> {
    const k = key(topic, partition);
    const existing = this.logs.get(k);
    if (existing !== undefined) return existing;
    const pending = this.creating.get(k);
    if (pending !== undefined) return pending;
    const create = (async () => {
      const logDir = this.nextLogDir(k);
      const open = (): Promise<Log> =>
        Log.open({
          dir: join(logDir, topicPartitionDirName(topic, partition)),
          topic,
          partition,
          config: config ?? this.topicConfigs(topic),
          time: this.opts.time,
          hadCleanShutdown: true,
          ...(topicId !== undefined ? { topicId } : {}),
          ...(this.opts.producerIdExpirationMs !== undefined
            ? { producerIdExpirationMs: this.opts.producerIdExpirationMs }
            : {}),
          logger: this.logger,
          ...(this.opts.fsync !== undefined ? { fsync: this.opts.fsync } : {}),
          onStorageError: (error) => this.handleLogDirFailure(logDir, error),
        });
      let log: Log;
      try {
        log = await open();
      } catch (err) {
        if (err instanceof KafkaError) throw err;
        // Creating the partition's files failed: the dir is failing.
        const error = new KafkaError(
          ErrorCode.KAFKA_STORAGE_ERROR,
          `Error while creating log for ${k} in dir ${logDir}: ${(err as Error).message}`,
          { cause: err },
        );
        this.handleLogDirFailure(logDir, error);
        throw error;
      }
      this.logs.set(k, log);
      this.preferredLogDirs.delete(k);
      return log;
    })();
    this.creating.set(k, create);
    try {
      return await create;
    } finally {
      this.creating.delete(k);
    }
  }

  /**
   * The preferred log dir of the partition if one was given and is online, else the online log
   * dir holding the fewest partitions, future ones included (Kafka's choice for a new log).
   */
  private nextLogDir(k: string): string {
    const online = this.onlineLogDirs;
    if (online.length === 0) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `No log dir is online: ${this.opts.logDirs.join(', ')}`);
    }
    const preferred = this.preferredLogDirs.get(k);
    if (preferred !== undefined && online.includes(preferred)) return preferred;
    const counts = new Map<string, number>(online.map((d) => [d, 0]));
    for (const log of [...this.logs.values(), ...this.futureLogs.values()]) {
      const d = this.logDirOf(log);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    let best = online[0] as string;
    for (const d of online) if ((counts.get(d) ?? 0) < (counts.get(best) ?? 0)) best = d;
    return best;
  }

  /** The configured log dir whose absolute path is `path` (as DescribeLogDirs names them), if any. */
  logDirAt(path: string): string | undefined {
    return this.opts.logDirs.find((d) => resolve(d) === path);
  }

  /** The future log of a partition being moved between log dirs, if any. */
  getFutureLog(topic: string, partition: number): Log | undefined {
    return this.futureLogs.get(key(topic, partition));
  }

  allFutureLogs(): Log[] {
    return [...this.futureLogs.values()];
  }

  /**
   * Kafka's `maybeUpdatePreferredLogDir`: a partition this broker does not host yet is created in
   * `logDir` when it comes (AlterReplicaLogDirs sent before the reassignment reaches the broker).
   */
  setPreferredLogDir(topic: string, partition: number, logDir: string): void {
    const k = key(topic, partition);
    if (!this.logs.has(k)) this.preferredLogDirs.set(k, logDir);
  }

  /**
   * Creates the future log of a hosted partition in `logDir` (Kafka's `getOrCreateLog(isFuture =
   * true)`): an empty log named `<topic>-<partition>.<uuid>-future`, with the current log's
   * config and topic id, which the caller fills by copying the current log's batches.
   */
  async createFutureLog(topic: string, partition: number, logDir: string): Promise<Log> {
    const k = key(topic, partition);
    const current = this.logs.get(k);
    if (current === undefined) {
      throw new KafkaError(ErrorCode.REPLICA_NOT_AVAILABLE, `${k} is not hosted in any log dir of this broker`);
    }
    const existing = this.futureLogs.get(k);
    if (existing !== undefined) return existing;
    const dir = join(logDir, uniqueDirName(topic, partition, FUTURE_DIR_SUFFIX));
    let log: Log;
    try {
      log = await Log.open({
        dir,
        topic,
        partition,
        config: current.config,
        time: this.opts.time,
        hadCleanShutdown: true,
        ...(current.topicId !== undefined ? { topicId: current.topicId } : {}),
        ...(this.opts.producerIdExpirationMs !== undefined
          ? { producerIdExpirationMs: this.opts.producerIdExpirationMs }
          : {}),
        logger: this.logger,
        ...(this.opts.fsync !== undefined ? { fsync: this.opts.fsync } : {}),
        onStorageError: (error) => this.handleLogDirFailure(logDir, error),
      });
    } catch (err) {
      if (err instanceof KafkaError) throw err;
      const error = new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `Error while creating future log for ${k} in dir ${logDir}: ${(err as Error).message}`,
        { cause: err },
      );
      this.handleLogDirFailure(logDir, error);
      throw error;
    }
    // Another request created one meanwhile, or the partition went away: keep the state as it is.
    if (this.futureLogs.has(k) || this.logs.get(k) !== current || current.isClosed) {
      log.abandon();
      await fs.promises.rm(dir, { recursive: true, force: true });
      const winner = this.futureLogs.get(k);
      if (winner !== undefined) return winner;
      throw new KafkaError(ErrorCode.REPLICA_NOT_AVAILABLE, `${k} went away while its future log was created`);
    }
    this.futureLogs.set(k, log);
    this.logger.info(`created future log of ${k} in ${logDir}`);
    return log;
  }

  /** Drops the future log of a partition (a move cancelled or redirected) and deletes its files. */
  removeFutureLog(topic: string, partition: number): void {
    const k = key(topic, partition);
    const future = this.futureLogs.get(k);
    if (future === undefined) return;
    this.futureLogs.delete(k);
    future.abandon();
    const logDir = this.logDirOf(future);
    try {
      future.renameDir(join(logDir, uniqueDirName(topic, partition, DELETE_DIR_SUFFIX)));
    } catch (err) {
      this.logger.error(`could not rename ${future.dir} for deletion: ${(err as Error).message}`);
      return;
    }
    this.deleteDirInBackground(future.dir);
    this.logger.info(`removed future log of ${k} from ${logDir}`);
  }

  /**
   * Makes the future log of a partition its current log (Kafka's `replaceCurrentWithFutureLog`).
   * Synchronous, so that the caller can check that both logs end at the same offset and swap in
   * the same tick, with no append in between. The old copy is retired first — renamed
   * `-delete` and its log dir fsynced — and only then is the future renamed `<topic>-<partition>`:
   * after a crash in between, startup finds a future, a retired copy and no current log, and
   * completes the swap (planFutureLogs); never two current dirs. If the future cannot be renamed,
   * the old copy is renamed back and stays current, and the future's dir goes offline.
   *
   * Returns the old log, closed; its files are deleted once the new log has been flushed.
   */
  replaceCurrentWithFutureLog(topic: string, partition: number): Log {
    const k = key(topic, partition);
    const source = this.logs.get(k);
    const dest = this.futureLogs.get(k);
    if (source === undefined || source.isClosed) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `The current replica for ${k} is offline`);
    }
    if (dest === undefined || dest.isClosed) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `The future replica for ${k} is offline`);
    }
    const sourceLogDir = this.logDirOf(source);
    const destLogDir = this.logDirOf(dest);
    const sourceDir = source.dir;
    try {
      source.renameDir(join(sourceLogDir, uniqueDirName(topic, partition, DELETE_DIR_SUFFIX)));
    } catch (err) {
      const error = new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `Error while retiring ${sourceDir}: ${(err as Error).message}`,
      );
      this.handleLogDirFailure(sourceLogDir, error);
      throw error;
    }
    fsyncDirSync(sourceLogDir);
    try {
      dest.renameDir(join(destLogDir, topicPartitionDirName(topic, partition)));
    } catch (err) {
      source.renameDir(sourceDir);
      const error = new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `Error while renaming ${dest.dir}: ${(err as Error).message}`,
      );
      this.handleLogDirFailure(destLogDir, error);
      throw error;
    }
    source.abandon();
    this.futureLogs.delete(k);
    this.logs.set(k, dest);
    const retire = (async () => {
      await this.cleaner.removeLog(source);
      await dest.flush().catch(() => undefined);
      await source.delete();
      await this.writeCheckpoints();
    })()
      .catch((err: Error) =>
        this.logger.error(`could not delete the old copy of ${k} in ${sourceLogDir}: ${err.message}`),
      )
      .finally(() => this.pendingDirDeletes.delete(retire));
    this.pendingDirDeletes.add(retire);
    this.logger.info(
      `The current replica of ${k} in ${sourceLogDir} is replaced with the future replica in ${destLogDir}`,
    );
    return source;
  }

  /**
   * Removes a partition: closes its log, renames the directory to
   * `<topic>-<partition>.<uuid>-delete` and deletes it in the background; checkpoints drop it.
   */
  async deleteLog(topic: string, partition: number): Promise<void> {
    const k = key(topic, partition);
    this.preferredLogDirs.delete(k);
    // The future goes first, so that a crash in between never leaves a future without a current
    // log and with a retired copy, which startup would take for an interrupted swap.
    this.removeFutureLog(topic, partition);
    const log = this.logs.get(k);
    if (log === undefined) return;
    this.logs.delete(k);
    await this.cleaner.awaitIdle();
    await log.close();
    const logDir = this.logDirOf(log);
    const target = join(logDir, uniqueDirName(topic, partition, DELETE_DIR_SUFFIX));
    await fs.promises.rename(log.dir, target);
    this.deleteDirInBackground(target);
    await this.cleaner.removeLog(log);
    await this.writeCheckpoints();
  }

  private deleteDirInBackground(dir: string): void {
    const p = fs.promises
      .rm(dir, { recursive: true, force: true })
      .catch((err: Error) => this.logger.error(`could not delete ${dir}: ${err.message}`))
      .finally(() => this.pendingDirDeletes.delete(p));
    this.pendingDirDeletes.add(p);
  }

  /** Retention for every log not being cleaned right now. Returns segments deleted. */
  async cleanupLogs(): Promise<number> {
    let total = 0;
    for (const log of [...this.logs.values()]) {
      if (log.isClosed || this.cleaner.isCleaning(log)) continue;
      try {
        total += await deleteOldSegments(log, this.opts.time.milliseconds());
      } catch (err) {
        this.logger.error(`retention of ${log.topic}-${log.partition} failed: ${(err as Error).message}`);
      }
    }
    return total;
  }

  /** Flushes every log whose last flush is older than its flushMs. */
  async flushDirtyLogs(): Promise<void> {
    const now = this.opts.time.milliseconds();
    await Promise.all(
      [...this.logs.values(), ...this.futureLogs.values()]
        .filter((log) => !log.isClosed && now - log.lastFlushTimeMs >= log.config.flushMs)
        .map((log) =>
          log
            .flush()
            .catch((err: Error) => this.logger.error(`flush of ${log.topic}-${log.partition}: ${err.message}`)),
        ),
    );
  }

  /** Writes recovery points, high watermarks and log start offsets of every log dir. */
  async writeCheckpoints(): Promise<void> {
    await Promise.all(
      this.onlineLogDirs.map((dir) =>
        this.writeCheckpointsFor(dir).catch((err: Error) =>
          this.handleLogDirFailure(dir, new Error(`Error while writing checkpoints in dir ${dir}: ${err.message}`)),
        ),
      ),
    );
  }

  private async writeCheckpointsFor(logDir: string): Promise<void> {
    // A partition is current or future in a given dir, never both: their keys cannot collide.
    const logs = [...this.logs.values(), ...this.futureLogs.values()].filter((l) => this.logDirOf(l) === logDir);
    const entries = (f: (l: Log) => number | undefined): TopicPartitionOffset[] => {
      const out: TopicPartitionOffset[] = [];
      for (const l of logs) {
        const offset = f(l);
        if (offset !== undefined) out.push({ topic: l.topic, partition: l.partition, offset });
      }
      return out;
    };
    await Promise.all([
      this.checkpointFile(logDir, RECOVERY_POINT_CHECKPOINT_FILE).write(entries((l) => l.recoveryPoint)),
      this.checkpointFile(logDir, REPLICATION_OFFSET_CHECKPOINT_FILE).write(entries((l) => l.highWatermark)),
      // Kafka records a log start offset only where it is above the first segment's base offset.
      this.checkpointFile(logDir, LOG_START_OFFSET_CHECKPOINT_FILE).write(
        entries((l) => (l.logStartOffset > (l.logSegments()[0]?.baseOffset ?? 0) ? l.logStartOffset : undefined)),
      ),
    ]);
  }

  private checkpointFile(logDir: string, name: string): OffsetCheckpointFile {
    const path = join(logDir, name);
    let file = this.checkpointFiles.get(path);
    if (file === undefined) {
      file = new OffsetCheckpointFile(path);
      this.checkpointFiles.set(path, file);
    }
    return file;
  }

  /** Flushes and closes every log, writes all checkpoints and the clean shutdown markers. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.cleaner.awaitIdle();
    const logs = [...this.logs.values(), ...this.futureLogs.values()];
    let clean = true;
    await Promise.all(
      logs.map(async (log) => {
        try {
          await log.flush();
          await log.close();
        } catch (err) {
          clean = false;
          this.logger.error(`could not close ${log.topic}-${log.partition}: ${(err as Error).message}`);
        }
      }),
    );
    await this.writeCheckpoints();
    await Promise.all([...this.pendingDirDeletes]);
    if (clean) {
      await Promise.all(this.onlineLogDirs.map((d) => new CleanShutdownFile(d).write(this.opts.brokerEpoch ?? -1)));
    }
  }
}

async function runPool(jobs: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as () => Promise<void>;
      try {
        await job();
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
