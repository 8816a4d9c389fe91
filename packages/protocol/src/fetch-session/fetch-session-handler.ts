import { ErrorCode } from '../errors/error-codes.js';
import type {
  FetchRequestFetchTopicInput,
  FetchRequestForgottenTopicInput,
  FetchResponseFetchableTopicResponse,
} from '../generated/fetch.js';
import { ZERO_UUID } from '../primitives/uuid.js';
import {
  type FetchMetadata,
  FINAL_EPOCH,
  INITIAL_EPOCH,
  INITIAL_FETCH_METADATA,
  INVALID_SESSION_ID,
  isFullFetch,
  nextFetchEpoch,
} from './fetch-metadata.js';

/** What a fetcher asks of one partition; two values are the same request when every field is equal. */
export interface SessionPartitionData {
  /** ZERO_UUID when the fetcher does not know the topic's id. */
  readonly topicId: string;
  readonly fetchOffset: bigint;
  /** A follower's own log start offset; -1 for consumers. */
  readonly logStartOffset: bigint;
  readonly partitionMaxBytes: number;
  readonly currentLeaderEpoch: number;
  readonly lastFetchedEpoch: number;
}

export interface SessionPartition {
  readonly topic: string;
  readonly partition: number;
  readonly data: SessionPartitionData;
}

/** One Fetch request's worth of session state, from `FetchSessionHandler.Builder.build()`. */
export interface FetchRequestPlan {
  readonly metadata: FetchMetadata;
  /** The partitions to put in the request: all of them for a full fetch, else added and changed ones. */
  readonly toSend: readonly SessionPartition[];
  /** Partitions to name in `forgottenTopicsData`: left the session (incremental fetches only). */
  readonly toForget: readonly ForgottenPartition[];
  /**
   * Partitions whose topic id changed (the topic was recreated): sent again, and at v13+ (where
   * the broker keys partitions by id) also forgotten under their old id.
   */
  readonly toReplace: readonly ForgottenPartition[];
  /** Every partition of the session after this request, by `topicPartitionKey`. */
  readonly sessionPartitions: ReadonlyMap<string, SessionPartition>;
  /** Whether every partition has a topic id, so the request may be sent at Fetch v13+. */
  readonly canUseTopicIds: boolean;
}

export interface ForgottenPartition {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * The fetching side of incremental fetch sessions (KIP-227), Kafka's `FetchSessionHandler`: one
 * per broker fetched from. Each round a fetcher lists every partition it wants now, with its
 * current fetch position; the handler turns that into either a full request (no session yet,
 * or recovering from an error) or an incremental one carrying only partitions that are new or
 * whose request data changed, plus the partitions that left (`forgottenTopicsData`). The broker
 * keeps the rest as they were and answers only partitions with something new.
 *
 * Sans-io and synchronous: the caller sends the request and reports the answer or the failure
 * with `handleResponse`/`handleError`, which decide the next request's session id and epoch.
 * Not reentrant: one request in flight per handler.
 */
export class FetchSessionHandler {
  private next: FetchMetadata = INITIAL_FETCH_METADATA;
  private session = new Map<string, SessionPartition>();
  /** Topic id → name for the session's topics, to read v13+ responses; empty when ids are not all known. */
  private topicNames = new Map<string, string>();
  /** Why the last response was refused, for the caller's log. */
  lastProblem: string | undefined;

  /** The session id and epoch the next request will carry. */
  get nextMetadata(): FetchMetadata {
    return this.next;
  }

  /** The session's partitions as of the last `build()`. */
  get sessionPartitions(): ReadonlyMap<string, SessionPartition> {
    return this.session;
  }

  /** The topic name of a response topic: by name below v13, by id from v13. */
  topicNameOf(topic: FetchResponseFetchableTopicResponse, version: number): string | undefined {
    return version >= 13 ? this.topicNames.get(topic.topicId) : topic.topic;
  }

