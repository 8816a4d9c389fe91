import { ErrorCode, KafkaError, MetadataApi, type MetadataResponse } from '@samsa/protocol';
import type { CommonConfig } from '../config/client-config.js';
import type { Connection } from '../connection/connection.js';
import { ConnectionPool, sleep } from '../connection/connection-pool.js';
import {
  ClientError,
  ClientErrorCode,
  closedError,
  isAuthenticationError,
  KafkaConnectionError,
} from '../errors/client-errors.js';
import { clientSecurityOf } from '../security/client-security.js';

export interface BrokerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface PartitionInfo {
  readonly partition: number;
  /** -1 while the partition has no leader. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  readonly errorCode: number;
}

export interface TopicInfo {
  readonly name: string;
  readonly topicId: string;
  readonly isInternal: boolean;
  /** Indexed by partition number. */
  readonly partitions: readonly PartitionInfo[];
}

interface Bootstrap {
  readonly host: string;
  readonly port: number;
}

export function parseHostPort(address: string): Bootstrap {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (m === null) throw new ClientError(ClientErrorCode.CONFIG, `bootstrap address '${address}' is not host:port`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/** Errors after which metadata is stale: the leader moved or the topic changed. */
export const METADATA_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.UNKNOWN_TOPIC_ID,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.NOT_ENOUGH_REPLICAS,
]);

/**
 * The cluster as one client sees it: brokers, the topics it cares about, their partitions and
 * leaders, and the connections to reach them.
 *
 * Metadata is fetched for the topics of interest (`addTopics`), refreshed when a caller reports
 * it stale (`requestUpdate`, after NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION), and at
 * least every `metadata.max.age.ms`, which also discovers partitions added to a topic.
 * Concurrent refreshes share one Metadata request.
 */
