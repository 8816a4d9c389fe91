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
import type { Logger } from '../../logger.js';
import type { CoordinatorPartitionLog, TransactionResult } from '../coordinator-log.js';
import { appendErrorToResponseError } from './append-error.js';
import type { HeartbeatArgs, JoinGroupArgs, LeavingMember, SyncGroupArgs } from './classic-group-membership.js';
import type { ConsumerGroupHeartbeatArgs } from './consumer/consumer-group-heartbeat.js';
import type { TopicsView } from './consumer/topics-view.js';
import { type CoordinatorScheduler, systemScheduler } from './coordinator-scheduler.js';
import { type GroupCoordinatorConfig, groupCoordinatorConfig } from './group-coordinator-config.js';
import { GroupCoordinatorShard } from './group-coordinator-shard.js';
import type {
  OffsetCommitArgs,
  OffsetDeleteTopicArgs,
  OffsetFetchTopicsArg,
  TxnOffsetCommitArgs,
} from './offset-metadata-manager.js';
import type { Completion, OperationResult, PendingOperation, Responder } from './operation-result.js';
import { partitionForGroup } from './partition-for-group.js';
import type { ShareGroupHeartbeatArgs } from './share/share-groups.js';

export interface GroupCoordinatorOptions {
  /** The `__consumer_offsets` partitions: the only I/O of the coordinator. */
  readonly log: CoordinatorPartitionLog;
  readonly config?: Partial<GroupCoordinatorConfig>;
  readonly scheduler?: CoordinatorScheduler;
  /** Member id suffixes; defaults to random UUIDs. */
  readonly generateUuid?: () => string;
  /**
   * After timers fail to write their records (e.g. the log refuses appends), wait at least this
   * long before firing them again rather than retrying in a tight loop.
   */
  readonly timerRetryBackoffMs?: number;
  /** Loading, unloading and append failures are logged here (nothing is logged without one). */
  readonly logger?: Logger;
}

/** How this broker stands towards a `__consumer_offsets` partition. */
export type CoordinatorPartitionStatus = 'active' | 'loading' | 'none';

interface PartitionRuntime {
  readonly partition: number;
  readonly shard: GroupCoordinatorShard;
  status: 'loading' | 'active' | 'unloading';
  cancelTimer: (() => void) | undefined;
  timerDeadlineMs: number | undefined;
  /** Set after timers failed to append: do not fire them again before this time. */
  timerRetryNotBeforeMs: number | undefined;
}

const DEFAULT_TIMER_RETRY_BACKOFF_MS = 1000;

/**
 * The group coordinator as the broker sees it: one `GroupCoordinatorShard` per `__consumer_offsets`
 * partition this broker leads, and the I/O around them.
 *
 * Per partition, operations (requests, timer expirations, loading, unloading) run one at a time
 * in arrival order. An operation's records are appended through `CoordinatorPartitionLog.append`
 * and its responses — including those of JoinGroup/SyncGroup requests it releases — are sent only
 * once the append resolves; if it rejects, the shard rolls the operation back and the requests get
 * the mapped error instead (`appendErrorToResponseError`). Strict per-partition serialization is
 * what makes the rollback simple: no later operation can have seen the uncommitted state.
 *
 * Timers: after each operation the runtime arms one scheduler timer for the shard's earliest
 * deadline; when it fires, `expireTimers` runs as an ordinary operation.
 *
 * Ownership: `onElection(partition)` loads the partition (replaying `readAll`); requests for its
 * groups get COORDINATOR_LOAD_IN_PROGRESS meanwhile, and NOT_COORDINATOR for partitions not owned.
 * `onResignation(partition)` answers parked requests with NOT_COORDINATOR and drops the state.
 *
 * Transactions: a TxnOffsetCommit's records are appended as the producer's transactional batch and
 * stay pending in the shard; `onTransactionCompleted` applies the producer's marker once the
 * transaction coordinator's marker write has put it in the partition's log.
 */
