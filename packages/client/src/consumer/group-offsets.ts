import { ErrorCode, KafkaError, OffsetCommitApi } from '@samsa/protocol';
import type { TopicPartition } from '../common/topic-partition.js';
import type { ConsumerConfig } from '../config/client-config.js';
import type { Connection } from '../connection/connection.js';
import { sleep } from '../connection/connection-pool.js';
import { fetchGroupOffsets, withoutErrorCode } from '../metadata/offset-fetch.js';

export interface CommitEntry extends TopicPartition {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface CommittedOffset extends TopicPartition {
  /** -1n when the group has no offset for the partition. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

/** Errors meaning the group coordinator moved or cannot be reached: find it again and retry. */
export const COORDINATOR_MOVED: ReadonlySet<number> = new Set<number>([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.REQUEST_TIMED_OUT,
]);

/** Who commits: the member fields of an OffsetCommit request. */
export interface CommitMember {
  /** The classic protocol's generation, or the consumer protocol's member epoch; -1 for a simple commit. */
  readonly generationIdOrMemberEpoch: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** What a group membership (classic or consumer protocol) lends to the offset requests. */
export interface GroupOffsetsContext {
  readonly config: ConsumerConfig;
  readonly groupId: string;
  connection(signal?: AbortSignal): Promise<Connection>;
  markCoordinatorUnknown(): void;
  /** The member fields for the next OffsetCommit (a simple commit's when partitions are assigned manually). */
  commitMember(): CommitMember;
  /** Partition errors saying the commit's generation or epoch is not the group's: not retried here. */
  readonly membershipErrors: ReadonlySet<number>;
  /**
   * Called with such an error: the membership decides whether it is lost. True: retry the commit
   * (after the backoff, with the member fields as they are then); false: commit throws the error.
   */
  onMembershipError(errorCode: number, sent: CommitMember): boolean;
}

/**
 * Commits offsets in one OffsetCommit, retrying retriable errors with backoff until
 * `default.api.timeout.ms`. Membership errors are not retried: the group moved on (Java's
 * CommitFailedException), and the membership is told before the error is thrown.
 */
export async function commitGroupOffsets(
  ctx: GroupOffsetsContext,
  entries: readonly CommitEntry[],
  signal?: AbortSignal,
): Promise<void> {
  if (entries.length === 0) return;
  const deadline = Date.now() + ctx.config.defaultApiTimeoutMs;
  let backoffMs = ctx.config.retryBackoffMs;
  const grouped = new Map<string, CommitEntry[]>();
  for (const e of entries) grouped.set(e.topic, [...(grouped.get(e.topic) ?? []), e]);
  for (;;) {
    let retry: KafkaError | undefined;
    const member = ctx.commitMember();
    try {
      const connection = await ctx.connection(signal);
      const response = await connection.request(OffsetCommitApi, {
        groupId: ctx.groupId,
        ...member,
        topics: [...grouped].map(([name, list]) => ({
          name,
          partitions: list.map((e) => ({
            partitionIndex: e.partition,
            committedOffset: e.offset,
            committedLeaderEpoch: e.leaderEpoch,
            committedMetadata: e.metadata,
          })),
        })),
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode === 0) continue;
          const error = new KafkaError(p.errorCode, `OffsetCommit ${t.name}-${p.partitionIndex}`);
          if (ctx.membershipErrors.has(p.errorCode)) {
            if (!ctx.onMembershipError(p.errorCode, member)) throw error;
            retry = error;
            continue;
          }
          if (COORDINATOR_MOVED.has(p.errorCode)) ctx.markCoordinatorUnknown();
          if (error.retriable) retry = error;
          else throw error;
        }
      }
    } catch (error) {
      if (!(error instanceof KafkaError) || !error.retriable || ctx.membershipErrors.has(error.errorCode)) throw error;
      ctx.markCoordinatorUnknown();
      retry = error;
    }
    if (retry === undefined) return;
    if (Date.now() + backoffMs > deadline) throw retry;
    await sleep(backoffMs, signal);
    backoffMs = Math.min(backoffMs * 2, ctx.config.retryBackoffMaxMs);
  }
}

/** The group's committed offsets for `partitions` (requireStable: waits out pending transactional commits). */
export async function fetchCommittedOffsets(
  ctx: GroupOffsetsContext,
  partitions: readonly TopicPartition[],
  signal?: AbortSignal,
): Promise<CommittedOffset[]> {
  if (partitions.length === 0) return [];
  const deadline = Date.now() + ctx.config.defaultApiTimeoutMs;
  let backoffMs = ctx.config.retryBackoffMs;
  for (;;) {
    let error: KafkaError | undefined;
    try {
      const connection = await ctx.connection(signal);
      const fetched = await fetchGroupOffsets(
        connection,
        ctx.groupId,
        partitions,
        true,
        signal === undefined ? {} : { signal },
      );
      if (fetched === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'OffsetFetch returned no group');
      if (fetched.errorCode !== 0) throw new KafkaError(fetched.errorCode, `OffsetFetch ${ctx.groupId}`);
      const out: CommittedOffset[] = [];
      for (const p of fetched.partitions) {
        if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetFetch ${p.topic}-${p.partition}`);
        out.push(withoutErrorCode(p));
      }
      return out;
    } catch (caught) {
      if (
        !(caught instanceof KafkaError) ||
        !(caught.retriable || caught.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT)
      )
        throw caught;
      if (COORDINATOR_MOVED.has(caught.errorCode)) ctx.markCoordinatorUnknown();
      error = caught;
    }
    if (Date.now() + backoffMs > deadline) throw error;
    await sleep(backoffMs, signal);
    backoffMs = Math.min(backoffMs * 2, ctx.config.retryBackoffMaxMs);
  }
}
