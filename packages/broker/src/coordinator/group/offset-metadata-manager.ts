import {
  type DeleteGroupsResponseDeletableGroupResultInput,
  ErrorCode,
  type OffsetCommitResponseTopicInput,
  type OffsetDeleteResponseInput,
  type OffsetFetchResponseGroupInput,
  type OffsetFetchResponsePartitionsInput,
  type OffsetFetchResponseTopicsInput,
} from '@samsa/protocol';
import type { ClassicGroup } from './classic-group.js';
import { validateMember } from './classic-group-membership.js';
import { type GroupCoordinatorConfig, offsetsRetentionMs } from './group-coordinator-config.js';
import { groupMetadataTombstone, offsetCommitRecord, offsetCommitTombstone } from './group-coordinator-record.js';
import { GroupState } from './group-state.js';
import type { OffsetAndMetadata, OffsetCommitData } from './offset-and-metadata.js';
import type { OperationEffects } from './operation-effects.js';

export interface OffsetCommitArgs {
  readonly groupId: string;
  /** -1 (with member id "") for commits outside group management (simple consumers, admin tools). */
  readonly generationIdOrMemberEpoch: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** OffsetCommit v2-v4 retention time; -1 means the broker's `offsets.retention.minutes`. */
  readonly retentionTimeMs: bigint;
  readonly topics: readonly OffsetCommitTopicArgs[];
  /**
   * The error for a commit with a generation to a group that does not exist: ILLEGAL_GENERATION
   * before OffsetCommit v9, GROUP_ID_NOT_FOUND from v9.
   */
  readonly unknownGroupErrorCode: number;
  /** The request's version; undefined: the latest. A consumer-protocol member must commit with v9+. */
  readonly apiVersion?: number;
}

export interface OffsetCommitTopicArgs {
  readonly name: string;
  readonly partitions: readonly {
    readonly partitionIndex: number;
    readonly committedOffset: bigint;
    readonly committedLeaderEpoch: number;
    /** OffsetCommit v1 only; -1 means "now". */
    readonly commitTimestamp: bigint;
    readonly committedMetadata: string | null;
  }[];
}

export interface TxnOffsetCommitArgs {
  readonly groupId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /**
   * TxnOffsetCommit v3+ (KIP-447): the consuming member's generation, id and instance id, checked
   * as OffsetCommit checks them when given. -1, "" and null before v3, and from producers that
   * do not pass their consumer's group metadata: such commits are accepted from any group.
   */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly TxnOffsetCommitTopicArgs[];
}

export interface TxnOffsetCommitTopicArgs {
  readonly name: string;
  readonly partitions: readonly {
    readonly partitionIndex: number;
    readonly committedOffset: bigint;
    /** TxnOffsetCommit v2+; -1 before. */
    readonly committedLeaderEpoch: number;
    readonly committedMetadata: string | null;
  }[];
}

/** Topics and partitions of an OffsetFetch; null topics means every committed partition. */
export type OffsetFetchTopicsArg =
  | readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[]
  | null;

export interface OffsetDeleteTopicArgs {
  readonly name: string;
  readonly partitions: readonly { readonly partitionIndex: number }[];
}

/** What the offset logic needs from its shard. */
export interface OffsetHost {
  readonly config: GroupCoordinatorConfig;
  group(groupId: string): ClassicGroup | undefined;
  allGroups(): ClassicGroup[];
  /** Resets the member's session deadline: a commit is a sign of life. */
  touchMember(effects: OperationEffects, group: ClassicGroup, memberId: string): void;
  /** Whether a KIP-848 consumer group of this id subscribes to the topic: its offsets there do not expire. */
  consumerGroupSubscribes(groupId: string, topic: string): boolean;
}

/**
 * Committed offsets: OffsetCommit and TxnOffsetCommit validation against the group's membership,
 * OffsetFetch, OffsetDelete, DeleteGroups and retention-based expiry. Offsets change only by
 * replaying the `OffsetCommit` records and tombstones produced here (and, for transactional
 * commits, the transaction's marker).
 *
 * Not reentrant; called only from the owning shard's operations.
 */
export class OffsetMetadataManager {
  constructor(private readonly host: OffsetHost) {}

  /** Answers every partition with `errorCode` (a commit refused before reaching the offsets). */
  refuse(topics: readonly CommitTopic[], errorCode: number): OffsetCommitResponseTopicInput[] {
    return respondAll(topics, () => errorCode);
  }

