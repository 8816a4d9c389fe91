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
}

export type SessionUpdate =
  | { readonly ok: true; readonly session: ShareSession; readonly replaced?: ShareSession; readonly closing: boolean }
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

  constructor(private readonly maxSessions: number) {}

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
  ): SessionUpdate {
    const key = `${groupId}\u0000${memberId}`;
    const existing = this.sessions.get(key);
    if (epoch === INITIAL_SHARE_SESSION_EPOCH) {
      if (existing === undefined && this.sessions.size >= this.maxSessions) {
        return {
          ok: false,
          errorCode: ErrorCode.SHARE_SESSION_LIMIT_REACHED,
          message: 'The share session cache is full.',
        };
      }
      const session: ShareSession = { groupId, memberId, epoch: 1, partitions: new Map() };
      for (const p of added) session.partitions.set(partitionKeyOf(p.topicId, p.partition), p);
      this.sessions.set(key, session);
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
    for (const p of added) existing.partitions.set(partitionKeyOf(p.topicId, p.partition), p);
    for (const p of forgotten) existing.partitions.delete(partitionKeyOf(p.topicId, p.partition));
    return { ok: true, session: existing, closing: false };
  }
}
