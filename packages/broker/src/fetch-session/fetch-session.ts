import { CachedPartition, type RequestedPartition } from './cached-partition.js';

/**
 * One incremental fetch session (KIP-227, Kafka's FetchSession): the partitions a fetcher is
 * following on this broker, in the order they are read.
 *
 * The order is a fairness device: a partition that returned records moves to the end, so when a
 * response fills up (`fetch.max.bytes`) the next one starts with the partitions that got nothing.
 *
 * Owned by the FetchSessionCache; `cachedSize`, `evictableByAll` and `evictableByPrivileged` are
 * the cache's bookkeeping, set only by its `touch` and `remove`.
 */
export class FetchSession {
  readonly partitions: Map<string, CachedPartition>;
  /** The partition count the cache last accounted for; -1 while not in the cache. */
  cachedSize = -1;
  /** May be evicted by any new session bigger than this one (old enough, see the cache). */
  evictableByAll = false;
  /** May be evicted by a new follower session. */
  evictableByPrivileged = false;

  constructor(
    readonly id: number,
    /** A follower's session: it can evict consumers' sessions, and is protected from them. */
    readonly privileged: boolean,
    partitions: Map<string, CachedPartition>,
    /** Created by a Fetch v13+ request: partitions are keyed by topic id, and only v13+ may use it. */
    readonly usesTopicIds: boolean,
    readonly creationMs: number,
    public lastUsedMs: number,
    /** The epoch the next request must carry. */
    public epoch: number,
  ) {
    this.partitions = partitions;
  }

  get size(): number {
    return this.partitions.size;
  }

  /**
   * Applies an incremental request: new partitions join, named ones take the new request data,
   * forgotten ones leave. Returns the counts, for the log.
   */
  update(
    fetchData: ReadonlyMap<string, RequestedPartition>,
    toForget: readonly string[],
  ): { added: number; updated: number; removed: number } {
    let added = 0;
    let updated = 0;
    let removed = 0;
    for (const [key, requested] of fetchData) {
      const cached = this.partitions.get(key);
      if (cached === undefined) {
        this.partitions.set(
          key,
          new CachedPartition(requested.topicId, requested.topic, requested.partition, requested.data),
        );
        added++;
      } else {
        cached.data = requested.data;
        // A v13+ session may learn the name of a topic id it could not resolve before.
        if (requested.topic !== undefined) cached.topic = requested.topic;
        updated++;
      }
    }
    for (const key of toForget) if (this.partitions.delete(key)) removed++;
    return { added, updated, removed };
  }

  /** Moves a partition that returned records behind the others (see the class comment). */
  moveToEnd(key: string, partition: CachedPartition): void {
    this.partitions.delete(key);
    this.partitions.set(key, partition);
  }
}
