import { ErrorCode } from '@samsa/protocol';

/** A partition in a share session: topic id and index, with the name it resolved to when added. */
export interface SharePartitionKey {
  readonly topicId: string;
  readonly partition: number;
}

/** ShareSessionEpoch 0 opens (or replaces) a session; -1 closes it (KIP-932). */
export const INITIAL_SHARE_SESSION_EPOCH = 0;
export const FINAL_SHARE_SESSION_EPOCH = -1;

export interface ShareSession {
  readonly groupId: string;
  readonly memberId: string;
  /** The epoch the next request must carry. */
  epoch: number;
  /** The partitions fetched on every request, by `topicId:partition`. */
  readonly partitions: Map<string, SharePartitionKey>;
  /** When a request last used it (to evict sessions of members that went away without closing). */
  lastUsedMs: number;
}

export type SessionUpdate =
  | {
      readonly ok: true;
      readonly session: ShareSession;
      /** The member's previous session (epoch 0 replaced it), or another member's idle one evicted to make room. */
      readonly replaced?: ShareSession;
      readonly closing: boolean;
    }
  | { readonly ok: false; readonly errorCode: number; readonly message: string };

export function partitionKeyOf(topicId: string, partition: number): string {
  return `${topicId}:${partition}`;
}

/**
 * The share sessions of this broker (Kafka's ShareSessionCache), one per group member: the set of
 * partitions it fetches, kept between ShareFetch requests so that a request names only what
 * changes (KIP-932, in the style of KIP-227's fetch sessions), and the epoch that orders them.
 * `group.share.max.share.sessions` bounds them.
 */
export class ShareSessions {
  private readonly sessions = new Map<string, ShareSession>();

  /**
   * @param idleEvictionMs a full cache makes room by evicting its least recently used session once
   *   it has been idle this long (a member that died without closing it: its session timeout has
   *   long passed by then).
   */
  constructor(
    private readonly maxSessions: number,
    private readonly idleEvictionMs = 120_000,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Applies a request's epoch and partitions to the member's session: epoch 0 opens a new one
   * (the old one, returned as `replaced`, is dropped), -1 marks it closing, any other must be the
   * session's current epoch, which then moves on. `added` join the session and `forgotten` leave
   * it; a ShareAcknowledge passes neither.
   */
  update(
    groupId: string,
    memberId: string,
    epoch: number,
    added: readonly SharePartitionKey[],
    forgotten: readonly SharePartitionKey[],
    nowMs = Date.now(),
  ): SessionUpdate {
    const key = `${groupId}\u0000${memberId}`;
    const existing = this.sessions.get(key);
    if (epoch === INITIAL_SHARE_SESSION_EPOCH) {
      let evicted: ShareSession | undefined;
      if (existing === undefined && this.sessions.size >= this.maxSessions) {
        evicted = this.evictIdle(nowMs);
        if (evicted === undefined) {
          return {
            ok: false,
            errorCode: ErrorCode.SHARE_SESSION_LIMIT_REACHED,
            message: 'The share session cache is full.',
          };
        }
      }
      const session: ShareSession = { groupId, memberId, epoch: 1, partitions: new Map(), lastUsedMs: nowMs };
      for (const p of added) session.partitions.set(partitionKeyOf(p.topicId, p.partition), p);
      // Re-inserted, so that the map's order is the order of use (the oldest first).
      this.sessions.delete(key);
      this.sessions.set(key, session);
      if (evicted !== undefined) return { ok: true, session, replaced: evicted, closing: false };
      return existing === undefined
        ? { ok: true, session, closing: false }
        : { ok: true, session, replaced: existing, closing: false };
    }
    if (existing === undefined) {
      return {
        ok: false,
        errorCode: ErrorCode.SHARE_SESSION_NOT_FOUND,
        message: `Share session for ${memberId} not found.`,
      };
    }
    if (epoch === FINAL_SHARE_SESSION_EPOCH) {
      this.sessions.delete(key);
      return { ok: true, session: existing, closing: true };
    }
    if (epoch !== existing.epoch) {
      return {
        ok: false,
        errorCode: ErrorCode.INVALID_SHARE_SESSION_EPOCH,
        message: `The share session epoch ${epoch} is not the expected ${existing.epoch}.`,
      };
    }
    existing.epoch = existing.epoch === 2147483647 ? 1 : existing.epoch + 1;
    existing.lastUsedMs = nowMs;
    this.sessions.delete(key);
    this.sessions.set(key, existing);
    for (const p of added) existing.partitions.set(partitionKeyOf(p.topicId, p.partition), p);
    for (const p of forgotten) existing.partitions.delete(partitionKeyOf(p.topicId, p.partition));
    return { ok: true, session: existing, closing: false };
  }

  /** The least recently used session, removed, when it has been idle for `idleEvictionMs`. */
  private evictIdle(nowMs: number): ShareSession | undefined {
    for (const [key, session] of this.sessions) {
      if (nowMs - session.lastUsedMs < this.idleEvictionMs) return undefined;
      this.sessions.delete(key);
      return session;
    }
    return undefined;
  }
}