export class Cluster {
  readonly pool: ConnectionPool;
  readonly brokers = new Map<number, BrokerInfo>();
  readonly topics = new Map<string, TopicInfo>();
  /** Last error per topic from Metadata (UNKNOWN_TOPIC_OR_PARTITION, ...), cleared on success. */
  readonly topicErrors = new Map<string, number>();
  clusterId: string | null = null;
  controllerId = -1;
  private readonly bootstrap: Bootstrap[];
  private readonly interest = new Set<string>();
  private refreshing: Promise<void> | undefined;
  private lastRefreshMs = 0;
  private updateRequested = false;
  private ageTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Listeners told after every metadata update (the producer wakes batches waiting for a leader). */
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly config: CommonConfig,
    private readonly allowAutoCreateTopics = false,
  ) {
    this.bootstrap = config.bootstrapServers.map(parseHostPort);
    // Reads certificates and parses JAAS now: a bad security setting fails the constructor.
    this.pool = new ConnectionPool({ ...config, security: clientSecurityOf(config) });
    if (config.metadataMaxAgeMs > 0) {
      this.ageTimer = setInterval(
        () => {
          if (this.interest.size > 0 && Date.now() - this.lastRefreshMs >= this.config.metadataMaxAgeMs) {
            this.refresh().catch(() => {});
          }
        },
        Math.max(100, Math.min(this.config.metadataMaxAgeMs, 30000)),
      );
      this.ageTimer.unref();
    }
  }

  onUpdate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Topics whose metadata is kept; returns whether any was new. */
  addTopics(topics: Iterable<string>): boolean {
    let added = false;
    for (const t of topics) {
      if (!this.interest.has(t)) {
        this.interest.add(t);
        added = true;
      }
    }
    return added;
  }

  setTopics(topics: Iterable<string>): void {
    this.interest.clear();
    for (const t of topics) this.interest.add(t);
  }

  get topicsOfInterest(): ReadonlySet<string> {
    return this.interest;
  }

  /** Marks metadata stale; the next `refreshIfNeeded` (or the caller) refreshes it. */
  requestUpdate(): void {
    this.updateRequested = true;
  }

  get needsUpdate(): boolean {
    return this.updateRequested || Date.now() - this.lastRefreshMs >= this.config.metadataMaxAgeMs;
  }

  async refreshIfNeeded(): Promise<void> {
    if (this.needsUpdate) await this.refresh();
  }

  /** A connection to any broker: an open one if possible, else a known broker, else bootstrap. */
  async anyConnection(signal?: AbortSignal): Promise<Connection> {
    if (this.closed) throw closedError('client');
    const ready = this.pool.anyReady();
    if (ready !== undefined) return ready;
    const candidates: { host: string; port: number; nodeId: number }[] = [];
    for (const b of this.brokers.values()) candidates.push(b);
    for (const [i, b] of this.bootstrap.entries()) candidates.push({ ...b, nodeId: -1 - i });
    let lastError: unknown;
    for (const c of candidates) {
      try {
        return await this.pool.get(c.host, c.port, c.nodeId, signal);
      } catch (error) {
        // Refused credentials are not a reachability problem: say so, as Java's clients do.
        if (signal?.aborted === true || this.closed || isAuthenticationError(error)) throw error;
        lastError = error;
      }
    }
    throw new ClientError(
      ClientErrorCode.NO_BROKERS,
      `no broker reachable (tried ${candidates.map((c) => `${c.host}:${c.port}`).join(', ')}): ${String((lastError as Error)?.message ?? lastError)}`,
      { cause: lastError },
    );
  }

  async connectionTo(nodeId: number, signal?: AbortSignal): Promise<Connection> {
    let broker = this.brokers.get(nodeId);
    if (broker === undefined) {
      await this.refresh();
      broker = this.brokers.get(nodeId);
      if (broker === undefined) throw new KafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `broker ${nodeId} is unknown`);
    }
    return this.pool.get(broker.host, broker.port, nodeId, signal);
  }

  leaderOf(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leaderId ?? -1;
  }

  /** Refreshes metadata for the topics of interest (plus `extra`). Concurrent calls share one request. */
  refresh(extra: readonly string[] = []): Promise<void> {
    if (extra.length > 0 && this.addTopics(extra) && this.refreshing !== undefined) {
      // A refresh in flight does not cover the new topics: chain another one after it.
      return this.refreshing.then(() => this.refresh());
    }
    if (this.refreshing === undefined) {
      const refreshing = this.fetchMetadata([...this.interest]).then(
        () => {},
        (error: unknown) => {
          throw error;
        },
      );
      this.refreshing = refreshing.finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  /**
   * Fetches metadata for `topics` (`null`: every topic) and merges it. Returns the raw response
   * for callers that need more (admin's describeTopics).
   */
  async fetchMetadata(
    topics: readonly string[] | null,
    autoCreate = this.allowAutoCreateTopics,
  ): Promise<MetadataResponse> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const connection = await this.anyConnection();
      try {
        const response = await connection.request(MetadataApi, {
          topics: topics === null ? null : topics.map((name) => ({ name })),
          allowAutoTopicCreation: autoCreate,
          includeTopicAuthorizedOperations: false,
        });
        this.merge(response, topics);
        return response;
      } catch (error) {
        lastError = error;
        if (!(error instanceof KafkaConnectionError) || this.closed) throw error;
      }
    }
    throw lastError;
  }

  private merge(response: MetadataResponse, requested: readonly string[] | null): void {
    this.clusterId = response.clusterId;
    this.controllerId = response.controllerId;
    if (response.brokers.length > 0) {
      this.brokers.clear();
      for (const b of response.brokers) {
        this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack });
      }
    }
    const seen = new Set<string>();
    for (const t of response.topics) {
      if (t.name === null) continue;
      seen.add(t.name);
      if (t.errorCode !== 0 && t.partitions.length === 0) {
        this.topicErrors.set(t.name, t.errorCode);
        this.topics.delete(t.name);
        continue;
      }
      this.topicErrors.delete(t.name);
      const partitions: PartitionInfo[] = [];
      for (const p of t.partitions) {
        partitions[p.partitionIndex] = {
          partition: p.partitionIndex,
          leaderId: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas,
          errorCode: p.errorCode,
        };
      }
      this.topics.set(t.name, { name: t.name, topicId: t.topicId, isInternal: t.isInternal, partitions });
    }
    if (requested !== null) {
      for (const name of requested) if (!seen.has(name)) this.topics.delete(name);
    }
    if (requested === null || requested.length >= this.interest.size) {
      this.lastRefreshMs = Date.now();
      this.updateRequested = false;
    }
    for (const listener of this.listeners) listener();
  }

  /**
   * Waits until `topic` has metadata with a leader for every partition, refreshing with backoff
   * (the broker may be auto-creating it), for at most `timeoutMs`.
   */
  async waitForTopic(topic: string, timeoutMs: number, signal?: AbortSignal): Promise<TopicInfo> {
    const deadline = Date.now() + timeoutMs;
    this.addTopics([topic]);
    let backoffMs = this.config.retryBackoffMs;
    for (;;) {
      const info = this.topics.get(topic);
      if (info !== undefined && info.partitions.length > 0 && info.partitions.every((p) => p !== undefined)) {
        return info;
      }
      if (this.closed) throw closedError('client');
      const error = this.topicErrors.get(topic);
      if (
        error !== undefined &&
        error !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION &&
        error !== ErrorCode.LEADER_NOT_AVAILABLE
      ) {
        throw new KafkaError(error, `metadata for topic '${topic}'`);
      }
      if (Date.now() >= deadline) {
        throw new ClientError(
          ClientErrorCode.METADATA_TIMEOUT,
          `topic '${topic}' not present in metadata after ${timeoutMs} ms${error === undefined ? '' : ` (last error ${new KafkaError(error).errorName})`}`,
        );
      }
      if (info === undefined && error === undefined) await this.refresh([topic]);
      else {
        await sleep(Math.min(backoffMs, Math.max(0, deadline - Date.now())), signal);
        backoffMs = Math.min(backoffMs * 2, this.config.retryBackoffMaxMs);
        await this.fetchMetadata([...this.interest]);
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.ageTimer !== undefined) clearInterval(this.ageTimer);
    this.pool.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
