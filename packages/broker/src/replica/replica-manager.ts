import { ErrorCode, IsolationLevel, KafkaError, readBatchHeader } from '@samsa/protocol';
import {
  type AppendOrigin,
  type Log,
  type LogConfig,
  type LogManager,
  type RecordError,
  RecordValidationError,
} from '@samsa/storage';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { isInternalTopic, type PartitionRegistration } from '../metadata/cluster-image.js';
import { DelayedFetch } from './delayed-fetch.js';
import { Partition } from './partition.js';

export interface ProduceEntry {
  readonly topic: string;
  readonly partition: number;
  readonly records: Buffer | null;
}

export interface ProducePartitionResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  /** The records at fault when a batch was rejected for some of its records (KIP-467). */
  readonly recordErrors?: readonly RecordError[];
}

/** Batches appended to the local logs whose acknowledgement may still wait (see `awaitAppends`). */
export interface PendingAppends {
  /** One per entry, in entry order. */
  readonly results: readonly ProducePartitionResult[];
  readonly waits: readonly Promise<void>[];
}

/** One partition of a LeaderAndIsr request, as the replica manager applies it. */
export interface PartitionLeadership {
  readonly topic: string;
  readonly topicId: string;
  readonly registration: PartitionRegistration;
}

/** One partition of a StopReplica request. */
export interface PartitionToStop {
  readonly topic: string;
  readonly partition: number;
  /** The leader epoch the controller last gave it; -1 = unknown, -2 = deletion (no check). */
  readonly leaderEpoch: number;
  readonly deletePartition: boolean;
}

/** Leadership changes applied by a LeaderAndIsr or StopReplica request, for coordinators to follow. */
export interface LeadershipChange {
  readonly leaders: readonly Partition[];
  readonly followers: readonly Partition[];
  /** Partitions no longer hosted here. */
  readonly stopped: readonly { readonly topic: string; readonly partition: number }[];
}

export interface FetchPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  /** -1 when the client does not send one (KIP-320). */
  readonly currentLeaderEpoch: number;
}

export interface FetchPartitionResult {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  readonly records: Buffer;
  readonly abortedTransactions: { producerId: number; firstOffset: number }[] | null;
}

export interface FetchParams {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** 0 = READ_UNCOMMITTED (up to the high watermark), 1 = READ_COMMITTED (up to the LSO). */
  readonly isolationLevel: number;
  readonly partitions: readonly FetchPartitionRequest[];
}

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * The partitions this broker hosts and the two hot paths through them: appending produced
 * batches, and reading them for fetches (with the long poll of `fetch.max.wait.ms`).
 *
 * Neither path decodes records: appends validate the batch header and CRC, patch offsets in
 * place and write the bytes; fetches read file ranges into buffers that go to the socket as is.
 */
export class ReplicaManager {
  private readonly partitions = new Map<string, Map<number, Partition>>();
  private readonly delayedFetches = new Set<DelayedFetch>();
  /** The highest controller epoch seen in a LeaderAndIsr/StopReplica/UpdateMetadata request. */
  controllerEpoch = 0;
  private readonly leadershipListeners = new Set<(change: LeadershipChange) => void | Promise<void>>();
  /**
   * Fetches read into pooled buffers: the connection releases them once the response holding the
   * records has been written. Whatever else reads through `fetchMessages` (a discarded first read
   * of a delayed fetch, internal readers) never releases them, and they are simply collected.
   */
  private readonly acquireReadBuffer: (size: number) => Buffer;

  constructor(
    private readonly brokerId: number,
    private readonly logManager: LogManager,
    bufferPool: BufferPool,
    private readonly logger: Logger,
    /** Whether the cluster's metadata knows a partition (hosted here or not). */
    private readonly isKnownPartition: (topic: string, partition: number) => boolean = () => false,
  ) {
    this.acquireReadBuffer = (size) => bufferPool.acquire(size);
  }

  /**
   * The error for a partition this broker does not host: NOT_LEADER_OR_FOLLOWER when the cluster
   * has it elsewhere (the client's metadata is stale), UNKNOWN_TOPIC_OR_PARTITION when nobody does
   * — Kafka's ReplicaManager.getPartitionOrError.
   */
  notHostedError(topic: string, partition: number): number {
    return this.isKnownPartition(topic, partition)
      ? ErrorCode.NOT_LEADER_OR_FOLLOWER
      : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(topic)?.get(partition);
  }

  partitionsOf(topic: string): Partition[] {
    return [...(this.partitions.get(topic)?.values() ?? [])];
  }

