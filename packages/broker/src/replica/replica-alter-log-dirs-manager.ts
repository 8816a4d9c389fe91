import { ErrorCode, KafkaError } from '@samsa/protocol';
import { FUTURE_DIR_SUFFIX, type LogManager, topicPartitionDirName } from '@samsa/storage';
import type { Logger } from '../logger.js';
import { LogDirMove } from './log-dir-move.js';
import type { Partition } from './partition.js';
import type { ReplicationQuota } from './replication-quota.js';

export interface ReplicaAlterLogDirsManagerOptions {
  readonly logManager: LogManager;
  readonly logger: Logger;
  /** Built on `replica.alter.log.dirs.io.max.bytes.per.second`, every partition throttled. */
  readonly quota: ReplicationQuota;
  /** replica.fetch.max.bytes */
  readonly fetchMaxBytes: number;
  /** replica.fetch.backoff.ms */
  readonly backoffMs: number;
  readonly getPartition: (topic: string, partition: number) => Partition | undefined;
  /** Whether the partition's log dir failed. */
  readonly isOffline: (topic: string, partition: number) => boolean;
}

/** One replica to move: a partition of this broker and the absolute path of its destination dir. */
export interface ReplicaLogDirAssignment {
  readonly topic: string;
  readonly partition: number;
  readonly path: string;
}

/** Kafka's limit on a file name, which a future log dir's name must fit (KAFKA-4893). */
const MAX_DIR_NAME_LENGTH = 255;
const UNIQUE_ID_LENGTH = 1 + 32;

/**
 * Moves of replicas between this broker's log dirs (Kafka's ReplicaManager.alterReplicaLogDirs
 * with its ReplicaAlterLogDirsManager): one LogDirMove per partition being moved, all bound by
 * one `replica.alter.log.dirs.io.max.bytes.per.second` throttle. Moves left by a previous run
 * (future logs the log manager loaded) resume when their partition is hosted again.
 */
export class ReplicaAlterLogDirsManager {
  private readonly moves = new Map<string, LogDirMove>();
  private stopped = false;

  constructor(private readonly options: ReplicaAlterLogDirsManagerOptions) {}

  /**
   * AlterReplicaLogDirs, one error code per assignment in order, as Kafka decides them: a path
   * that is not a configured log dir → LOG_DIR_NOT_FOUND; an offline dir or partition →
   * KAFKA_STORAGE_ERROR; a move under way to another dir is abandoned first (so that naming the
   * current dir cancels it); a partition not hosted here → REPLICA_NOT_AVAILABLE, after recording
   * the dir so that the replica is created there when it comes; already in that dir, or already
   * moving there → NONE; otherwise a future log is created and the copy starts → NONE.
   */
  async alterReplicaLogDirs(assignments: readonly ReplicaLogDirAssignment[]): Promise<number[]> {
    const out: number[] = [];
    for (const a of assignments) {
      try {
        await this.alterReplicaLogDir(a);
        out.push(ErrorCode.NONE);
      } catch (err) {
        const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
        const log = code === ErrorCode.UNKNOWN_SERVER_ERROR ? 'error' : 'warn';
        this.options.logger[log](
          { reason: (err as Error).message },
          `Unable to alter log dirs for ${a.topic}-${a.partition}`,
        );
        out.push(code);
      }
    }
    return out;
  }

  private async alterReplicaLogDir(a: ReplicaLogDirAssignment): Promise<void> {
    const { logManager } = this.options;
    const name = topicPartitionDirName(a.topic, a.partition);
    if (name.length + UNIQUE_ID_LENGTH + FUTURE_DIR_SUFFIX.length > MAX_DIR_NAME_LENGTH) {
      throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, 'The topic name is too long.');
    }
    const logDir = logManager.logDirAt(a.path);
    if (logDir === undefined) {
      throw new KafkaError(ErrorCode.LOG_DIR_NOT_FOUND, `Log dir ${a.path} is not found in the config.`);
    }
    if (logManager.offlineReason(logDir) !== undefined) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Log directory ${a.path} is offline`);
    }
    if (this.options.isOffline(a.topic, a.partition)) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Partition ${name} is offline`);
    }
    const future = logManager.getFutureLog(a.topic, a.partition);
    if (future !== undefined && logManager.logDirOf(future) !== logDir) this.cancel(a.topic, a.partition);
    logManager.setPreferredLogDir(a.topic, a.partition, logDir);
    const partition = this.options.getPartition(a.topic, a.partition);
    if (partition === undefined) {
      // Kafka answers REPLICA_NOT_AVAILABLE here (not NOT_LEADER_OR_FOLLOWER), for compatibility.
      throw new KafkaError(ErrorCode.REPLICA_NOT_AVAILABLE, `Replica of ${name} is not available on this broker`);
    }
    if (logManager.logDirOf(partition.log) === logDir) return;
    if (logManager.getFutureLog(a.topic, a.partition) === undefined) {
      // Kafka creates no future log while any log dir is offline: the partition might already
      // have one there, which would then be lost.
      const offline = logManager.logDirs.filter((d) => logManager.offlineReason(d) !== undefined);
      if (offline.length > 0) {
        throw new KafkaError(
          ErrorCode.KAFKA_STORAGE_ERROR,
          `Can not create log for ${name} because log directories ${offline.join(',')} are offline`,
        );
      }
      await logManager.createFutureLog(a.topic, a.partition, logDir);
    }
    this.maybeStart(partition);
  }

  /** Starts (or resumes, after a restart) the move of a hosted partition that has a future log. */
  maybeStart(partition: Partition): void {
    if (this.stopped) return;
    const future = this.options.logManager.getFutureLog(partition.topic, partition.partition);
    const running = this.moves.get(partition.name);
    if (future === undefined || (running?.future === future && running.partition === partition)) return;
    running?.stop();
    const move = new LogDirMove(partition, future, {
      logManager: this.options.logManager,
      quota: this.options.quota,
      fetchMaxBytes: this.options.fetchMaxBytes,
      backoffMs: this.options.backoffMs,
      hostedPartition: () => this.options.getPartition(partition.topic, partition.partition),
      logger: this.options.logger,
    });
    this.moves.set(partition.name, move);
    void move.done.finally(() => {
      if (this.moves.get(partition.name) === move) this.moves.delete(partition.name);
    });
  }

  /** Abandons the move of a partition, deleting its future log. */
  cancel(topic: string, partition: number): void {
    const name = topicPartitionDirName(topic, partition);
    this.moves.get(name)?.stop();
    this.moves.delete(name);
    this.options.logManager.removeFutureLog(topic, partition);
  }

  /** Stops every move (shutdown); future logs stay, and the moves resume at the next start. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    const moves = [...this.moves.values()];
    for (const move of moves) move.stop();
    await Promise.all(moves.map((m) => m.done));
  }
}