  commit(fx: OperationEffects, args: OffsetCommitArgs): OffsetCommitResponseTopicInput[] {
    const group = this.host.group(args.groupId);
    let error: number;
    if (group === undefined) {
      // A commit without group management creates a "simple" group (by replaying its records).
      error = args.generationIdOrMemberEpoch < 0 ? ErrorCode.NONE : args.unknownGroupErrorCode;
    } else {
      error = validateOffsetCommit(group, args.generationIdOrMemberEpoch, args.memberId, args.groupInstanceId, false);
    }
    if (error !== ErrorCode.NONE) return respondAll(args.topics, () => error);

    if (group !== undefined && (group.is(GroupState.Stable) || group.is(GroupState.PreparingRebalance))) {
      // Commits are allowed while preparing a rebalance: the member learns of the rebalance from
      // its next heartbeat.
      this.host.touchMember(fx, group, args.memberId);
    }
    const expireTimestampMs = args.retentionTimeMs === -1n ? undefined : fx.nowMs + Number(args.retentionTimeMs);
    return this.appendCommits(fx, args.groupId, args.topics, (partition) => ({
      committedOffset: partition.committedOffset,
      leaderEpoch: partition.committedLeaderEpoch,
      metadata: partition.committedMetadata ?? '',
      commitTimestampMs: partition.commitTimestamp === -1n ? fx.nowMs : Number(partition.commitTimestamp),
      expireTimestampMs,
    }));
  }

  /**
   * TxnOffsetCommit: the offsets are written as the producer's (the shard's operation appends
   * them as its transactional batch) and stay pending until its transaction ends. As in Kafka's
   * group coordinator: a commit without a generation to a group that does not exist creates a
   * simple group, one with a generation gets ILLEGAL_GENERATION; membership is checked only when
   * the request names a member or generation (v3+), any group state accepts the commit, and the
   * member's session is not extended.
   */
  commitTransactional(fx: OperationEffects, args: TxnOffsetCommitArgs): OffsetCommitResponseTopicInput[] {
    const group = this.host.group(args.groupId);
    let error: number;
    if (group === undefined) {
      error = args.generationId < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    } else {
      error = validateOffsetCommit(group, args.generationId, args.memberId, args.groupInstanceId, true);
    }
    if (error !== ErrorCode.NONE) return respondAll(args.topics, () => error);
    return this.appendCommits(fx, args.groupId, args.topics, (partition) => ({
      committedOffset: partition.committedOffset,
      leaderEpoch: partition.committedLeaderEpoch,
      metadata: partition.committedMetadata ?? '',
      commitTimestampMs: fx.nowMs,
      expireTimestampMs: undefined,
    }));
  }

  /**
   * Appends one OffsetCommit record per partition whose metadata fits `offset.metadata.max.bytes`
   * (OFFSET_METADATA_TOO_LARGE for the others, also if the append fails). Kafka measures the
   * metadata in UTF-16 code units (`String.length`), despite the config's name.
   */
  private appendCommits<T extends CommitTopic>(
    fx: OperationEffects,
    groupId: string,
    topics: readonly T[],
    offsetOf: (partition: T['partitions'][number]) => OffsetCommitData,
  ): OffsetCommitResponseTopicInput[] {
    const { offsetMetadataMaxBytes } = this.host.config;
    const tooLarge = (metadata: string | null): boolean =>
      metadata !== null && metadata.length > offsetMetadataMaxBytes;
    const response = respondAll(topics, (topic, partition) => {
      if (tooLarge(partition.committedMetadata)) return ErrorCode.OFFSET_METADATA_TOO_LARGE;
      fx.append(offsetCommitRecord(groupId, topic.name, partition.partitionIndex, offsetOf(partition)));
      return ErrorCode.NONE;
    });
    fx.onAppendFailure((_failure, errorCode) =>
      respondAll(topics, (_topic, partition) =>
        tooLarge(partition.committedMetadata) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : errorCode,
      ),
    );
    return response;
  }

