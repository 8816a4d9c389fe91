import {
  ErrorCode,
  type FetchMetadata,
  FINAL_EPOCH,
  INVALID_SESSION_ID,
  isFullFetch,
  nextFetchEpoch,
} from '@samsa/protocol';
import type { Logger } from '../logger.js';
import type { RequestedPartition } from './cached-partition.js';
import {
  type FetchContext,
  FullFetchContext,
  IncrementalFetchContext,
  SessionErrorContext,
  SessionlessFetchContext,
} from './fetch-context.js';
import type { FetchSessionCache } from './fetch-session-cache.js';

export interface NewFetchContextRequest {
  readonly apiVersion: number;
  /** sessionId and sessionEpoch; LEGACY (0, -1) before Fetch v7. */
  readonly metadata: FetchMetadata;
  readonly isFromFollower: boolean;
  /** The request's partitions, in request order, by session key (see `sessionPartitionKey`). */
  readonly fetchData: ReadonlyMap<string, RequestedPartition>;
  /** `forgottenTopicsData`, as session keys. */
  readonly toForget: readonly string[];
  readonly nowMs: number;
}

/**
 * Decides how a Fetch request relates to the fetch session cache (Kafka's FetchManager):
 *
 * - full (epoch 0 or -1): any session named is closed first; epoch 0 then asks for a new one
 *   (FullFetchContext), epoch -1 gets none (SessionlessFetchContext);
 * - incremental (epoch > 0): the session must exist (else FETCH_SESSION_ID_NOT_FOUND), expect
 *   exactly this epoch (else INVALID_FETCH_SESSION_EPOCH) and use topic ids exactly when the
 *   request does (else FETCH_SESSION_TOPIC_ID_ERROR). The request's partitions and forgotten
 *   partitions are applied and the epoch moves on now, before the read, so a duplicate of this
 *   request is refused even while this one waits. A session left empty is closed, and the
 *   request answered without one.
 */
export class FetchManager {
  constructor(
    readonly cache: FetchSessionCache,
    private readonly logger?: Logger,
  ) {}

  newContext(request: NewFetchContextRequest): FetchContext {
    const { metadata, fetchData } = request;
    const usesTopicIds = request.apiVersion >= 13;
    if (isFullFetch(metadata)) {
      if (metadata.sessionId !== INVALID_SESSION_ID && this.cache.remove(metadata.sessionId) !== undefined) {
        this.logger?.debug(`Removed fetch session ${metadata.sessionId}.`);
      }
      return metadata.epoch === FINAL_EPOCH
        ? new SessionlessFetchContext(fetchData)
        : new FullFetchContext(fetchData, this.cache, usesTopicIds, request.isFromFollower);
    }
    const session = this.cache.get(metadata.sessionId);
    if (session === undefined) {
      this.logger?.debug(`Session error for ${metadata.sessionId}: no such session ID found.`);
      return new SessionErrorContext(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    }
    if (session.epoch !== metadata.epoch) {
      this.logger?.debug(
        `Session error for ${metadata.sessionId}: expected epoch ${session.epoch}, but got ${metadata.epoch} instead.`,
      );
      return new SessionErrorContext(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    }
    if (session.usesTopicIds !== usesTopicIds) {
      this.logger?.debug(
        `Session error for ${metadata.sessionId}: the session ${session.usesTopicIds ? 'uses' : 'does not use'} topic IDs, but request version ${request.apiVersion} ${usesTopicIds ? 'does' : 'does not'}.`,
      );
      return new SessionErrorContext(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    }
    const { added, updated, removed } = session.update(fetchData, request.toForget);
    if (session.size === 0) {
      this.logger?.debug(`Closing fetch session ${session.id}: no partitions left after removing ${removed}.`);
      this.cache.remove(session.id);
      return new SessionlessFetchContext(fetchData);
    }
    this.cache.touch(session, request.nowMs);
    session.epoch = nextFetchEpoch(session.epoch);
    this.logger?.debug(
      `Incremental fetch session ${session.id}, epoch ${session.epoch}: added ${added}, updated ${updated}, removed ${removed} partition(s).`,
    );
    return new IncrementalFetchContext(session, metadata.epoch);
  }
}
