import { randomUUID } from 'node:crypto';
import {
  type ConsumerGroupDescribeResponseDescribedGroupInput,
  type ConsumerGroupHeartbeatResponseInput,
  type DeleteGroupsResponseDeletableGroupResultInput,
  type DescribeGroupsResponseDescribedGroupInput,
  ErrorCode,
  type HeartbeatResponseInput,
  type JoinGroupResponseInput,
  type LeaveGroupResponseInput,
  type ListGroupsResponseListedGroupInput,
  type OffsetCommitResponseTopicInput,
  type OffsetDeleteResponseInput,
  type OffsetFetchResponseGroupInput,
  type ShareGroupDescribeResponseDescribedGroupInput,
  type ShareGroupHeartbeatResponseInput,
  type SyncGroupResponseInput,
} from '@samsa/protocol';
import type {
  CoordinatorLogEntry,
  CoordinatorRecord,
  TransactionalProducer,
  TransactionResult,
} from '../coordinator-log.js';
import { ClassicGroup } from './classic-group.js';
import {
  ClassicGroupMembership,
  type HeartbeatArgs,
  type JoinGroupArgs,
  type LeavingMember,
  type MembershipHost,
  type SyncGroupArgs,
} from './classic-group-membership.js';
import { ClassicGroupRebalance } from './classic-group-rebalance.js';
import type { ConsumerGroupHeartbeatArgs } from './consumer/consumer-group-heartbeat.js';
import { ConsumerGroups, type ConsumerGroupsSnapshot } from './consumer/consumer-groups.js';
import type { TopicsView } from './consumer/topics-view.js';
import { type GroupCoordinatorConfig, shareGroupTimings } from './group-coordinator-config.js';
import { decodeGroupCoordinatorRecord, groupMetadataTombstone } from './group-coordinator-record.js';
import { GroupState } from './group-state.js';
import { offsetAndMetadataFromRecord } from './offset-and-metadata.js';
import {
  type OffsetCommitArgs,
  type OffsetDeleteTopicArgs,
  type OffsetFetchTopicsArg,
  type OffsetHost,
  OffsetMetadataManager,
  type TxnOffsetCommitArgs,
} from './offset-metadata-manager.js';
import { OpenTransactions } from './open-transactions.js';
import { OperationEffects } from './operation-effects.js';
import type { Completion, FailedOperation, PendingOperation, Responder } from './operation-result.js';
import { type ShareGroupHeartbeatArgs, ShareGroups } from './share/share-groups.js';

/** The group type ListGroups v5+ reports for classic groups (KIP-848's `GroupType.CLASSIC`). */
export const CLASSIC_GROUP_TYPE = 'classic';

/** Bounds the timers fired by one operation, so that a timer rescheduling itself at "now" cannot spin forever. */
const MAX_TIMERS_PER_OPERATION = 10_000;

export interface GroupCoordinatorShardOptions {
  /** Member ids are `<client id>-<uuid>`; tests inject a predictable sequence. */
  readonly generateUuid?: () => string;
}

/** Where a replayed record comes from, beyond its bytes. */
export interface ReplayContext {
  /** Its log offset, when known (loading). */
  readonly offset?: number | undefined;
  /** Set when it came in a transactional batch: the offsets it commits stay pending until this producer's marker. */
  readonly transactionalProducerId?: number | undefined;
}

interface ShardSnapshot {
  /** The groups the operation may touch, copied; undefined for groups that did not exist. */
  readonly groups: ReadonlyMap<string, ClassicGroup | undefined>;
  /** True when `groups` holds every group: restoring replaces the whole map. */
  readonly all: boolean;
  readonly nextOffsetsExpirationMs: number | undefined;
  readonly consumerGroups: ConsumerGroupsSnapshot;
}

