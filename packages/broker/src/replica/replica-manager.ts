import { ErrorCode, errorByCode, IsolationLevel, KafkaError, readBatchHeader } from '@samsa/protocol';
import {
  type AppendOrigin,
  type Log,
  type LogConfig,
  type LogDirFailure,
  type LogManager,
  type RecordError,
  RecordValidationError,
} from '@samsa/storage';
import { LONG_MAX } from '../config/config-def.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { isInternalTopic, type PartitionRegistration } from '../metadata/cluster-image.js';
import { BrokerTopicStats, type TopicMetrics } from '../metrics/broker-topic-stats.js';
import { DelayedFetch } from './delayed-fetch.js';
import { type IsrChangeRequest, Partition, type PartitionStats } from './partition.js';
import {
  ReplicaAlterLogDirsManager as AlterLogDirs,
  type ReplicaAlterLogDirsManager,
  type ReplicaLogDirAssignment,
} from './replica-alter-log-dirs-manager.js';
import type { LeaderEndpoint } from './replica-fetcher.js';
import type { ReplicaFetcherManager } from './replica-fetcher-manager.js';
import type { ReplicaSelector } from './replica-selector.js';
import { ReplicationQuota } from './replication-quota.js';

export interface ProduceEntry {
  readonly topic: string;
  readonly partition: number;
  readonly records: Buffer | null;
  /** Refused before the append (a transactional batch that failed KIP-890 verification). */
  readonly refused?: KafkaError;
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
  /** Durability waits (flush.messages), shared by all entries. */
  readonly waits: readonly Promise<void>[];
  /** acks=all: per entry, the outcome of waiting for the in-sync replicas (undefined: no wait). */
  readonly replication?: readonly (Promise<number> | undefined)[];
}

export interface ReplicaManagerOptions {
  readonly brokerId: number;
  readonly logManager: LogManager;
  /** The data path's buffers: fetches read into them (see BufferPool). */
  readonly bufferPool: BufferPool;
  readonly logger: Logger;
  /** Whether the cluster's metadata knows a partition (hosted here or not). */
  readonly isKnownPartition?: (topic: string, partition: number) => boolean;
  /** Where leaders send ISR changes (the controller, in a cluster); none on a single node. */
  readonly requestIsrChange?: (request: IsrChangeRequest) => void;
  /** Followers' fetchers (cluster only). */
  readonly fetcherManager?: ReplicaFetcherManager;
  /** replica.selector.class: which replica a consumer with a rack should read from (KIP-392). */
  readonly replicaSelector?: ReplicaSelector;
  /** A broker's `broker.rack`, from the metadata. */
  readonly rackOf?: (brokerId: number) => string | null;
  /** replica.lag.time.max.ms: how fresh a follower must be to be read from. */
  readonly replicaLagTimeMaxMs?: number;
  /** The leader side of replication throttles (KIP-73); none on a single node. */
  readonly leaderQuota?: ReplicationQuota;
  /** `replica.alter.log.dirs.io.max.bytes.per.second`: the throttle of moves between log dirs. */
  readonly alterLogDirsQuota?: ReplicationQuota;
  /** replica.fetch.max.bytes and replica.fetch.backoff.ms, for moves between log dirs. */
  readonly replicaFetchMaxBytes?: number;
  readonly replicaFetchBackoffMs?: number;
  /** Where appends and fetches are counted (BrokerTopicMetrics); a private one when absent. */
  readonly topicStats?: BrokerTopicStats;
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
  /** A follower's epoch of its last fetched batch (Fetch v12+), -1 otherwise: the divergence check. */
  readonly lastFetchedEpoch?: number;
}

export interface FetchPartitionResult {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  readonly records: Buffer;
  readonly abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  /** KIP-392: the replica the consumer should read from instead (no records come with it). */
  readonly preferredReadReplica?: number;
  /** For a follower whose log diverged from the leader's: where the leader's epoch ends (KIP-595). */
  readonly divergingEpoch?: { readonly epoch: number; readonly endOffset: number };
}