  allPartitions(): Partition[] {
    const out: Partition[] = [];
    for (const byIndex of this.partitions.values()) out.push(...byIndex.values());
    return out;
  }

  /**
   * Hosts `topic-partition` with the given registration (creating or loading its log), or
   * applies a new registration to a partition already hosted.
   */
  async applyRegistration(
    topic: string,
    topicId: string,
    registration: PartitionRegistration,
    config: LogConfig,
  ): Promise<Partition> {
    const existing = this.getPartition(topic, registration.partition);
    if (existing !== undefined) {
      existing.update(registration);
      return existing;
    }
    const log: Log = await this.logManager.getOrCreateLog(topic, registration.partition, config, topicId);
    const again = this.getPartition(topic, registration.partition);
    if (again !== undefined) return again;
    const partition = new Partition(topic, registration.partition, topicId, log, registration, this.brokerId);
    let byIndex = this.partitions.get(topic);
    if (byIndex === undefined) {
      byIndex = new Map();
      this.partitions.set(topic, byIndex);
    }
    byIndex.set(registration.partition, partition);
    return partition;
  }

  /** Stops hosting a partition; with `deleteLog` its data is removed (topic deletion). */
  async stopReplica(topic: string, partition: number, deleteLog: boolean): Promise<void> {
    const byIndex = this.partitions.get(topic);
    byIndex?.delete(partition);
    if (byIndex !== undefined && byIndex.size === 0) this.partitions.delete(topic);
    // Parked fetches on a partition that goes away complete now, as Kafka completes them on
    // leadership changes; they then see UNKNOWN_TOPIC_OR_PARTITION.
    for (const fetch of this.delayedFetches) fetch.complete();
    if (deleteLog) await this.logManager.deleteLog(topic, partition);
  }

  /** Calls `listener` after each applied LeaderAndIsr/StopReplica request (the group coordinator's hook). */
  onLeadershipChange(listener: (change: LeadershipChange) => void | Promise<void>): void {
    this.leadershipListeners.add(listener);
  }

  private async notifyLeadership(change: LeadershipChange): Promise<void> {
    for (const listener of this.leadershipListeners) await listener(change);
  }