  newBuilder(): FetchRequestBuilder {
    return new FetchRequestBuilder((wanted) => this.build(wanted));
  }

  private build(wanted: Map<string, SessionPartition>): FetchRequestPlan {
    const names = new Map<string, string>();
    let canUseTopicIds = true;
    for (const p of wanted.values()) {
      if (p.data.topicId === ZERO_UUID) canUseTopicIds = false;
      else if (!names.has(p.data.topicId)) names.set(p.data.topicId, p.topic);
    }
    if (isFullFetch(this.next)) {
      this.session = wanted;
      this.topicNames = canUseTopicIds ? names : new Map();
      return {
        metadata: this.next,
        toSend: [...wanted.values()],
        toForget: [],
        toReplace: [],
        sessionPartitions: this.session,
        canUseTopicIds,
      };
    }
    // `wanted` is consumed as we go: what is left of it at the end is what the session lacks.
    // Changed partitions move to the end of the session's order, as in Kafka.
    const changed: SessionPartition[] = [];
    const toForget: ForgottenPartition[] = [];
    const toReplace: ForgottenPartition[] = [];
    for (const [key, previous] of [...this.session]) {
      const current = wanted.get(key);
      wanted.delete(key);
      if (current === undefined) {
        this.session.delete(key);
        toForget.push({ topic: previous.topic, topicId: previous.data.topicId, partition: previous.partition });
        if (previous.data.topicId === ZERO_UUID) canUseTopicIds = false;
      } else if (!samePartitionData(previous.data, current.data)) {
        const oldId = previous.data.topicId;
        if (oldId !== current.data.topicId && oldId !== ZERO_UUID && current.data.topicId !== ZERO_UUID) {
          toReplace.push({ topic: previous.topic, topicId: oldId, partition: previous.partition });
        }
        this.session.delete(key);
        this.session.set(key, current);
        changed.push(current);
      }
    }
    const added = [...wanted.values()];
    for (const p of added) this.session.set(topicPartitionKey(p.topic, p.partition), p);
    this.topicNames = canUseTopicIds ? names : new Map();
    return {
      metadata: this.next,
      toSend: [...added, ...changed],
      toForget,
      toReplace,
      sessionPartitions: this.session,
      canUseTopicIds,
    };
  }

  /**
   * Takes the broker's answer to the last request built. Returns false when the response cannot
   * be used (a session error, or partitions that do not match the session): its partition data
   * must then be ignored, and the next request is a full one.
   */
  handleResponse(
    response: {
      readonly errorCode: number;
      readonly sessionId: number;
      readonly responses: readonly FetchResponseFetchableTopicResponse[];
    },
    version: number,
  ): boolean {
    this.lastProblem = undefined;
    if (response.errorCode !== ErrorCode.NONE) {
      this.lastProblem = `error code ${response.errorCode} for session ${describe(this.next)}`;
      // An unknown session: start over. Anything else (an epoch out of step, a topic id
      // mismatch): close the session with a sessionless full fetch, then start a new one.
      this.next =
        response.errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND
          ? INITIAL_FETCH_METADATA
          : { sessionId: this.next.sessionId, epoch: FINAL_EPOCH };
      return false;
    }
    const received = new Set<string>();
    const unknown: string[] = [];
    for (const topic of response.responses) {
      const name = this.topicNameOf(topic, version);
      for (const p of topic.partitions) {
        if (name === undefined) unknown.push(`${topic.topicId}:${p.partitionIndex}`);
        else received.add(topicPartitionKey(name, p.partitionIndex));
      }
    }
    const extra = [...received].filter((key) => !this.session.has(key)).concat(unknown);
    if (isFullFetch(this.next)) {
      const omitted = [...this.session.keys()].filter((key) => !received.has(key));
      if (extra.length > 0 || omitted.length > 0) {
        this.lastProblem = `full fetch response with omitted partitions (${omitted.join(', ')}), extra partitions (${extra.join(', ')})`;
        this.next = INITIAL_FETCH_METADATA;
        return false;
      }
      this.next =
        response.sessionId === INVALID_SESSION_ID
          ? INITIAL_FETCH_METADATA
          : { sessionId: response.sessionId, epoch: nextFetchEpoch(INITIAL_EPOCH) };
      return true;
    }
    if (extra.length > 0) {
      this.lastProblem = `incremental fetch response with extra partitions (${extra.join(', ')})`;
      this.next = { sessionId: this.next.sessionId, epoch: FINAL_EPOCH };
      return false;
    }
    this.next =
      response.sessionId === INVALID_SESSION_ID
        ? INITIAL_FETCH_METADATA
        : { sessionId: this.next.sessionId, epoch: nextFetchEpoch(this.next.epoch) };
    return true;
  }