export interface FetchParams {
  /** The fetching follower's broker id, or -1 for a consumer. */
  readonly replicaId?: number;
  /**
   * A consumer's `client.rack` (Fetch v11+, '' when unset); undefined for older fetches, which
   * may read from the leader only.
   */
  readonly clientRack?: string;
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
  /** Partitions whose log dir failed, by name: KAFKA_STORAGE_ERROR until the broker restarts. */
  private readonly offlinePartitions = new Set<string>();
  private readonly offlineListeners = new Set<(failure: LogDirFailure) => void | Promise<void>>();
  /**
   * Fetches read into pooled buffers: the connection releases them once the response holding the
   * records has been written. Whatever else reads through `fetchMessages` (a discarded first read
   * of a delayed fetch, internal readers) never releases them, and they are simply collected.
   */
  private readonly acquireReadBuffer: (size: number) => Buffer;

  private readonly brokerId: number;
  private readonly logManager: LogManager;
  private readonly logger: Logger;
  private readonly isKnownPartition: (topic: string, partition: number) => boolean;
  private readonly requestIsrChange: ((request: IsrChangeRequest) => void) | undefined;
  private readonly fetcherManager: ReplicaFetcherManager | undefined;
  private readonly replicaSelector: ReplicaSelector | undefined;
  private readonly rackOf: (brokerId: number) => string | null;
  private readonly replicaLagTimeMaxMs: number;
  private readonly leaderQuota: ReplicationQuota | undefined;
  private isrExpiration: NodeJS.Timeout | undefined;
  private readonly alterLogDirs: ReplicaAlterLogDirsManager;
  readonly topicStats: BrokerTopicStats;
  /** Committed ISR changes of partitions led here (Kafka's IsrShrinksPerSec / IsrExpandsPerSec). */
  isrShrinks = 0;
  isrExpands = 0;
  private readonly partitionStats: PartitionStats;

  constructor(options: ReplicaManagerOptions) {
    this.brokerId = options.brokerId;
    this.logManager = options.logManager;
    this.logger = options.logger;
    this.isKnownPartition = options.isKnownPartition ?? (() => false);
    this.requestIsrChange = options.requestIsrChange;
    this.fetcherManager = options.fetcherManager;
    this.replicaSelector = options.replicaSelector;
    this.rackOf = options.rackOf ?? (() => null);
    this.replicaLagTimeMaxMs = options.replicaLagTimeMaxMs ?? 30_000;
    this.leaderQuota = options.leaderQuota;
    this.topicStats = options.topicStats ?? new BrokerTopicStats();
    const allTopics = this.topicStats.allTopics;
    this.partitionStats = {
      isrChanged: (before, after) => {
        if (after < before) this.isrShrinks++;
        else if (after > before) this.isrExpands++;
      },
      replicationBytesIn: (bytes) => {
        allTopics.replicationBytesIn += bytes;
      },
    };
    this.alterLogDirs = new AlterLogDirs({
      logManager: options.logManager,
      logger: options.logger,
      quota: options.alterLogDirsQuota ?? unboundedQuota(options.brokerId),
      fetchMaxBytes: options.replicaFetchMaxBytes ?? 1024 * 1024,
      backoffMs: options.replicaFetchBackoffMs ?? 1000,
      getPartition: (topic, partition) => this.getPartition(topic, partition),
      isOffline: (topic, partition) => this.isOffline(topic, partition),
    });
    const bufferPool = options.bufferPool;
    this.acquireReadBuffer = (size) => bufferPool.acquire(size);
    // The failure surfaces inside a log operation; the partitions go offline right after it.
    options.logManager.onLogDirFailure((failure) => queueMicrotask(() => void this.handleLogDirFailure(failure)));
  }

