import { randomInt } from 'node:crypto';
import { INITIAL_EPOCH, INVALID_SESSION_ID, nextFetchEpoch } from '@samsa/protocol';
import type { CachedPartition } from './cached-partition.js';
import { FetchSession } from './fetch-session.js';

/**
 * How long a session must have gone unused before any new session may take its slot, and how
 * old a session must be before a bigger one may evict it: Kafka's fixed
 * MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS.
 */
export const MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS = 120_000;

export interface FetchSessionCacheOptions {
  /** max.incremental.fetch.session.cache.slots */
  readonly maxEntries: number;
  readonly evictionMs?: number;
  /** A random session id candidate in [1, 2^31 - 1]; injectable for tests. */
  readonly randomSessionId?: () => number;
}

/**
 * The broker's incremental fetch sessions (KIP-227, Kafka's FetchSessionCache), at most
 * `max.incremental.fetch.session.cache.slots` of them. A full fetch with epoch 0 gets a session
 * only when there is a free slot or one can be evicted:
 *
 * 1. the least recently used session, if unused for `evictionMs` (stale), whoever asks;
 * 2. else, for a follower (privileged) asking: the smallest consumer session, or the smallest
 *    follower session created more than `evictionMs` ago — if it is smaller than the new one
 *    or a consumer's;
 * 3. else, for a consumer asking: the smallest session of either kind created more than
 *    `evictionMs` ago, if it has fewer partitions than the new one.
 *
 * "Smallest" orders by (privileged, partition count, id), Kafka's EvictableKey; a new session
 * never evicts one that ranks equal to it. Which sessions are evictable by whom is decided when
 * a session is touched (used), as in Kafka, so a session never used since it came of age is
 * evictable only as stale.
 *
 * Kafka splits the cache into shards to spread lock contention; one event loop has none, so
 * this is one cache of `maxEntries` slots. Eviction scans the sessions, bounded by the slots
 * (1000 by default), and only happens when the cache is full.
 */
export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  private readonly maxEntries: number;
  private readonly evictionMs: number;
  private readonly randomSessionId: () => number;
  private partitionCount = 0;
  /** Sessions evicted to make room (Kafka's IncrementalFetchSessionEvictionsPerSec counts these). */
  evictions = 0;

  constructor(options: FetchSessionCacheOptions) {
    this.maxEntries = options.maxEntries;
    this.evictionMs = options.evictionMs ?? MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS;
    this.randomSessionId = options.randomSessionId ?? (() => randomInt(1, 2147483648));
  }

  /** Kafka's NumIncrementalFetchSessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** Kafka's NumIncrementalFetchPartitionsCached. */
  get totalPartitions(): number {
    return this.partitionCount;
  }

  get(sessionId: number): FetchSession | undefined {
    return this.sessions.get(sessionId);
  }

  /**
   * Creates a session with the partitions `createPartitions` returns, if there is room or a
   * session can be evicted for it. Returns its id, or INVALID_SESSION_ID (0) when the cache
   * refuses — the fetcher then goes on with full fetches.
   */
  maybeCreateSession(
    nowMs: number,
    privileged: boolean,
    size: number,
    usesTopicIds: boolean,
    createPartitions: () => Map<string, CachedPartition>,
  ): number {
    if (this.sessions.size >= this.maxEntries && !this.tryEvict(privileged, size, nowMs)) return INVALID_SESSION_ID;
    const session = new FetchSession(
      this.newSessionId(),
      privileged,
      createPartitions(),
      usesTopicIds,
      nowMs,
      nowMs,
      nextFetchEpoch(INITIAL_EPOCH),
    );
    this.sessions.set(session.id, session);
    this.touch(session, nowMs);
    return session.id;
  }

  /** Removes a session (closed by its fetcher, replaced, emptied, or evicted). */
  remove(sessionId: number): FetchSession | undefined {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return undefined;
    this.sessions.delete(sessionId);
    this.partitionCount -= Math.max(0, session.cachedSize);
    session.cachedSize = -1;
    session.evictableByAll = false;
    session.evictableByPrivileged = false;
    return session;
  }

  /**
   * Marks a session used at `nowMs` and re-ranks it: its partition count may have changed, and
   * once older than `evictionMs` it may be evicted by a bigger consumer session too (a follower's
   * session, until then, only by being stale).
   */
  touch(session: FetchSession, nowMs: number): void {
    session.lastUsedMs = nowMs;
    if (session.cachedSize >= 0) this.partitionCount -= session.cachedSize;
    session.cachedSize = session.size;
    this.partitionCount += session.cachedSize;
    const old = nowMs - session.creationMs > this.evictionMs;
    session.evictableByPrivileged = !session.privileged || old;
    session.evictableByAll = old;
  }

  private newSessionId(): number {
    for (;;) {
      const id = this.randomSessionId();
      if (id !== INVALID_SESSION_ID && !this.sessions.has(id)) return id;
    }
  }

  private tryEvict(privileged: boolean, size: number, nowMs: number): boolean {
    let leastRecentlyUsed: FetchSession | undefined;
    for (const s of this.sessions.values()) {
      if (
        leastRecentlyUsed === undefined ||
        s.lastUsedMs < leastRecentlyUsed.lastUsedMs ||
        (s.lastUsedMs === leastRecentlyUsed.lastUsedMs && s.id < leastRecentlyUsed.id)
      ) {
        leastRecentlyUsed = s;
      }
    }
    if (leastRecentlyUsed === undefined) return false;
    if (nowMs - leastRecentlyUsed.lastUsedMs > this.evictionMs) {
      this.evict(leastRecentlyUsed);
      return true;
    }
    let candidate: FetchSession | undefined;
    for (const s of this.sessions.values()) {
      if (!(privileged ? s.evictableByPrivileged : s.evictableByAll)) continue;
      if (candidate === undefined || compareEvictable(s, candidate) < 0) candidate = s;
    }
    // The new session's key has id 0, below every real id: it must outrank on (privileged, size).
    if (candidate === undefined || compareEvictable({ privileged, cachedSize: size, id: 0 }, candidate) < 0) {
      return false;
    }
    this.evict(candidate);
    return true;
  }

  private evict(session: FetchSession): void {
    this.remove(session.id);
    this.evictions++;
  }
}

interface EvictableKey {
  readonly privileged: boolean;
  readonly cachedSize: number;
  readonly id: number;
}

/** Kafka's EvictableKey order: consumers' sessions before followers', then fewer partitions, then id. */
function compareEvictable(a: EvictableKey, b: EvictableKey): number {
  if (a.privileged !== b.privileged) return a.privileged ? 1 : -1;
  if (a.cachedSize !== b.cachedSize) return a.cachedSize - b.cachedSize;
  return a.id - b.id;
}