export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig;
  private readonly log: CoordinatorPartitionLog;
  private readonly scheduler: CoordinatorScheduler;
  private readonly generateUuid: (() => string) | undefined;
  private readonly timerRetryBackoffMs: number;
  private readonly logger: Logger | undefined;
  private readonly partitions = new Map<number, PartitionRuntime>();
  /** Tail of each partition's operation queue; outlives a partition's runtime so that reloads wait for unloads. */
  private readonly queues = new Map<number, Promise<void>>();
  private readonly responders = new Map<number, (response: unknown) => void>();
  private nextResponderId = 1;

  constructor(options: GroupCoordinatorOptions) {
    this.config = groupCoordinatorConfig(options.config);
    this.log = options.log;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.generateUuid = options.generateUuid;
    this.timerRetryBackoffMs = options.timerRetryBackoffMs ?? DEFAULT_TIMER_RETRY_BACKOFF_MS;
    this.logger = options.logger?.child({ component: 'group-coordinator' });
  }

  /** The `__consumer_offsets` partition coordinating `groupId`. */
  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.config.offsetsTopicNumPartitions);
  }

  partitionStatus(partition: number): CoordinatorPartitionStatus {
    const runtime = this.partitions.get(partition);
    if (runtime === undefined || runtime.status === 'unloading') return 'none';
    return runtime.status;
  }

  /** The partitions this broker coordinates or is loading. */
  ownedPartitions(): number[] {
    return [...this.partitions.values()].filter((r) => r.status !== 'unloading').map((r) => r.partition);
  }

  // ---- ownership ----

  /**
   * This broker became the leader of `partition`: loads its groups and offsets. Resolves once
   * the partition serves requests; rejects if its records cannot be read or decoded (the partition
   * is then not owned).
   */
  onElection(partition: number): Promise<void> {
    const existing = this.partitions.get(partition);
    if (existing !== undefined && existing.status !== 'unloading') return this.serialize(partition, () => undefined);
    const runtime: PartitionRuntime = {
      partition,
      shard: new GroupCoordinatorShard(
        partition,
        this.config,
        this.generateUuid === undefined ? {} : { generateUuid: this.generateUuid },
      ),
      status: 'loading',
      cancelTimer: undefined,
      timerDeadlineMs: undefined,
      timerRetryNotBeforeMs: undefined,
    };
    this.partitions.set(partition, runtime);
    return this.serialize(partition, async () => {
      const current = (): boolean => this.partitions.get(partition) === runtime && runtime.status === 'loading';
      if (!current()) return;
      const startMs = this.scheduler.nowMs();
      let records = 0;
      try {
        for await (const entry of this.log.readAll(partition)) {
          if (!current()) return;
          runtime.shard.replayLogEntry(entry);
          records++;
        }
      } catch (error) {
        if (this.partitions.get(partition) === runtime) this.partitions.delete(partition);
        this.logger?.error({ partition, err: error }, `failed to load __consumer_offsets-${partition}`);
        throw error;
      }
      if (!current()) return;
      const loaded = runtime.shard.onLoaded(this.scheduler.nowMs());
      loaded.commit();
      runtime.status = 'active';
      this.logger?.info(
        { partition, records, groups: runtime.shard.allGroups().length, durationMs: this.scheduler.nowMs() - startMs },
        `loaded __consumer_offsets-${partition}`,
      );
      this.deliver(loaded.completions);
      this.armTimer(runtime);
    });
  }

  /** This broker no longer leads `partition`: parked requests get NOT_COORDINATOR and its state is dropped. */
  onResignation(partition: number): Promise<void> {
    const runtime = this.partitions.get(partition);
    if (runtime === undefined || runtime.status === 'unloading') return this.serialize(partition, () => undefined);
    runtime.status = 'unloading';
    this.disarmTimer(runtime);
    return this.serialize(partition, () => {
      if (this.partitions.get(partition) === runtime) this.partitions.delete(partition);
      const groups = runtime.shard.allGroups().length;
      this.deliver(runtime.shard.onUnloaded(this.scheduler.nowMs()));
      this.logger?.info({ partition, groups }, `unloaded __consumer_offsets-${partition}`);
    });
  }

  /** Resigns every partition (broker shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.partitions.keys()].map((p) => this.onResignation(p)));
  }

  // ---- group membership ----

  joinGroup(args: JoinGroupArgs): Promise<JoinGroupResponseInput> {
    const error = (errorCode: number): JoinGroupResponseInput => ({ memberId: args.memberId, errorCode });
    return this.parked(args.groupId, true, error, (shard, nowMs, responder) => shard.joinGroup(nowMs, args, responder));
  }

  syncGroup(args: SyncGroupArgs): Promise<SyncGroupResponseInput> {
    // A coordinator still loading has lost the rebalance in progress; REBALANCE_IN_PROGRESS makes
    // the member rejoin without looking for the coordinator again (older clients do not expect
    // COORDINATOR_LOAD_IN_PROGRESS from SyncGroup).
    const error = (errorCode: number): SyncGroupResponseInput => ({
      errorCode: errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ? ErrorCode.REBALANCE_IN_PROGRESS : errorCode,
    });
    return this.parked(args.groupId, true, error, (shard, nowMs, responder) => shard.syncGroup(nowMs, args, responder));
  }

  heartbeat(args: HeartbeatArgs): Promise<HeartbeatResponseInput> {
    // While loading, Kafka answers heartbeats blindly: the member will learn of any change later.
    const error = (errorCode: number): HeartbeatResponseInput => ({
      errorCode: errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ? ErrorCode.NONE : errorCode,
    });
    return this.operation(args.groupId, true, error, (shard, nowMs) => shard.heartbeat(nowMs, args));
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): Promise<LeaveGroupResponseInput> {
    const error = (errorCode: number): LeaveGroupResponseInput => ({ errorCode, members: [] });
    return this.operation(groupId, true, error, (shard, nowMs) => shard.leaveGroup(nowMs, groupId, members));
  }

  // ---- consumer groups (KIP-848) ----

  /**
   * ConsumerGroupHeartbeat. `topics` is the cluster's topics as the request sees them: the
   * subscriptions are resolved against it, and a change of the subscribed topics rebalances.
   */
  consumerGroupHeartbeat(
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): Promise<ConsumerGroupHeartbeatResponseInput> {
    const error = (errorCode: number): ConsumerGroupHeartbeatResponseInput => ({
      errorCode,
      memberId: null,
      memberEpoch: 0,
      heartbeatIntervalMs: 0,
      assignment: null,
    });
    if (args.groupId === '') {
      return Promise.resolve({ ...error(ErrorCode.INVALID_REQUEST), errorMessage: "GroupId can't be empty." });
    }
    return this.operation(args.groupId, true, error, (shard, nowMs) =>
      shard.consumerGroupHeartbeat(nowMs, args, topics),
    );
  }

  consumerGroupDescribe(
    groupIds: readonly string[],
    topicName: (topicId: string) => string | undefined,
  ): Promise<ConsumerGroupDescribeResponseDescribedGroupInput[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        this.read<ConsumerGroupDescribeResponseDescribedGroupInput>(
          groupId,
          false,
          (errorCode) => ({ errorCode, groupId, groupState: '', members: [] }),
          (shard) => shard.describeConsumerGroup(groupId, topicName),
        ),
      ),
    );
  }

  // ---- share groups (KIP-932) ----

  shareGroupHeartbeat(args: ShareGroupHeartbeatArgs, topics: TopicsView): Promise<ShareGroupHeartbeatResponseInput> {
    const error = (errorCode: number): ShareGroupHeartbeatResponseInput => ({
      errorCode,
      memberId: null,
      memberEpoch: 0,
      heartbeatIntervalMs: 0,
      assignment: null,
    });
    if (args.groupId === '') {
      return Promise.resolve({ ...error(ErrorCode.INVALID_REQUEST), errorMessage: "GroupId can't be empty." });
    }
    return this.operation(args.groupId, true, error, (shard, nowMs) => shard.shareGroupHeartbeat(nowMs, args, topics));
  }

  shareGroupDescribe(
    groupIds: readonly string[],
    topicName: (topicId: string) => string | undefined,
  ): Promise<ShareGroupDescribeResponseDescribedGroupInput[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        this.read<ShareGroupDescribeResponseDescribedGroupInput>(
          groupId,
          true,
          (errorCode) => ({ errorCode, groupId, groupState: '', members: [] }),
          (shard) => shard.describeShareGroup(groupId, topicName),
        ),
      ),
    );
  }

  // ---- offsets ----

  commitOffsets(args: OffsetCommitArgs): Promise<OffsetCommitResponseTopicInput[]> {
    const error = (errorCode: number): OffsetCommitResponseTopicInput[] =>
      args.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    return this.operation(args.groupId, false, error, (shard, nowMs) => shard.commitOffsets(nowMs, args));
  }

  /**
   * TxnOffsetCommit: the offsets are appended as a transactional batch of the producer's id and
   * epoch and become visible when its transaction commits. An empty group id is INVALID_GROUP_ID,
   * as in Kafka; a fenced producer epoch is INVALID_PRODUCER_EPOCH, from the log.
   */
  commitTransactionalOffsets(args: TxnOffsetCommitArgs): Promise<OffsetCommitResponseTopicInput[]> {
    const error = (errorCode: number): OffsetCommitResponseTopicInput[] =>
      args.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    return this.operation(args.groupId, true, error, (shard, nowMs) => shard.commitTransactionalOffsets(nowMs, args));
  }

  /**
   * A COMMIT or ABORT marker of `producerId` (at `producerEpoch`) has been appended to
   * `__consumer_offsets` partition `offsetsPartition`: the producer's pending offsets there become
   * committed or are dropped, as an ordinary operation of the partition (it writes nothing; the
   * marker is the record). A partition this broker does not coordinate is left alone: whoever
   * loads it reads the marker. One still loading gets it after loading, which is harmless if
   * loading read the marker too (nothing is pending for the producer any more).
   *
   * Never rejects: a failure is logged, and the state is as loading the log would rebuild it.
   */
  async onTransactionCompleted(
    offsetsPartition: number,
    producerId: number,
    producerEpoch: number,
    result: TransactionResult,
  ): Promise<void> {
    const runtime = this.partitions.get(offsetsPartition);
    if (runtime === undefined || runtime.status === 'unloading') return;
    try {
      await this.execute(runtime, (shard, nowMs) => shard.completeTransaction(nowMs, producerId, result), false);
    } catch (failure) {
      this.logger?.error(
        { partition: offsetsPartition, producerId, producerEpoch, result, err: failure },
        'completing a transaction in the group coordinator failed',
      );
    }
  }

  /** OffsetFetch of one group; `topics` null fetches every committed partition. */
  fetchOffsets(
    groupId: string,
    topics: OffsetFetchTopicsArg,
    requireStable: boolean,
    member?: { readonly memberId: string | null; readonly memberEpoch: number },
  ): Promise<OffsetFetchResponseGroupInput> {
    const error = (errorCode: number): OffsetFetchResponseGroupInput => ({ groupId, errorCode, topics: [] });
    return this.read(groupId, false, error, (shard) => shard.fetchOffsets(groupId, topics, requireStable, member));
  }

  deleteOffsets(groupId: string, topics: readonly OffsetDeleteTopicArgs[]): Promise<OffsetDeleteResponseInput> {
    const error = (errorCode: number): OffsetDeleteResponseInput => ({ errorCode, topics: [] });
    return this.operation(groupId, false, error, (shard, nowMs) => shard.deleteOffsets(nowMs, groupId, topics));
  }

  // ---- administration ----

  describeGroups(groupIds: readonly string[]): Promise<DescribeGroupsResponseDescribedGroupInput[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        this.read<DescribeGroupsResponseDescribedGroupInput>(
          groupId,
          false,
          // Kafka describes a group it cannot serve with an empty state.
          (errorCode) => ({ errorCode, groupId, groupState: '', protocolType: '', protocolData: '', members: [] }),
          (shard) => shard.describeGroup(groupId),
        ),
      ),
    );
  }

  /**
   * ListGroups over every partition this broker coordinates. While a partition loads, the groups
   * of the others are listed with COORDINATOR_LOAD_IN_PROGRESS, as Kafka does.
   */
  async listGroups(
    statesFilter: readonly string[],
    typesFilter: readonly string[],
  ): Promise<{ errorCode: number; groups: ListGroupsResponseListedGroupInput[] }> {
    const runtimes = [...this.partitions.values()];
    const loading = runtimes.some((r) => r.status === 'loading');
    const lists = await Promise.all(
      runtimes
        .filter((r) => r.status === 'active')
        .map((r) =>
          this.serialize(r.partition, () =>
            this.partitions.get(r.partition) === r && r.status === 'active'
              ? r.shard.listGroups(statesFilter, typesFilter)
              : [],
          ),
        ),
    );
    return { errorCode: loading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE, groups: lists.flat() };
  }

  /** DeleteGroups: groups of the same partition are deleted in one operation (one append). */
  async deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupsResponseDeletableGroupResultInput[]> {
    const byPartition = new Map<number, string[]>();
    const results = new Map<string, DeleteGroupsResponseDeletableGroupResultInput>();
    for (const groupId of new Set(groupIds)) {
      const partition = this.partitionFor(groupId);
      const ids = byPartition.get(partition);
      if (ids === undefined) byPartition.set(partition, [groupId]);
      else ids.push(groupId);
    }
    await Promise.all(
      [...byPartition].map(async ([, ids]) => {
        const first = ids[0] as string;
        const error = (errorCode: number): DeleteGroupsResponseDeletableGroupResultInput[] =>
          ids.map((groupId) => ({ groupId, errorCode }));
        const partitionResults = await this.operation(first, false, error, (shard, nowMs) =>
          shard.deleteGroups(nowMs, ids),
        );
        for (const result of partitionResults) results.set(result.groupId ?? '', result);
      }),
    );
    return [...new Set(groupIds)].map(
      (groupId) => results.get(groupId) ?? { groupId, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR },
    );
  }

  // ---- execution ----

  /**
   * Whether `groupId` can be served now: INVALID_GROUP_ID for an empty id where Kafka requires one
   * (group membership APIs; offsets and admin APIs accept "" for compatibility), else
   * COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR by the state of the group's partition.
   */
  private precheck(groupId: string, requireGroupId: boolean): { runtime: PartitionRuntime } | { errorCode: number } {
    if (requireGroupId && groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID };
    const runtime = this.partitions.get(this.partitionFor(groupId));
    if (runtime === undefined || runtime.status === 'unloading') return { errorCode: ErrorCode.NOT_COORDINATOR };
    if (runtime.status === 'loading') return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
    return { runtime };
  }

  /** Runs a state-changing operation whose answer is its own response. */
  private async operation<R>(
    groupId: string,
    requireGroupId: boolean,
    error: (errorCode: number) => R,
    op: (shard: GroupCoordinatorShard, nowMs: number) => PendingOperation<R>,
  ): Promise<R> {
    const checked = this.precheck(groupId, requireGroupId);
    if ('errorCode' in checked) return error(checked.errorCode);
    try {
      const outcome = await this.execute(checked.runtime, op, false);
      return outcome === undefined ? error(ErrorCode.NOT_COORDINATOR) : outcome.response;
    } catch (failure) {
      this.logger?.error({ groupId, err: failure }, 'group coordinator operation failed');
      return error(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
  }

  /** Runs an operation whose request may be parked (JoinGroup, SyncGroup) and answered by a later one. */
  private parked<T>(
    groupId: string,
    requireGroupId: boolean,
    error: (errorCode: number) => T,
    op: (shard: GroupCoordinatorShard, nowMs: number, responder: Responder<T>) => PendingOperation<undefined>,
  ): Promise<T> {
    const checked = this.precheck(groupId, requireGroupId);
    if ('errorCode' in checked) return Promise.resolve(error(checked.errorCode));
    return new Promise<T>((resolve) => {
      const responder: Responder<T> = { id: this.nextResponderId++ };
      this.responders.set(responder.id, resolve as (response: unknown) => void);
      const answer = (response: T): void => {
        if (this.responders.delete(responder.id)) resolve(response);
      };
      this.execute(checked.runtime, (shard, nowMs) => op(shard, nowMs, responder), false).then(
        (outcome) => {
          if (outcome === undefined) answer(error(ErrorCode.NOT_COORDINATOR));
        },
        (failure: unknown) => {
          this.logger?.error({ groupId, err: failure }, 'group coordinator operation failed');
          answer(error(ErrorCode.UNKNOWN_SERVER_ERROR));
        },
      );
    });
  }

  /** Runs a read on the shard's queue, so that it never sees the state of an operation still being appended. */
  private async read<R>(
    groupId: string,
    requireGroupId: boolean,
    error: (errorCode: number) => R,
    read: (shard: GroupCoordinatorShard) => R,
  ): Promise<R> {
    const checked = this.precheck(groupId, requireGroupId);
    if ('errorCode' in checked) return error(checked.errorCode);
    const { runtime } = checked;
    try {
      return await this.serialize(runtime.partition, () =>
        this.isActive(runtime) ? read(runtime.shard) : error(ErrorCode.NOT_COORDINATOR),
      );
    } catch (failure) {
      this.logger?.error({ groupId, err: failure }, 'group coordinator read failed');
      return error(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
  }

  /**
   * Queues `op` on the partition; when its turn comes, runs it, appends its records, then commits
   * or aborts it and delivers the answers it decided. Resolves to undefined when the partition was
   * no longer active by then (the caller answers NOT_COORDINATOR).
   */
  private execute<R>(
    runtime: PartitionRuntime,
    op: (shard: GroupCoordinatorShard, nowMs: number) => PendingOperation<R>,
    isTimer: boolean,
  ): Promise<Pick<OperationResult<R>, 'response'> | undefined> {
    return this.serialize(runtime.partition, async () => {
      if (!this.isActive(runtime)) return undefined;
      const nowMs = this.scheduler.nowMs();
      const pending = op(runtime.shard, nowMs);
      let outcome: { response: R; completions: readonly Completion[] } = pending;
      if (pending.records.length === 0) {
        pending.commit();
      } else {
        try {
          await this.log.append(runtime.partition, pending.records, pending.transactional);
          pending.commit();
          if (isTimer) runtime.timerRetryNotBeforeMs = undefined;
        } catch (appendError) {
          const errorCode = appendErrorToResponseError(appendError);
          this.logger?.warn(
            { partition: runtime.partition, records: pending.records.length, errorCode, err: appendError },
            'appending to __consumer_offsets failed; the operation is rolled back',
          );
          outcome = pending.abort(errorCode);
          if (isTimer) runtime.timerRetryNotBeforeMs = this.scheduler.nowMs() + this.timerRetryBackoffMs;
        }
      }
      this.deliver(outcome.completions);
      this.armTimer(runtime);
      return { response: outcome.response };
    });
  }

  private isActive(runtime: PartitionRuntime): boolean {
    return this.partitions.get(runtime.partition) === runtime && runtime.status === 'active';
  }

  private serialize<T>(partition: number, task: () => T | Promise<T>): Promise<T> {
    const tail = this.queues.get(partition) ?? Promise.resolve();
    const run = tail.then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(partition, settled);
    void settled.then(() => {
      if (this.queues.get(partition) === settled) this.queues.delete(partition);
    });
    return run;
  }

  private deliver(completions: readonly Completion[]): void {
    for (const { responder, response } of completions) {
      const resolve = this.responders.get(responder.id);
      if (resolve === undefined) continue;
      this.responders.delete(responder.id);
      resolve(response);
    }
  }

  // ---- timers ----

  /** Arms the scheduler for the shard's earliest deadline (not before a retry backoff). */
  private armTimer(runtime: PartitionRuntime): void {
    if (!this.isActive(runtime)) {
      this.disarmTimer(runtime);
      return;
    }
    let deadline = runtime.shard.nextDeadlineMs();
    if (deadline !== undefined && runtime.timerRetryNotBeforeMs !== undefined) {
      deadline = Math.max(deadline, runtime.timerRetryNotBeforeMs);
    }
    if (deadline === runtime.timerDeadlineMs && runtime.cancelTimer !== undefined) return;
    this.disarmTimer(runtime);
    if (deadline === undefined) return;
    runtime.timerDeadlineMs = deadline;
    runtime.cancelTimer = this.scheduler.schedule(Math.max(0, deadline - this.scheduler.nowMs()), () => {
      runtime.cancelTimer = undefined;
      runtime.timerDeadlineMs = undefined;
      void this.execute(runtime, (shard, nowMs) => shard.expireTimers(nowMs), true).catch((error: unknown) => {
        this.logger?.error({ partition: runtime.partition, err: error }, 'group coordinator timers failed');
        // A timer that throws is retried after the backoff rather than in a tight loop.
        runtime.timerRetryNotBeforeMs = this.scheduler.nowMs() + this.timerRetryBackoffMs;
        this.armTimer(runtime);
      });
    });
  }

  private disarmTimer(runtime: PartitionRuntime): void {
    runtime.cancelTimer?.();
    runtime.cancelTimer = undefined;
    runtime.timerDeadlineMs = undefined;
  }
}