  /**
   * A log dir failed (Kafka's ReplicaManager.handleLogDirFailure): its partitions stop fetching
   * and serving, and answer KAFKA_STORAGE_ERROR from now on, with no log re-created elsewhere; the
   * listeners (the cluster membership, telling the controller so that leadership moves to other
   * replicas) are told.
   */
  private async handleLogDirFailure(failure: LogDirFailure): Promise<void> {
    const names = failure.partitions.map((p) => `${p.topic}-${p.partition}`);
    for (const p of failure.partitions) {
      const name = `${p.topic}-${p.partition}`;
      this.offlinePartitions.add(name);
      this.fetcherManager?.removeFetcherForPartition(name);
      const byIndex = this.partitions.get(p.topic);
      byIndex?.get(p.partition)?.close();
      byIndex?.delete(p.partition);
      if (byIndex !== undefined && byIndex.size === 0) this.partitions.delete(p.topic);
    }
    for (const fetch of this.delayedFetches) fetch.complete();
    this.logger.error(
      `Broker ${this.brokerId} stopped fetcher for partitions ${names.join(',')} because they are in the failed log directory ${failure.logDir}.`,
    );
    this.logger.error(`Partitions ${names.join(',')} are offline due to failure on log directory ${failure.logDir}`);
    await this.notifyLeadership({ leaders: [], followers: [], stopped: failure.partitions });
    for (const listener of this.offlineListeners) await listener(failure);
  }

  /** Called after the partitions of a failed log dir went offline. */
  onLogDirFailure(listener: (failure: LogDirFailure) => void | Promise<void>): void {
    this.offlineListeners.add(listener);
  }

  /** Whether a partition's log dir failed. */
  /** Replicas whose log dir failed (Kafka's OfflineReplicaCount). */
  get offlineReplicaCount(): number {
    return this.offlinePartitions.size;
  }

  isOffline(topic: string, partition: number): boolean {
    return this.offlinePartitions.has(`${topic}-${partition}`);
  }

  /**
   * Starts the leader's periodic ISR check (Kafka's isr-expiration task, every half of
   * replica.lag.time.max.ms): followers not caught up for that long leave the ISR.
   */
  startIsrExpiration(replicaLagTimeMaxMs: number): void {
    if (this.isrExpiration !== undefined) return;
    this.isrExpiration = setInterval(
      () => {
        const now = Date.now();
        for (const partition of this.allPartitions()) partition.maybeShrinkIsr(now, replicaLagTimeMaxMs);
      },
      Math.max(50, Math.floor(replicaLagTimeMaxMs / 2)),
    );
    this.isrExpiration.unref();
  }