/**
 * The group coordinator of one `__consumer_offsets` partition, as a synchronous state machine:
 * each operation takes the time and the request, and returns the records to append, its response
 * and the answers to parked requests. No I/O, no clocks, no real timers: timers are deadlines the
 * shard reports (`nextDeadlineMs`) and fires when asked (`expireTimers`).
 *
 * State changes: committed offsets and the stored view of each group change only by `replay` of
 * records (and of transaction markers, which end pending transactional offsets), both when
 * loading the partition and right after an operation produces them; the
 * transient state of rebalances (parked requests, pending members, deadlines) changes directly.
 * Until the runtime confirms the append (`commit`) or reports its failure (`abort`, which restores
 * the groups the operation could touch to their copies from before it), the shard refuses another
 * operation: the runtime runs one operation at a time per shard and holds the responses until the
 * records are committed, so nobody ever sees uncommitted state.
 *
 * Not thread-safe and not reentrant; owned by the runtime's per-partition queue.
 */
export class GroupCoordinatorShard implements MembershipHost, OffsetHost {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly rebalance: ClassicGroupRebalance;
  private readonly membership: ClassicGroupMembership;
  private readonly offsets: OffsetMetadataManager;
  private readonly openTransactions = new OpenTransactions();
  /** KIP-848 groups; their committed offsets live in `groups` like any group's (a simple group entry). */
  readonly consumerGroups: ConsumerGroups;
  /** KIP-932 share groups, in memory (see ShareGroups). */
  readonly shareGroups: ShareGroups;
  private nextOffsetsExpirationMs: number | undefined;
  /** The `recordOrder` of the last record replayed (see OffsetAndMetadata). */
  private lastRecordOrder = -1;
  private operationPending = false;
  readonly generateUuid: () => string;

  constructor(
    readonly partition: number,
    readonly config: GroupCoordinatorConfig,
    options: GroupCoordinatorShardOptions = {},
  ) {
    this.generateUuid = options.generateUuid ?? randomUUID;
    this.rebalance = new ClassicGroupRebalance(this);
    this.membership = new ClassicGroupMembership(this, this.rebalance);
    this.offsets = new OffsetMetadataManager(this);
    this.shareGroups = new ShareGroups({
      timings: (groupId) => shareGroupTimings(config, groupId),
      maxSize: config.shareGroupMaxSize,
      otherGroupHolds: (groupId) => this.groups.has(groupId) || this.consumerGroups.has(groupId),
    });
    this.consumerGroups = new ConsumerGroups(
      config,
      {
        classicGroupBlocks: (groupId) => {
          if (this.shareGroups.has(groupId)) return true;
          const group = this.groups.get(groupId);
          return group !== undefined && group.protocolType !== undefined && !group.is(GroupState.Empty);
        },
        convertEmptyClassicGroup: (fx, groupId) => {
          // Offline upgrade: an empty classic group's metadata goes; its offsets stay (a simple group).
          const group = this.groups.get(groupId);
          if (group?.protocolType !== undefined && group.is(GroupState.Empty))
            fx.append(groupMetadataTombstone(groupId));
        },
      },
      () => this.generateUuid(),
    );
  }

  // ---- state access (hosts, tests) ----

