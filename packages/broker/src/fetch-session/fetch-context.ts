import { ErrorCode, INVALID_SESSION_ID, nextFetchEpoch } from '@samsa/protocol';
import type { FetchPartitionResult } from '../replica/replica-manager.js';
import { CachedPartition, type RequestedPartition } from './cached-partition.js';
import type { FetchSession } from './fetch-session.js';
import type { FetchSessionCache } from './fetch-session-cache.js';

/** One partition of a Fetch response, with the request entry it answers. */
export interface FetchContextPartition {
  readonly requested: RequestedPartition;
  readonly result: FetchPartitionResult;
}

/** What goes in a Fetch response besides the per-partition data (Kafka's FetchResponse.of). */
export interface FetchContextResponse {
  readonly errorCode: number;
  readonly sessionId: number;
  readonly partitions: readonly FetchContextPartition[];
}

/**
 * How one Fetch request relates to fetch sessions (Kafka's FetchContext): which partitions to
 * read, and, once they are read, which go in the response and under what session id.
 *
 * `partitions` is fixed when the context is created; `respond` is called once, after the read
 * (which may have waited in a delayed fetch), with a result for every one of `partitions`, by key.
 */
export interface FetchContext {
  readonly partitions: ReadonlyMap<string, RequestedPartition>;
  respond(results: ReadonlyMap<string, FetchPartitionResult>, nowMs: number): FetchContextResponse;
}

/** A request refused as a whole: an unknown session, an epoch out of step, a topic id mismatch. */
export class SessionErrorContext implements FetchContext {
  readonly partitions: ReadonlyMap<string, RequestedPartition> = new Map();

  constructor(readonly errorCode: number) {}

  respond(): FetchContextResponse {
    return { errorCode: this.errorCode, sessionId: INVALID_SESSION_ID, partitions: [] };
  }
}

/** A full fetch without a session (epoch -1, or a session emptied by its last request). */
export class SessionlessFetchContext implements FetchContext {
  constructor(readonly partitions: ReadonlyMap<string, RequestedPartition>) {}

  respond(results: ReadonlyMap<string, FetchPartitionResult>): FetchContextResponse {
    return {
      errorCode: ErrorCode.NONE,
      sessionId: INVALID_SESSION_ID,
      partitions: everyPartition(this.partitions, results),
    };
  }
}

/**
 * A full fetch asking for a session (epoch 0): answered in full, and the answer seeds a new
 * session with what each partition was told — unless the cache has no room (session id 0).
 */
export class FullFetchContext implements FetchContext {
  constructor(
    readonly partitions: ReadonlyMap<string, RequestedPartition>,
    private readonly cache: FetchSessionCache,
    private readonly usesTopicIds: boolean,
    private readonly isFromFollower: boolean,
  ) {}

  respond(results: ReadonlyMap<string, FetchPartitionResult>, nowMs: number): FetchContextResponse {
    const partitions = everyPartition(this.partitions, results);
    const sessionId = this.cache.maybeCreateSession(
      nowMs,
      this.isFromFollower,
      partitions.length,
      this.usesTopicIds,
      () => {
        const cached = new Map<string, CachedPartition>();
        for (const [key, p] of this.partitions) {
          const entry = new CachedPartition(p.topicId, p.topic, p.partition, p.data);
          const result = results.get(key);
          if (result !== undefined) entry.maybeUpdateResponseData(result, true);
          cached.set(key, entry);
        }
        return cached;
      },
    );
    return { errorCode: ErrorCode.NONE, sessionId, partitions };
  }
}

/**
 * An incremental fetch (epoch > 0) of an existing session: every partition of the session is
 * read, and the response carries only those with something the fetcher has not been told.
 */
export class IncrementalFetchContext implements FetchContext {
  readonly partitions: ReadonlyMap<string, RequestedPartition>;

  constructor(
    private readonly session: FetchSession,
    /** The epoch the request carried; the session has moved on to its successor. */
    private readonly requestEpoch: number,
  ) {
    // A snapshot: the response is generated from the partitions read, whatever happens to the
    // session while the fetch waits.
    this.partitions = new Map(session.partitions);
  }

  respond(results: ReadonlyMap<string, FetchPartitionResult>): FetchContextResponse {
    const session = this.session;
    // Another request of the same session got in while this one waited (a retry on a second
    // connection): this answer must not change what the session believes the fetcher knows.
    if (session.epoch !== nextFetchEpoch(this.requestEpoch)) {
      return { errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: session.id, partitions: [] };
    }
    const partitions: FetchContextPartition[] = [];
    for (const [key, requested] of this.partitions) {
      const result = results.get(key);
      const cached = session.partitions.get(key);
      if (result === undefined || cached === undefined) continue;
      if (!cached.maybeUpdateResponseData(result, true)) continue;
      partitions.push({ requested, result });
      if (result.records.length > 0) session.moveToEnd(key, cached);
    }
    return { errorCode: ErrorCode.NONE, sessionId: session.id, partitions };
  }
}

function everyPartition(
  requested: ReadonlyMap<string, RequestedPartition>,
  results: ReadonlyMap<string, FetchPartitionResult>,
): FetchContextPartition[] {
  const partitions: FetchContextPartition[] = [];
  for (const [key, p] of requested) {
    const result = results.get(key);
    if (result === undefined) throw new Error(`no fetch result for ${key}`);
    partitions.push({ requested: p, result });
  }
  return partitions;
}