  /**
   * The error for a partition this broker does not host: NOT_LEADER_OR_FOLLOWER when the cluster
   * has it elsewhere (the client's metadata is stale), UNKNOWN_TOPIC_OR_PARTITION when nobody does
   * — Kafka's ReplicaManager.getPartitionOrError.
   */
  notHostedError(topic: string, partition: number): number {
    if (this.isOffline(topic, partition)) return ErrorCode.KAFKA_STORAGE_ERROR;
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
    if (this.isOffline(topic, registration.partition)) {
      // Kafka never re-creates a replica whose log dir failed: it stays offline until restart.
      throw new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `${topic}-${registration.partition} is offline: its log dir failed`,
      );
    }
    const log: Log = await this.logManager.getOrCreateLog(topic, registration.partition, config, topicId);
    const again = this.getPartition(topic, registration.partition);
    if (again !== undefined) return again;
    const partition = new Partition(topic, registration.partition, topicId, log, registration, {
      localBrokerId: this.brokerId,
      stats: this.partitionStats,
      ...(this.requestIsrChange === undefined ? {} : { requestIsrChange: this.requestIsrChange }),
    });
    let byIndex = this.partitions.get(topic);
    if (byIndex === undefined) {
      byIndex = new Map();
      this.partitions.set(topic, byIndex);
    }
    byIndex.set(registration.partition, partition);
    // A move between log dirs that a restart (or a StopReplica) interrupted goes on.
    this.alterLogDirs.maybeStart(partition);
    return partition;
  }

  /** AlterReplicaLogDirs: moves replicas between this broker's log dirs (see ReplicaAlterLogDirsManager). */
  alterReplicaLogDirs(assignments: readonly ReplicaLogDirAssignment[]): Promise<number[]> {
    return this.alterLogDirs.alterReplicaLogDirs(assignments);
  }

  /** Stops hosting a partition; with `deleteLog` its data is removed (topic deletion). */
  async stopReplica(topic: string, partition: number, deleteLog: boolean): Promise<void> {
    const byIndex = this.partitions.get(topic);
    byIndex?.get(partition)?.close();
    byIndex?.delete(partition);
    if (byIndex !== undefined && byIndex.size === 0) {
      this.partitions.delete(topic);
      if (deleteLog) this.topicStats.removeTopic(topic);
    }
    // Parked fetches on a partition that goes away complete now, as Kafka completes them on
    // leadership changes; they then see UNKNOWN_TOPIC_OR_PARTITION.
    for (const fetch of this.delayedFetches) fetch.complete();
    if (deleteLog) {
      this.alterLogDirs.cancel(topic, partition);
      await this.logManager.deleteLog(topic, partition);
    }
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
    leaderEndpoints: ReadonlyMap<number, LeaderEndpoint> = new Map(),
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
      if (this.isOffline(topic, registration.partition)) {
        partitionErrors.set(name, ErrorCode.KAFKA_STORAGE_ERROR);
        continue;
      }
      try {
        const partition = await this.applyRegistration(topic, topicId, registration, logConfigOf(topic));
        (partition.isLeader ? leaders : followers).push(partition);
        this.followOrStopFollowing(partition, leaderEndpoints.get(registration.leader));
        partitionErrors.set(name, ErrorCode.NONE);
      } catch (err) {
        this.logger.error({ err }, `could not apply the LeaderAndIsr request for ${name}`);
        partitionErrors.set(name, ErrorCode.KAFKA_STORAGE_ERROR);
      }
    }
    await this.notifyLeadership({ leaders, followers, stopped: [] });
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  /** A leader fetches from nobody; a follower fetches from its leader (once its address is known). */
  private followOrStopFollowing(partition: Partition, leader: LeaderEndpoint | undefined): void {
    const fetchers = this.fetcherManager;
    if (fetchers === undefined) return;
    if (partition.isLeader || partition.leaderId < 0 || leader === undefined) {
      fetchers.removeFetcherForPartition(partition.name);
      if (!partition.isLeader && partition.leaderId >= 0) {
        this.logger.warn(`no address for leader ${partition.leaderId} of ${partition.name}; not fetching`);
      }
      return;
    }
    fetchers.addFetcherForPartition(partition, leader);
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
      this.fetcherManager?.removeFetcherForPartition(name);
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
  appendRecords(
    entries: readonly ProduceEntry[],
    requiredAcks: number,
    origin: AppendOrigin,
    timeoutMs = 30_000,
  ): PendingAppends {
    const results: ProducePartitionResult[] = [];
    const waits: Promise<void>[] = [];
    const replication: (Promise<number> | undefined)[] = [];
    let anyReplicationWait = false;
    const allTopics = this.topicStats.allTopics;
    for (const entry of entries) {
      const partition = this.getPartition(entry.topic, entry.partition);
      const topicMetrics = this.topicStats.topic(entry.topic);
      topicMetrics.totalProduceRequests++;
      allTopics.totalProduceRequests++;
      let wait: Promise<number> | undefined;
      try {
        if (entry.refused !== undefined) throw entry.refused;
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
        if (info.duplicate !== true) {
          topicMetrics.bytesIn += records.length;
          allTopics.bytesIn += records.length;
          topicMetrics.messagesIn += info.recordCount;
          allTopics.messagesIn += info.recordCount;
        }
        results.push({
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          baseOffset: info.firstOffset,
          logAppendTimeMs: info.logAppendTimeMs,
          logStartOffset: info.logStartOffset,
        });
        if (requiredAcks !== 0) waits.push(partition.awaitDurable(info.lastOffset));
        // acks=all waits until every in-sync replica has the batch (a sole replica: at once).
        if (requiredAcks === -1 && partition.highWatermark <= info.lastOffset) {
          wait = partition.awaitReplication(info.lastOffset, timeoutMs);
          anyReplicationWait = true;
        }
      } catch (err) {
        const result = errorResult(err, partition?.log.logStartOffset ?? -1, this.logger, entry);
        countFailedAppend(result.errorCode, entry.records?.length ?? 0, topicMetrics, allTopics);
        results.push(result);
      }
      replication.push(wait);
    }
    return anyReplicationWait ? { results, waits, replication } : { results, waits };
  }

  /**
   * The results of appended batches once they are as durable as the topic's flush settings ask
   * and, for acks=all, on every in-sync replica.
   */
  async awaitAppends(pending: PendingAppends): Promise<readonly ProducePartitionResult[]> {
    let results = pending.results;
    if (pending.waits.length > 0) {
      try {
        await Promise.all(pending.waits);
      } catch (err) {
        this.logger.error({ err }, 'flush after append failed');
        results = results.map((r) =>
          r.errorCode === ErrorCode.NONE
            ? { ...r, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, errorMessage: 'fsync of the log failed' }
            : r,
        );
      }
    }
    const replication = pending.replication;
    if (replication === undefined) return results;
    const outcomes = await Promise.all(replication);
    return results.map((r, i) => {
      const code = outcomes[i];
      if (code === undefined || code === ErrorCode.NONE || r.errorCode !== ErrorCode.NONE) return r;
      return { ...r, errorCode: code, errorMessage: errorByCode(code).message };
    });
  }

  /**
   * Reads for a Fetch request, waiting up to `maxWaitMs` for `minBytes` when there is not enough
   * data yet (Kafka's delayed fetch). Partition-level problems are per-partition error codes.
   */
  async fetchMessages(params: FetchParams): Promise<FetchPartitionResult[]> {
    return this.countFetched(params, await this.fetchUncounted(params));
  }

  private async fetchUncounted(params: FetchParams): Promise<FetchPartitionResult[]> {
    const first = await this.readFromLogs(params, true);
    // As Kafka's: an error or a redirection to a preferred read replica is answered at once.
    if (
      params.maxWaitMs <= 0 ||
      first.bytes >= params.minBytes ||
      first.hasError ||
      first.redirected ||
      params.partitions.length === 0
    ) {
      return this.recordThrottled(params, first.results);
    }
    const watched: Partition[] = [];
    for (const p of params.partitions) {
      const partition = this.getPartition(p.topic, p.partition);
      if (partition !== undefined) watched.push(partition);
    }
    // Followers wait for data, consumers for the high watermark to pass it.
    const wakeOn = (params.replicaId ?? -1) >= 0 ? 'append' : 'high-watermark';
    const delayed = new DelayedFetch(watched, first.bytes, params.minBytes, params.maxWaitMs, wakeOn);
    this.delayedFetches.add(delayed);
    await delayed.completion;
    this.delayedFetches.delete(delayed);
    return this.recordThrottled(params, (await this.readFromLogs(params, false)).results);
  }

  /**
   * BrokerTopicMetrics of a fetch, as Kafka counts them: every partition asked for is a fetch
   * request of its topic; what goes back is BytesOut for a consumer, ReplicationBytesOut for a
   * follower; only unexpected errors count as failed (not NOT_LEADER, OFFSET_OUT_OF_RANGE, …).
   */
  private countFetched(params: FetchParams, results: FetchPartitionResult[]): FetchPartitionResult[] {
    const allTopics = this.topicStats.allTopics;
    const fromFollower = (params.replicaId ?? -1) >= 0;
    for (let i = 0; i < results.length; i++) {
      const p = params.partitions[i];
      const r = results[i] as FetchPartitionResult;
      if (p === undefined) break;
      const topicMetrics = this.topicStats.topic(p.topic);
      topicMetrics.totalFetchRequests++;
      allTopics.totalFetchRequests++;
      if (isUnexpectedFetchError(r.errorCode)) {
        topicMetrics.failedFetchRequests++;
        allTopics.failedFetchRequests++;
      }
      const bytes = r.records.length;
      if (bytes === 0) continue;
      if (fromFollower) {
        allTopics.replicationBytesOut += bytes;
      } else {
        topicMetrics.bytesOut += bytes;
        allTopics.bytesOut += bytes;
      }
    }
    return results;
  }

  /** Counts the bytes of throttled partitions sent to a follower against the leader's throttle. */
  private recordThrottled(params: FetchParams, results: FetchPartitionResult[]): FetchPartitionResult[] {
    const quota = this.leaderQuota;
    if (quota === undefined || (params.replicaId ?? -1) < 0 || !quota.enabled) return results;
    let bytes = 0;
    results.forEach((r, i) => {
      const p = params.partitions[i];
      if (p !== undefined && r.records.length > 0 && quota.isThrottled(p.topic, p.partition)) bytes += r.records.length;
    });
    quota.record(bytes);
    return results;
  }

  /**
   * One pass over the fetched partitions. A follower's fetch (replicaId ≥ 0) reads up to the log
   * end, not the high watermark, is first checked for divergence, and on its first pass records
   * the follower's position (which may move the high watermark and the ISR).
   */
  private async readFromLogs(
    params: FetchParams,
    firstPass: boolean,
  ): Promise<{ results: FetchPartitionResult[]; bytes: number; hasError: boolean; redirected: boolean }> {
    const replicaId = params.replicaId ?? -1;
    const fromFollower = replicaId >= 0;
    const quota = fromFollower && this.leaderQuota?.enabled === true ? this.leaderQuota : undefined;
    const nowMs = fromFollower ? Date.now() : 0;
    const results: FetchPartitionResult[] = [];
    let limitBytes = params.maxBytes;
    let minOneMessage = true;
    let bytes = 0;
    let hasError = false;
    let redirected = false;
    for (const p of params.partitions) {
      const partition = this.getPartition(p.topic, p.partition);
      if (partition === undefined) {
        results.push(fetchError(this.notHostedError(p.topic, p.partition)));
        hasError = true;
        continue;
      }
      const log = partition.log;
      // Followers serve consumers that sent client metadata (Fetch v11+, KIP-392), up to their
      // own high watermark; older fetches and other followers must go to the leader.
      if (!partition.isLeader && (fromFollower || params.clientRack === undefined)) {
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
      if (fromFollower) {
        if (!partition.replicas.includes(replicaId)) {
          // Only assigned replicas may read past the high watermark.
          results.push(fetchError(ErrorCode.NOT_LEADER_OR_FOLLOWER, log));
          hasError = true;
          continue;
        }
        const diverging = partition.divergingEpoch(p.lastFetchedEpoch ?? -1, p.fetchOffset);
        if (diverging !== undefined) {
          results.push({
            errorCode: ErrorCode.NONE,
            highWatermark: log.highWatermark,
            lastStableOffset: log.lastStableOffset,
            logStartOffset: log.logStartOffset,
            records: EMPTY,
            abortedTransactions: null,
            divergingEpoch: diverging,
          });
          continue;
        }
        if (firstPass) partition.updateFollowerFetchState(replicaId, p.fetchOffset, nowMs);
        // A throttled replica catching up gets nothing while the throttle's rate is exceeded;
        // one in the ISR is never held back (KIP-73).
        if (
          quota?.isThrottled(partition.topic, partition.partition) === true &&
          !partition.isr.includes(replicaId) &&
          quota.isQuotaExceeded(nowMs)
        ) {
          results.push(fetchError(ErrorCode.NONE, log));
          continue;
        }
      }
      if (!fromFollower && partition.isLeader && firstPass && this.replicaSelector !== undefined && params.clientRack) {
        const preferred = this.preferredReadReplica(partition, params.clientRack, p.fetchOffset);
        if (preferred !== this.brokerId) {
          results.push({ ...fetchError(ErrorCode.NONE, log), preferredReadReplica: preferred });
          redirected = true;
          continue;
        }
      }
      const readCommitted = !fromFollower && params.isolationLevel === IsolationLevel.READ_COMMITTED;
      const highWatermark = log.highWatermark;
      const lastStableOffset = log.lastStableOffset;
      const maxOffset = fromFollower ? log.logEndOffset : readCommitted ? lastStableOffset : highWatermark;
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
    return { results, bytes, hasError, redirected };
  }

  /** KIP-392: the replica `replica.selector.class` picks for a consumer in `clientRack`. */
  private preferredReadReplica(partition: Partition, clientRack: string, fetchOffset: number): number {
    const selector = this.replicaSelector;
    if (selector === undefined) return this.brokerId;
    const leader = {
      brokerId: this.brokerId,
      rack: this.rackOf(this.brokerId),
      logEndOffset: partition.log.logEndOffset,
      timeSinceLastCaughtUpMs: 0,
    };
    const followers = partition
      .readableFollowers(fetchOffset, Date.now(), this.replicaLagTimeMaxMs)
      .map((f) => ({ ...f, rack: this.rackOf(f.brokerId) }));
    return selector(clientRack, leader, [leader, ...followers]).brokerId;
  }

  /** Stops fetching and completes every parked fetch and produce (shutdown). */
  async shutdown(): Promise<void> {
    if (this.isrExpiration !== undefined) clearInterval(this.isrExpiration);
    await this.alterLogDirs.shutdown();
    await this.fetcherManager?.shutdown();
    for (const fetch of this.delayedFetches) fetch.complete();
    for (const partition of this.allPartitions()) partition.close();
  }
}

/** A throttle that never holds anything back. */
function unboundedQuota(brokerId: number): ReplicationQuota {
  return new ReplicationQuota({
    brokerId,
    boundBytesPerSec: () => LONG_MAX,
    throttledReplicas: () => undefined,
    numSamples: 1,
    sampleWindowMs: 1000,
  });
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

/**
 * Kafka's accounting of a refused append (ReplicaManager.appendToLocalLog): a batch too large is
 * rejected bytes; the errors a client expects in normal operation (not the leader, unknown
 * partition, corrupt or oversized batch, storage) are not failures; anything else is.
 */
function countFailedAppend(errorCode: number, bytes: number, topic: TopicMetrics, all: TopicMetrics): void {
  if (errorCode === ErrorCode.MESSAGE_TOO_LARGE || errorCode === ErrorCode.RECORD_LIST_TOO_LARGE) {
    topic.bytesRejected += bytes;
    all.bytesRejected += bytes;
  }
  if (EXPECTED_APPEND_ERRORS.has(errorCode)) return;
  topic.failedProduceRequests++;
  all.failedProduceRequests++;
}

const EXPECTED_APPEND_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.RECORD_LIST_TOO_LARGE,
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

/** Fetch errors Kafka's readFromLocalLog does not count as failed fetch requests. */
function isUnexpectedFetchError(errorCode: number): boolean {
  switch (errorCode) {
    case ErrorCode.NONE:
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.UNKNOWN_LEADER_EPOCH:
    case ErrorCode.FENCED_LEADER_EPOCH:
    case ErrorCode.REPLICA_NOT_AVAILABLE:
    case ErrorCode.KAFKA_STORAGE_ERROR:
    case ErrorCode.OFFSET_OUT_OF_RANGE:
    case ErrorCode.INCONSISTENT_TOPIC_ID:
      return false;
    default:
      return true;
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