  /** The request failed without an answer (connection lost, timeout): replace the session. */
  handleError(): void {
    this.next = { sessionId: this.next.sessionId, epoch: INITIAL_EPOCH };
  }
}

/** Collects the partitions one request wants, in the order given. */
export class FetchRequestBuilder {
  private readonly wanted = new Map<string, SessionPartition>();

  constructor(private readonly finish: (wanted: Map<string, SessionPartition>) => FetchRequestPlan) {}

  add(topic: string, partition: number, data: SessionPartitionData): this {
    this.wanted.set(topicPartitionKey(topic, partition), { topic, partition, data });
    return this;
  }

  /** Decides what the request carries and records it as the session's new state. */
  build(): FetchRequestPlan {
    return this.finish(this.wanted);
  }
}

/**
 * The `topics` and `forgottenTopicsData` of a Fetch request for a plan, with topic names (v12 and
 * below) or ids (v13+); consecutive partitions of a topic share one entry.
 */
export function fetchRequestTopics(
  plan: FetchRequestPlan,
  version: number,
): { topics: FetchRequestFetchTopicInput[]; forgottenTopicsData: FetchRequestForgottenTopicInput[] } {
  const topics: FetchRequestFetchTopicInput[] = [];
  let last: { topic: string; partitions: NonNullable<FetchRequestFetchTopicInput['partitions']> } | undefined;
  for (const p of plan.toSend) {
    if (last === undefined || last.topic !== p.topic) {
      last = { topic: p.topic, partitions: [] };
      topics.push(version >= 13 ? { topicId: p.data.topicId, partitions: last.partitions } : last);
    }
    last.partitions.push({
      partition: p.partition,
      currentLeaderEpoch: p.data.currentLeaderEpoch,
      fetchOffset: p.data.fetchOffset,
      lastFetchedEpoch: p.data.lastFetchedEpoch,
      logStartOffset: p.data.logStartOffset,
      partitionMaxBytes: p.data.partitionMaxBytes,
    });
  }
  const forgotten = new Map<string, FetchRequestForgottenTopicInput & { partitions: number[] }>();
  for (const p of version >= 13 ? [...plan.toForget, ...plan.toReplace] : plan.toForget) {
    const key = version >= 13 ? p.topicId : p.topic;
    let entry = forgotten.get(key);
    if (entry === undefined) {
      entry = version >= 13 ? { topicId: p.topicId, partitions: [] } : { topic: p.topic, partitions: [] };
      forgotten.set(key, entry);
    }
    entry.partitions.push(p.partition);
  }
  return { topics, forgottenTopicsData: [...forgotten.values()] };
}

function samePartitionData(a: SessionPartitionData, b: SessionPartitionData): boolean {
  return (
    a.topicId === b.topicId &&
    a.fetchOffset === b.fetchOffset &&
    a.logStartOffset === b.logStartOffset &&
    a.partitionMaxBytes === b.partitionMaxBytes &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.lastFetchedEpoch === b.lastFetchedEpoch
  );
}

function describe(metadata: FetchMetadata): string {
  return `(sessionId=${metadata.sessionId}, epoch=${metadata.epoch})`;
}