  group(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId);
  }

  allGroups(): ClassicGroup[] {
    return [...this.groups.values()];
  }

  touchMember(effects: OperationEffects, group: ClassicGroup, memberId: string): void {
    this.membership.touchMember(effects, group, memberId);
  }

  consumerGroupSubscribes(groupId: string, topic: string): boolean {
    const group = this.consumerGroups.group(groupId);
    return group?.subscribedTopicMetadata.some((t) => t.topicName === topic) === true;
  }

  // ---- replay ----

  /** Applies what loading reads from the log: a record, or a transaction marker. */
  replayLogEntry(entry: CoordinatorLogEntry): void {
    if (entry.type === 'marker') {
      this.lastRecordOrder = Math.max(this.lastRecordOrder, entry.offset);
      this.replayEndTransaction(entry.producerId, entry.result);
      return;
    }
    this.replay(entry, {
      offset: entry.offset,
      transactionalProducerId: entry.transactional ? entry.producerId : undefined,
    });
  }

  /**
   * Applies one `__consumer_offsets` record: the only way offsets and stored group metadata
   * change. Used to load the partition (records in log order) and for records operations produce.
   * An offset commit for an unknown group creates a simple group (no protocol type), even when it
   * is transactional (pending); an offset tombstone deletes the partition's committed offset and
   * every pending one; a group tombstone removes the group unless offsets (committed or pending)
   * written after it keep a simple group alive.
   */
  replay(record: CoordinatorRecord, context: ReplayContext = {}): void {
    const recordOrder = context.offset ?? this.lastRecordOrder + 1;
    this.lastRecordOrder = Math.max(this.lastRecordOrder, recordOrder);
    const decoded = decodeGroupCoordinatorRecord(record);
    switch (decoded.type) {
      case 'offset-commit': {
        const { group: groupId, topic, partition } = decoded.key;
        if (decoded.value === null) {
          const existing = this.groups.get(groupId);
          existing?.removeOffset(topic, partition);
          existing?.pendingTransactionalOffsets.remove(topic, partition);
          return;
        }
        let group = this.groups.get(groupId);
        if (group === undefined)
          this.groups.set(groupId, (group = new ClassicGroup(groupId, GroupState.Empty, undefined)));
        const offset = offsetAndMetadataFromRecord(decoded.value, decoded.valueVersion, recordOrder);
        const producerId = context.transactionalProducerId;
        if (producerId === undefined) {
          group.setOffset(topic, partition, offset);
        } else {
          group.pendingTransactionalOffsets.add(producerId, topic, partition, offset);
          this.openTransactions.add(producerId, groupId);
        }
        return;
      }
      case 'group-metadata': {
        const existing = this.groups.get(decoded.groupId);
        if (decoded.value !== null) {
          if (existing === undefined)
            this.groups.set(decoded.groupId, ClassicGroup.fromRecord(decoded.groupId, decoded.value));
          else existing.applyMetadataRecord(decoded.value);
          return;
        }
        if (existing === undefined) return;
        const pending = existing.pendingTransactionalOffsets;
        if (!existing.hasOffsets() && pending.isEmpty()) {
          this.groups.delete(decoded.groupId);
          return;
        }
        const simple = new ClassicGroup(decoded.groupId, GroupState.Empty, undefined);
        for (const [topic, partitions] of existing.allOffsets()) {
          for (const [partition, offset] of partitions) simple.setOffset(topic, partition, offset);
        }
        for (const [producerId, topic, partition, offset] of pending.entries()) {
          simple.pendingTransactionalOffsets.add(producerId, topic, partition, offset);
        }
        this.groups.set(decoded.groupId, simple);
        return;
      }
      case 'consumer-group':
        this.consumerGroups.replay(decoded.record);
        return;
      case 'unknown':
        // Records of other group types (share groups) are not ours.
        return;
    }
  }

  /**
   * Applies the end of `producerId`'s transaction, whose marker is in the log: on COMMIT its
   * pending offsets become the committed ones, except where a commit written after it (a later
   * `recordOrder`) already is; on ABORT they are dropped (Kafka's replayEndTransactionMarker). A
   * producer with nothing pending here is ignored: its transaction did not commit offsets here,
   * or a tombstone deleted them.
   */
  replayEndTransaction(producerId: number, result: TransactionResult): void {
    for (const groupId of this.openTransactions.groupsOf(producerId)) {
      const group = this.groups.get(groupId);
      const pending = group?.pendingTransactionalOffsets.take(producerId);
      if (group === undefined || pending === undefined || result === 'ABORT') continue;
      for (const [topic, partitions] of pending) {
        for (const [partition, offset] of partitions) {
          const committed = group.offset(topic, partition);
          if (committed === undefined || offset.recordOrder > committed.recordOrder) {
            group.setOffset(topic, partition, offset);
          }
        }
      }
    }
    // Last: if anything above threw, the operation is rolled back and the index must still list the groups.
    this.openTransactions.take(producerId);
  }

  // ---- lifecycle ----

  /** After the partition's records are replayed: sessions restart, and offset expiry is scheduled. */
  onLoaded(nowMs: number): PendingOperation<undefined> {
    return this.run(
      nowMs,
      'all',
      (fx) => {
        for (const group of this.allGroups()) this.rebalance.onLoaded(fx, group);
        this.consumerGroups.onLoaded(nowMs);
        this.nextOffsetsExpirationMs = nowMs + this.config.offsetsRetentionCheckIntervalMs;
        return undefined;
      },
      () => undefined,
    );
  }

  /** The partition is no longer ours: answers every parked request with NOT_COORDINATOR and forgets everything. */
  onUnloaded(nowMs: number): Completion[] {
    const fx = new OperationEffects(nowMs, () => {
      throw new Error('unloading writes no records');
    });
    for (const group of this.allGroups()) this.rebalance.onUnloaded(fx, group);
    this.groups.clear();
    this.consumerGroups.clear();
    this.shareGroups.clear();
    this.openTransactions.clear();
    this.nextOffsetsExpirationMs = undefined;
    return fx.completions;
  }

  // ---- operations ----

  joinGroup(
    nowMs: number,
    args: JoinGroupArgs,
    responder: Responder<JoinGroupResponseInput>,
  ): PendingOperation<undefined> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => {
        const consumerGroup = this.consumerGroups.group(args.groupId);
        if ((consumerGroup !== undefined && !consumerGroup.isEmpty()) || this.shareGroups.has(args.groupId)) {
          // Kafka 4.0 lets classic members join a consumer group (online migration); Samsa does not.
          fx.complete(responder, { memberId: '', errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL });
          return undefined;
        }
        // Offline downgrade: an empty consumer group gives its id to the classic group.
        this.consumerGroups.deleteIfEmpty(fx, args.groupId);
        this.membership.join(fx, args, responder);
        return undefined;
      },
      (fx, errorCode) => {
        fx.complete(responder, { memberId: '', errorCode });
        return undefined;
      },
    );
  }

  syncGroup(
    nowMs: number,
    args: SyncGroupArgs,
    responder: Responder<SyncGroupResponseInput>,
  ): PendingOperation<undefined> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => {
        this.membership.sync(fx, args, responder);
        return undefined;
      },
      (fx, errorCode) => {
        fx.complete(responder, { errorCode });
        return undefined;
      },
    );
  }

  heartbeat(nowMs: number, args: HeartbeatArgs): PendingOperation<HeartbeatResponseInput> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => this.membership.heartbeat(fx, args),
      (_fx, errorCode) => ({ errorCode }),
    );
  }

  leaveGroup(
    nowMs: number,
    groupId: string,
    members: readonly LeavingMember[],
  ): PendingOperation<LeaveGroupResponseInput> {
    return this.run(
      nowMs,
      [groupId],
      (fx) => this.membership.leave(fx, groupId, members),
      (_fx, errorCode) => ({ errorCode, members: [] }),
    );
  }

  commitOffsets(nowMs: number, args: OffsetCommitArgs): PendingOperation<OffsetCommitResponseTopicInput[]> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => {
        // A share group keeps no committed offsets: a commit would make its id a simple group's.
        if (this.shareGroups.has(args.groupId)) return this.offsets.refuse(args.topics, ErrorCode.GROUP_ID_NOT_FOUND);
        const error = this.consumerGroups.validateOffsetCommit(
          args.groupId,
          args.memberId,
          args.generationIdOrMemberEpoch,
          args.apiVersion,
        );
        if (error === undefined) return this.offsets.commit(fx, args);
        if (error !== ErrorCode.NONE) return this.offsets.refuse(args.topics, error);
        // Validated as a consumer group's: stored as a commit outside group management.
        return this.offsets.commit(fx, { ...args, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null });
      },
      (_fx, errorCode) =>
        args.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
        })),
    );
  }

  /** TxnOffsetCommit: its records are the producer's transactional batch, pending until the marker. */
  commitTransactionalOffsets(
    nowMs: number,
    args: TxnOffsetCommitArgs,
  ): PendingOperation<OffsetCommitResponseTopicInput[]> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => {
        if (this.shareGroups.has(args.groupId)) return this.offsets.refuse(args.topics, ErrorCode.GROUP_ID_NOT_FOUND);
        const error =
          args.generationId < 0 && args.memberId === ''
            ? undefined
            : this.consumerGroups.validateOffsetCommit(args.groupId, args.memberId, args.generationId);
        if (error === undefined) return this.offsets.commitTransactional(fx, args);
        if (error !== ErrorCode.NONE) return this.offsets.refuse(args.topics, error);
        return this.offsets.commitTransactional(fx, { ...args, generationId: -1, memberId: '', groupInstanceId: null });
      },
      (_fx, errorCode) =>
        args.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
        })),
      { producerId: args.producerId, producerEpoch: args.producerEpoch },
    );
  }

  /**
   * A COMMIT or ABORT marker of `producerId` was appended to this partition: applies it (see
   * `replayEndTransaction`). Writes nothing: the marker is the record.
   */
  completeTransaction(nowMs: number, producerId: number, result: TransactionResult): PendingOperation<undefined> {
    return this.run(
      nowMs,
      this.openTransactions.groupsOf(producerId),
      () => {
        this.replayEndTransaction(producerId, result);
        return undefined;
      },
      () => undefined,
    );
  }

  deleteOffsets(
    nowMs: number,
    groupId: string,
    topics: readonly OffsetDeleteTopicArgs[],
  ): PendingOperation<OffsetDeleteResponseInput> {
    return this.run(
      nowMs,
      [groupId],
      (fx) => this.offsets.deleteOffsets(fx, groupId, topics),
      (_fx, errorCode) => ({ errorCode, topics: [] }),
    );
  }

  deleteGroups(
    nowMs: number,
    groupIds: readonly string[],
  ): PendingOperation<DeleteGroupsResponseDeletableGroupResultInput[]> {
    const unique = [...new Set(groupIds)];
    return this.run(
      nowMs,
      unique,
      (fx) => {
        const consumer = new Map<string, number>();
        for (const groupId of unique) {
          if (this.consumerGroups.has(groupId)) consumer.set(groupId, this.consumerGroups.delete(fx, groupId));
          else if (this.shareGroups.has(groupId)) consumer.set(groupId, this.shareGroups.delete(groupId));
        }
        // A deleted consumer group's offsets are deleted with its simple group entry, if it has one.
        const others = unique.filter((id) => {
          const error = consumer.get(id);
          return error === undefined || (error === ErrorCode.NONE && this.groups.has(id));
        });
        const results = new Map(this.offsets.deleteGroups(fx, others).map((r) => [r.groupId, r]));
        return unique.map((groupId) => {
          const error = consumer.get(groupId);
          if (error !== undefined && (error !== ErrorCode.NONE || !results.has(groupId)))
            return { groupId, errorCode: error };
          return results.get(groupId) ?? { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
        });
      },
      (_fx, errorCode) => unique.map((groupId) => ({ groupId, errorCode })),
    );
  }

  /** The earliest deadline of any timer (session, rebalance, sync, initial delay, offset expiry). */
  nextDeadlineMs(): number | undefined {
    let next = this.nextOffsetsExpirationMs;
    const consumerDeadline = this.consumerGroups.nextDeadlineMs();
    if (consumerDeadline !== undefined && (next === undefined || consumerDeadline < next)) next = consumerDeadline;
    const shareDeadline = this.shareGroups.nextDeadlineMs();
    if (shareDeadline !== undefined && (next === undefined || shareDeadline < next)) next = shareDeadline;
    for (const group of this.groups.values()) {
      const deadline = group.nextDeadlineMs();
      if (deadline !== undefined && (next === undefined || deadline < next)) next = deadline;
    }
    return next;
  }

  /** Fires every timer due at `nowMs`, earliest first, as one operation. */
  expireTimers(nowMs: number): PendingOperation<undefined> {
    const dueGroupIds = this.allGroups()
      .filter((g) => (g.nextDeadlineMs() ?? Number.POSITIVE_INFINITY) <= nowMs)
      .map((g) => g.groupId);
    const expirationDue = this.nextOffsetsExpirationMs !== undefined && this.nextOffsetsExpirationMs <= nowMs;
    const dueConsumerGroupIds = this.consumerGroups.dueGroupIds(nowMs);
    return this.run(
      nowMs,
      expirationDue ? 'all' : [...dueGroupIds, ...dueConsumerGroupIds],
      (fx) => {
        for (const groupId of dueConsumerGroupIds) this.consumerGroups.expire(fx, groupId);
        this.shareGroups.expire(nowMs);
        for (let fired = 0; fired < MAX_TIMERS_PER_OPERATION; fired++) {
          let dueGroup: ClassicGroup | undefined;
          let dueDeadline = Number.POSITIVE_INFINITY;
          for (const groupId of dueGroupIds) {
            const group = this.groups.get(groupId);
            const deadline = group?.nextDeadlineMs();
            if (group !== undefined && deadline !== undefined && deadline <= nowMs && deadline < dueDeadline) {
              dueGroup = group;
              dueDeadline = deadline;
            }
          }
          const expiration = this.nextOffsetsExpirationMs;
          if (expiration !== undefined && expiration <= nowMs && expiration <= dueDeadline) {
            this.nextOffsetsExpirationMs = nowMs + this.config.offsetsRetentionCheckIntervalMs;
            this.offsets.expireOffsets(fx);
            continue;
          }
          if (dueGroup === undefined) break;
          const timer = dueGroup.takeDueTimer(nowMs);
          if (timer !== undefined) this.rebalance.onTimer(fx, dueGroup, timer);
        }
        return undefined;
      },
      () => undefined,
    );
  }

  // ---- reads (no records, no state change) ----

  fetchOffsets(
    groupId: string,
    topics: OffsetFetchTopicsArg,
    requireStable: boolean,
    member?: { readonly memberId: string | null; readonly memberEpoch: number },
  ): OffsetFetchResponseGroupInput {
    this.assertIdle();
    if (member !== undefined) {
      const errorCode = this.consumerGroups.validateOffsetFetch(groupId, member.memberId, member.memberEpoch);
      if (errorCode !== ErrorCode.NONE) return { groupId, errorCode, topics: [] };
    }
    return this.offsets.fetch(groupId, topics, requireStable);
  }

  consumerGroupHeartbeat(
    nowMs: number,
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): PendingOperation<ConsumerGroupHeartbeatResponseInput> {
    return this.run(
      nowMs,
      [args.groupId],
      (fx) => this.consumerGroups.heartbeat(fx, args, topics),
      (_fx, errorCode) => ({ errorCode, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null }),
    );
  }

  /** ConsumerGroupDescribe of one group: GROUP_ID_NOT_FOUND for unknown and classic groups. */
  /** ShareGroupHeartbeat: in memory, so the operation writes no records. */
  shareGroupHeartbeat(
    nowMs: number,
    args: ShareGroupHeartbeatArgs,
    topics: TopicsView,
  ): PendingOperation<ShareGroupHeartbeatResponseInput> {
    return this.run(
      nowMs,
      [args.groupId],
      () => this.shareGroups.heartbeat(nowMs, args, topics),
      (_fx, errorCode) => ({ errorCode, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null }),
    );
  }

  describeShareGroup(
    groupId: string,
    topicName: (topicId: string) => string | undefined,
  ): ShareGroupDescribeResponseDescribedGroupInput {
    this.assertIdle();
    return this.shareGroups.describe(groupId, topicName);
  }

  describeConsumerGroup(
    groupId: string,
    topicName: (topicId: string) => string | undefined,
  ): ConsumerGroupDescribeResponseDescribedGroupInput {
    this.assertIdle();
    const classic = this.groups.get(groupId);
    return this.consumerGroups.describe(groupId, topicName, classic?.protocolType !== undefined);
  }

  /** DescribeGroups of one group; an unknown group is described as Dead with no error (DescribeGroups v0-v5). */
  describeGroup(groupId: string): DescribeGroupsResponseDescribedGroupInput {
    this.assertIdle();
    const group = this.groups.get(groupId);
    // A consumer group is not a classic group: Kafka describes it as Dead.
    if (group !== undefined && !this.consumerGroups.has(groupId)) return group.describe();
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: GroupState.Dead,
      protocolType: '',
      protocolData: '',
      members: [],
    };
  }

  /**
   * ListGroups: states are matched case-insensitively (ListGroups v4+); a types filter (v5+) that
   * does not name "classic" (case-insensitively) matches no group here.
   */
  listGroups(statesFilter: readonly string[], typesFilter: readonly string[]): ListGroupsResponseListedGroupInput[] {
    this.assertIdle();
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(typesFilter.map((t) => t.toLowerCase()));
    const consumer = [...this.consumerGroups.list(states, types), ...this.shareGroups.list(states, types)];
    if (types.size > 0 && !types.has(CLASSIC_GROUP_TYPE)) return consumer;
    const classic = this.allGroups()
      .filter((g) => !this.consumerGroups.has(g.groupId))
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: CLASSIC_GROUP_TYPE,
      }));
    return [...classic, ...consumer];
  }

  // ---- operation lifecycle ----

  private run<R>(
    nowMs: number,
    scope: readonly string[] | 'all',
    body: (effects: OperationEffects) => R,
    defaultFailure: (effects: OperationEffects, errorCode: number) => R,
    transactional?: TransactionalProducer,
  ): PendingOperation<R> {
    this.assertIdle();
    const snapshot = this.snapshot(scope);
    const context: ReplayContext = { transactionalProducerId: transactional?.producerId };
    const fx = new OperationEffects(nowMs, (record) => this.replay(record, context));
    let response: R;
    try {
      response = body(fx);
    } catch (error) {
      this.restore(snapshot);
      throw error;
    }
    this.operationPending = true;
    let settled = false;
    const settle = (): void => {
      if (settled) throw new Error('operation already committed or aborted');
      settled = true;
      this.operationPending = false;
    };
    return {
      records: fx.records,
      transactional,
      response,
      completions: fx.completions,
      commit: settle,
      abort: (errorCode: number): FailedOperation<R> => {
        settle();
        this.restore(snapshot);
        const failure = new OperationEffects(nowMs, () => {
          throw new Error('an append-failure compensation must not write records');
        });
        const failed = (fx.compensation ?? defaultFailure)(failure, errorCode) as R;
        return { response: failed, completions: failure.completions };
      },
    };
  }

  private assertIdle(): void {
    if (this.operationPending) throw new Error(`shard ${this.partition}: previous operation not committed or aborted`);
  }

  private snapshot(scope: readonly string[] | 'all'): ShardSnapshot {
    const ids = scope === 'all' ? [...this.groups.keys()] : scope;
    return {
      groups: new Map(ids.map((id) => [id, this.groups.get(id)?.clone()])),
      all: scope === 'all',
      nextOffsetsExpirationMs: this.nextOffsetsExpirationMs,
      consumerGroups: this.consumerGroups.snapshot(scope),
    };
  }

  private restore(snapshot: ShardSnapshot): void {
    if (snapshot.all) this.groups.clear();
    for (const [id, group] of snapshot.groups) {
      if (group === undefined) this.groups.delete(id);
      else this.groups.set(id, group);
    }
    this.nextOffsetsExpirationMs = snapshot.nextOffsetsExpirationMs;
    this.consumerGroups.restore(snapshot.consumerGroups);
  }
}