  /**
   * The committed offsets of `groupId`. Partitions without a committed offset (and every partition
   * of an unknown group) answer offset -1 with no error, as Kafka does: the group may simply never
   * have committed. Pending transactional offsets are not visible; with `requireStable` (OffsetFetch
   * v7+) a partition that has one answers UNSTABLE_OFFSET_COMMIT, and the consumer retries once
   * the transaction ended. Fetching every partition (`topics` null) lists committed ones only.
   */
  fetch(groupId: string, topics: OffsetFetchTopicsArg, requireStable: boolean): OffsetFetchResponseGroupInput {
    const group = this.host.group(groupId);
    const partitionResponse = (topic: string, partitionIndex: number): OffsetFetchResponsePartitionsInput => {
      if (requireStable && group !== undefined && this.hasPendingTransactionalOffsets(group, topic, partitionIndex)) {
        return {
          partitionIndex,
          committedOffset: -1n,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT,
        };
      }
      const offset = group?.offset(topic, partitionIndex);
      if (offset === undefined) {
        return {
          partitionIndex,
          committedOffset: -1n,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: ErrorCode.NONE,
        };
      }
      return {
        partitionIndex,
        committedOffset: offset.committedOffset,
        committedLeaderEpoch: offset.leaderEpoch,
        metadata: offset.metadata,
        errorCode: ErrorCode.NONE,
      };
    };
    let responseTopics: OffsetFetchResponseTopicsInput[];
    if (topics === null) {
      responseTopics = [];
      for (const [topic, partitions] of group?.allOffsets() ?? []) {
        responseTopics.push({
          name: topic,
          partitions: [...partitions.keys()].map((p) => partitionResponse(topic, p)),
        });
      }
    } else {
      responseTopics = topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => partitionResponse(t.name, p)),
      }));
    }
    return { groupId, errorCode: ErrorCode.NONE, topics: responseTopics };
  }

  private hasPendingTransactionalOffsets(group: ClassicGroup, topic: string, partition: number): boolean {
    return group.pendingTransactionalOffsets.has(topic, partition);
  }

  /**
   * OffsetDelete: an Empty group loses any offset; a consumer group with members only those of
   * topics none of its members subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise); other groups
   * with members refuse (NON_EMPTY_GROUP). A partition's tombstone deletes its pending
   * transactional offsets too, so one is written when there is either.
   */
  deleteOffsets(
    fx: OperationEffects,
    groupId: string,
    topics: readonly OffsetDeleteTopicArgs[],
  ): OffsetDeleteResponseInput {
    const group = this.host.group(groupId);
    if (group === undefined || group.is(GroupState.Dead))
      return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    if (!group.is(GroupState.Empty) && !group.isConsumerGroup())
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const checkSubscription = !group.is(GroupState.Empty);
    const responseTopics = topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => {
        if (checkSubscription && group.isSubscribedToTopic(topic.name)) {
          return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        }
        if (
          group.offset(topic.name, partitionIndex) !== undefined ||
          this.hasPendingTransactionalOffsets(group, topic.name, partitionIndex)
        ) {
          fx.append(offsetCommitTombstone(groupId, topic.name, partitionIndex));
        }
        return { partitionIndex, errorCode: ErrorCode.NONE };
      }),
    }));
    fx.onAppendFailure((_failure, errorCode) => ({ errorCode, topics: [] }));
    return { errorCode: ErrorCode.NONE, topics: responseTopics };
  }

  /**
   * DeleteGroups: only Empty groups; their offsets (committed or pending) and then the group
   * itself get tombstones. Pending transactional offsets do not keep a group from being deleted,
   * as in Kafka: the transaction's marker then finds nothing to commit.
   */
  deleteGroups(fx: OperationEffects, groupIds: readonly string[]): DeleteGroupsResponseDeletableGroupResultInput[] {
    const results = groupIds.map((groupId) => {
      const group = this.host.group(groupId);
      if (group === undefined || group.is(GroupState.Dead)) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
      if (!group.is(GroupState.Empty)) return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
      this.appendGroupTombstones(fx, group);
      return { groupId, errorCode: ErrorCode.NONE };
    });
    fx.onAppendFailure((_failure, errorCode) => groupIds.map((groupId) => ({ groupId, errorCode })));
    return results;
  }

  /**
   * Writes tombstones for the expired offsets of every group, and for every Empty group left with
   * no offsets. When an offset expires (Kafka's KIP-211 rules):
   * - an offset committed with an explicit retention time (OffsetCommit v2-v4): at that time;
   * - a group with a protocol type that is Empty: retention after the group became Empty (or
   *   after the commit, for groups stored without a state timestamp);
   * - a Stable consumer group: retention after the commit, for topics no member subscribes to;
   * - a simple group (no protocol type): retention after the commit;
   * - otherwise never (a rebalancing group, or members whose subscriptions are unknown).
   * An offset with a transactional commit pending does not expire, and a group with any pending
   * transactional offset is not deleted, until the transaction ends.
   */
  expireOffsets(fx: OperationEffects): void {
    const retentionMs = offsetsRetentionMs(this.host.config);
    for (const group of this.host.allGroups()) {
      const base = expirationBase(group);
      let allExpired = true;
      if (base !== undefined) {
        for (const [topic, partitions] of [...group.allOffsets()]) {
          if (group.isSubscribedToTopic(topic) || this.host.consumerGroupSubscribes(group.groupId, topic)) {
            allExpired = false;
            continue;
          }
          for (const [partition, offset] of [...partitions]) {
            const expired =
              offset.expireTimestampMs !== undefined
                ? fx.nowMs >= offset.expireTimestampMs
                : fx.nowMs - base(offset) >= retentionMs;
            if (expired && !this.hasPendingTransactionalOffsets(group, topic, partition)) {
              fx.append(offsetCommitTombstone(group.groupId, topic, partition));
            } else {
              allExpired = false;
            }
          }
        }
      } else if (group.hasOffsets()) {
        allExpired = false;
      }
      if (allExpired && group.is(GroupState.Empty) && group.pendingTransactionalOffsets.isEmpty()) {
        fx.append(groupMetadataTombstone(group.groupId));
      }
    }
  }

  private appendGroupTombstones(fx: OperationEffects, group: ClassicGroup): void {
    // Partitions with only a pending offset get a tombstone too (one per partition is enough).
    const pendingOnly = group.pendingTransactionalOffsets
      .partitions()
      .filter(([topic, partition]) => group.offset(topic, partition) === undefined);
    for (const [topic, partitions] of [...group.allOffsets()]) {
      for (const partition of [...partitions.keys()]) fx.append(offsetCommitTombstone(group.groupId, topic, partition));
    }
    for (const [topic, partition] of pendingOnly) fx.append(offsetCommitTombstone(group.groupId, topic, partition));
    fx.append(groupMetadataTombstone(group.groupId));
  }
}

