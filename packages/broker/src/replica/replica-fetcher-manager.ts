import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import type { Partition } from './partition.js';
import { type LeaderEndpoint, ReplicaFetcher, type ReplicaFetcherConfig } from './replica-fetcher.js';
import type { ReplicationQuota } from './replication-quota.js';

/**
 * The follower side of replication (Kafka's ReplicaFetcherManager): which fetcher follows which
 * partition. Partitions are spread over `num.replica.fetchers` fetchers per leader broker (by a
 * hash of the partition), each one Fetch session carrying many partitions.
 */
export class ReplicaFetcherManager {
  private readonly fetchers = new Map<string, ReplicaFetcher>();
  /** partition name → fetcher key, to move or remove a partition. */
  private readonly assignment = new Map<string, string>();

  constructor(
    private readonly config: ReplicaFetcherConfig,
    private readonly numFetchers: () => number,
    private readonly logger: Logger,
    private readonly bufferPool: BufferPool,
    private readonly quota?: ReplicationQuota,
  ) {}

  /** Follows `partition` from `leader`, at the leader epoch the controller gave. */
  addFetcherForPartition(partition: Partition, leader: LeaderEndpoint): void {
    this.removeFetcherForPartition(partition.name);
    const fetcherId = hash(partition.name) % Math.max(1, this.numFetchers());
    const key = `${leader.brokerId}-${fetcherId}-${leader.host}:${leader.port}`;
    let fetcher = this.fetchers.get(key);
    if (fetcher === undefined) {
      fetcher = new ReplicaFetcher(leader, this.config, this.logger, this.bufferPool, this.quota);
      this.fetchers.set(key, fetcher);
    }
    fetcher.addPartition(partition, partition.leaderEpoch);
    this.assignment.set(partition.name, key);
  }

  removeFetcherForPartition(name: string): void {
    const key = this.assignment.get(name);
    if (key === undefined) return;
    this.assignment.delete(name);
    const fetcher = this.fetchers.get(key);
    if (fetcher === undefined) return;
    fetcher.removePartition(name);
    if (fetcher.partitionCount === 0) {
      this.fetchers.delete(key);
      void fetcher.close();
    }
  }

  /** Partitions being followed, by name (for tests and metrics). */
  get followedPartitions(): ReadonlySet<string> {
    return new Set(this.assignment.keys());
  }

  async shutdown(): Promise<void> {
    const fetchers = [...this.fetchers.values()];
    this.fetchers.clear();
    this.assignment.clear();
    await Promise.all(fetchers.map((f) => f.close()));
  }
}

/** Java's String.hashCode, made non-negative: stable fetcher ids for a partition name. */
function hash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(31, h) + name.charCodeAt(i)) | 0;
  return h & 0x7fffffff;
}