  /**
   * Applies a LeaderAndIsr request (Kafka's `becomeLeaderOrFollower`): a request from a controller
   * older than one already heard from is refused as a whole (STALE_CONTROLLER_EPOCH); a partition
   * whose leader epoch is not newer than the one this broker knows is left alone with
   * STALE_CONTROLLER_EPOCH, as Kafka does, and one whose replica list does not name this broker
   * with UNKNOWN_TOPIC_OR_PARTITION. Logs are created as needed with `logConfigOf`.
   *
   * Returns the error of every partition, by `topic-partition`.
   */
  async becomeLeaderOrFollower(
    controllerEpoch: number,
    partitions: readonly PartitionLeadership[],
    logConfigOf: (topic: string) => LogConfig,
  ): Promise<{ errorCode: number; partitionErrors: Map<string, number> }> {
    const partitionErrors = new Map<string, number>();
    if (controllerEpoch < this.controllerEpoch) {
      this.logger.warn(
        `Ignoring LeaderAndIsr request from a controller with epoch ${controllerEpoch}: the latest known controller epoch is ${this.controllerEpoch}`,
      );
      return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, partitionErrors };
    }
    this.controllerEpoch = controllerEpoch;
    const leaders: Partition[] = [];
    const followers: Partition[] = [];
    for (const { topic, topicId, registration } of partitions) {
      const name = `${topic}-${registration.partition}`;
      if (!registration.replicas.includes(this.brokerId)) {
        partitionErrors.set(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        continue;
      }
      const existing = this.getPartition(topic, registration.partition);
      if (existing !== undefined && registration.leaderEpoch <= existing.leaderEpoch && existing.topicId === topicId) {
        this.logger.info(
          `Ignoring the LeaderAndIsr request for ${name}: its leader epoch ${registration.leaderEpoch} is not newer than the current ${existing.leaderEpoch}`,
        );
        partitionErrors.set(name, ErrorCode.STALE_CONTROLLER_EPOCH);
        continue;
      }
      try {
        const partition = await this.applyRegistration(topic, topicId, registration, logConfigOf(topic));
        (partition.isLeader ? leaders : followers).push(partition);
        partitionErrors.set(name, ErrorCode.NONE);
      } catch (err) {
        this.logger.error({ err }, `could not apply the LeaderAndIsr request for ${name}`);
        partitionErrors.set(name, ErrorCode.KAFKA_STORAGE_ERROR);
      }
    }
    await this.notifyLeadership({ leaders, followers, stopped: [] });
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  /**
   * Applies a StopReplica request: with `deletePartition` the replica and its log go away (topic
   * deletion, reassignment); without, the replica stops following its leader and stays hosted.
   */
  async stopReplicas(
    controllerEpoch: number,
    partitions: readonly PartitionToStop[],
  ): Promise<{ errorCode: number; partitionErrors: Map<string, number> }> {
    const partitionErrors = new Map<string, number>();
    if (controllerEpoch < this.controllerEpoch) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, partitionErrors };
    this.controllerEpoch = controllerEpoch;
    const stopped: { topic: string; partition: number }[] = [];
    for (const p of partitions) {
      const name = `${p.topic}-${p.partition}`;
      const existing = this.getPartition(p.topic, p.partition);
      if (existing !== undefined && p.leaderEpoch >= 0 && p.leaderEpoch < existing.leaderEpoch) {
        partitionErrors.set(name, ErrorCode.FENCED_LEADER_EPOCH);
        continue;
      }
      try {
        // Without deletion the replica stays hosted and only stops following (Kafka keeps it
        // for a later LeaderAndIsr); parked fetches complete either way.
        if (p.deletePartition) {
          await this.stopReplica(p.topic, p.partition, true);
          stopped.push({ topic: p.topic, partition: p.partition });
        } else {
          for (const fetch of this.delayedFetches) fetch.complete();
        }
        partitionErrors.set(name, ErrorCode.NONE);
      } catch (err) {
        this.logger.error({ err }, `could not stop replica ${name}`);
        partitionErrors.set(name, ErrorCode.KAFKA_STORAGE_ERROR);
      }
    }
    await this.notifyLeadership({ leaders: [], followers: [], stopped });
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  updateLogConfig(topic: string, config: LogConfig): void {
    for (const partition of this.partitionsOf(topic)) partition.log.updateConfig(config);
  }

  /**
   * Appends produced batches to the local logs, synchronously and in entry order; the record bytes
   * are copied into the logs before this returns, so the caller may then reuse their buffers.
   * What acks ask beyond the append (durability per `flush.messages`) is awaited separately with
   * `awaitAppends`, so that consecutive requests can share one fsync.
   */
  appendRecords(entries: readonly ProduceEntry[], requiredAcks: number, origin: AppendOrigin): PendingAppends {
    const results: ProducePartitionResult[] = [];
    const waits: Promise<void>[] = [];
    for (const entry of entries) {
      const partition = this.getPartition(entry.topic, entry.partition);
      try {
        if (partition === undefined) {
          throw new KafkaError(
            this.notHostedError(entry.topic, entry.partition),
            `This server does not host ${entry.topic}-${entry.partition}.`,
          );
        }
        if (origin === 'client' && isInternalTopic(entry.topic)) {
          throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${entry.topic}`);
        }
        const records = entry.records;
        if (records === null || records.length === 0) {
          throw new KafkaError(ErrorCode.INVALID_RECORD, 'Produce request has no record batch for a partition');
        }
        if (origin === 'client') requireExactlyOneBatch(records);
        const info = partition.appendRecordsToLeader(records, origin, requiredAcks);
        results.push({
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          baseOffset: info.firstOffset,
          logAppendTimeMs: info.logAppendTimeMs,
          logStartOffset: info.logStartOffset,
        });
        if (requiredAcks !== 0) waits.push(partition.awaitDurable(info.lastOffset));
      } catch (err) {
        results.push(errorResult(err, partition?.log.logStartOffset ?? -1, this.logger, entry));
      }
    }
    return { results, waits };
  }

  /** The results of appended batches, once they are as durable as the topic's flush settings ask. */
  async awaitAppends(pending: PendingAppends): Promise<readonly ProducePartitionResult[]> {
    const { results, waits } = pending;
    if (waits.length === 0) return results;
    try {
      await Promise.all(waits);
    } catch (err) {
      this.logger.error({ err }, 'flush after append failed');
      return results.map((r) =>
        r.errorCode === ErrorCode.NONE
          ? { ...r, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, errorMessage: 'fsync of the log failed' }
          : r,
      );
    }
    return results;
  }

  /**
   * Reads for a Fetch request, waiting up to `maxWaitMs` for `minBytes` when there is not enough
   * data yet (Kafka's delayed fetch). Partition-level problems are per-partition error codes.
   */
  async fetchMessages(params: FetchParams): Promise<FetchPartitionResult[]> {
    const first = await this.readFromLogs(params);
    if (params.maxWaitMs <= 0 || first.bytes >= params.minBytes || first.hasError || params.partitions.length === 0) {
      return first.results;
    }
    const watched: Partition[] = [];
    for (const p of params.partitions) {
      const partition = this.getPartition(p.topic, p.partition);
      if (partition !== undefined) watched.push(partition);
    }
    const delayed = new DelayedFetch(watched, first.bytes, params.minBytes, params.maxWaitMs);
    this.delayedFetches.add(delayed);
    await delayed.completion;
    this.delayedFetches.delete(delayed);
    return (await this.readFromLogs(params)).results;
  }

  private async readFromLogs(
    params: FetchParams,
  ): Promise<{ results: FetchPartitionResult[]; bytes: number; hasError: boolean }> {
    const results: FetchPartitionResult[] = [];
    let limitBytes = params.maxBytes;
    let minOneMessage = true;
    let bytes = 0;
    let hasError = false;
    for (const p of params.partitions) {
      const partition = this.getPartition(p.topic, p.partition);
      if (partition === undefined) {
        results.push(fetchError(this.notHostedError(p.topic, p.partition)));
        hasError = true;
        continue;
      }
      const log = partition.log;
      if (!partition.isLeader) {
        results.push(fetchError(ErrorCode.NOT_LEADER_OR_FOLLOWER, log));
        hasError = true;
        continue;
      }
      const epochError = partition.checkLeaderEpoch(p.currentLeaderEpoch);
      if (epochError !== ErrorCode.NONE) {
        results.push(fetchError(epochError, log));
        hasError = true;
        continue;
      }
      const readCommitted = params.isolationLevel === IsolationLevel.READ_COMMITTED;
      const highWatermark = log.highWatermark;
      const lastStableOffset = log.lastStableOffset;
      const maxOffset = readCommitted ? lastStableOffset : highWatermark;
      try {
        let records: Buffer = EMPTY;
        if (p.fetchOffset < maxOffset || p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
          const data = await log.read(p.fetchOffset, {
            maxBytes: Math.min(p.partitionMaxBytes, limitBytes),
            maxOffset,
            minOneMessage,
            allocate: this.acquireReadBuffer,
          });
          records = data.records;
        }
        let aborted: { producerId: number; firstOffset: number }[] | null = null;
        if (readCommitted) {
          aborted = records.length > 0 ? log.collectAbortedTransactions(p.fetchOffset, maxOffset) : [];
        }
        if (records.length > 0) {
          minOneMessage = false;
          limitBytes = Math.max(0, limitBytes - records.length);
          bytes += records.length;
        }
        results.push({
          errorCode: ErrorCode.NONE,
          highWatermark,
          lastStableOffset,
          logStartOffset: log.logStartOffset,
          records,
          abortedTransactions: aborted,
        });
      } catch (err) {
        const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
        if (!(err instanceof KafkaError)) this.logger.error({ err }, `read from ${partition.name} failed`);
        results.push(fetchError(code, log));
        hasError = true;
      }
    }
    return { results, bytes, hasError };
  }

  /** Completes every parked fetch (shutdown). */
  shutdown(): void {
    for (const fetch of this.delayedFetches) fetch.complete();
  }
}

/**
 * Produce requests carry exactly one record batch per partition (Kafka enforces this for v3+);
 * counted from the headers alone, before the log validates the CRC.
 */
function requireExactlyOneBatch(records: Buffer): void {
  if (records.length < 61) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record batch truncated: ${records.length} bytes`);
  }
  const size = readBatchHeader(records, 0).sizeInBytes;
  if (size !== records.length) {
    throw new KafkaError(
      size < records.length ? ErrorCode.INVALID_RECORD : ErrorCode.CORRUPT_MESSAGE,
      size < records.length
        ? 'Produce requests with version 3+ are only allowed to contain exactly one record batch per partition'
        : `record batch declares ${size} bytes but ${records.length} were sent`,
    );
  }
}

function errorResult(
  err: unknown,
  logStartOffset: number,
  logger: Logger,
  entry: ProduceEntry,
): ProducePartitionResult {
  if (!(err instanceof KafkaError)) {
    logger.error({ err }, `append to ${entry.topic}-${entry.partition} failed`);
  }
  const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
  return {
    errorCode: code,
    errorMessage: err instanceof Error ? err.message : null,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset,
    ...(err instanceof RecordValidationError ? { recordErrors: err.recordErrors } : {}),
  };
}

function fetchError(errorCode: number, log?: Log): FetchPartitionResult {
  return {
    errorCode,
    highWatermark: log?.highWatermark ?? -1,
    lastStableOffset: log?.lastStableOffset ?? -1,
    logStartOffset: log?.logStartOffset ?? -1,
    records: EMPTY,
    abortedTransactions: null,
  };
}