/**
 * Who may commit offsets to an existing group (Kafka's ClassicGroup.validateOffsetCommit). A
 * transactional commit without member or generation is accepted from any group: TxnOffsetCommit
 * before v3 cannot carry them. Nor is it refused during CompletingRebalance: the group's state is
 * not enforced for transactional commits.
 */
function validateOffsetCommit(
  group: ClassicGroup,
  generationId: number,
  memberId: string,
  groupInstanceId: string | null,
  isTransactional: boolean,
): number {
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (generationId < 0 && group.is(GroupState.Empty)) return ErrorCode.NONE;
  if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
    const memberError = validateMember(group, memberId, groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!isTransactional && !group.is(GroupState.Empty)) {
    // Once a group has members, only they may commit.
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  // The member has its new generation from JoinGroup but no assignment yet: it must not commit
  // for partitions it may not own; it retries once SyncGroup completes.
  if (!isTransactional && group.is(GroupState.CompletingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS;
  return ErrorCode.NONE;
}

/** The timestamp retention counts from, or undefined when the group's offsets do not expire now. */
function expirationBase(group: ClassicGroup): ((offset: OffsetAndMetadata) => number) | undefined {
  if (group.protocolType === undefined) return (offset) => offset.commitTimestampMs;
  if (group.is(GroupState.Empty)) {
    const emptySinceMs = group.currentStateTimestampMs;
    return (offset) => emptySinceMs ?? offset.commitTimestampMs;
  }
  if (group.isConsumerGroup() && group.subscribedTopics !== undefined && group.is(GroupState.Stable)) {
    return (offset) => offset.commitTimestampMs;
  }
  return undefined;
}

/** The topics of an OffsetCommit or TxnOffsetCommit, as far as writing them is concerned. */
interface CommitTopic {
  readonly name: string;
  readonly partitions: readonly { readonly partitionIndex: number; readonly committedMetadata: string | null }[];
}

function respondAll<T extends CommitTopic>(
  topics: readonly T[],
  errorFor: (topic: T, partition: T['partitions'][number]) => number,
): OffsetCommitResponseTopicInput[] {
  return topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((partition) => ({
      partitionIndex: partition.partitionIndex,
      errorCode: errorFor(topic, partition),
    })),
  }));
}
