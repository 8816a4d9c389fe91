import {
  ErrorCode,
  HeartbeatApi,
  JoinGroupApi,
  type JoinGroupResponse,
  KafkaError,
  LeaveGroupApi,
  SyncGroupApi,
} from '@samsa/protocol';
import { type TopicPartition, tpKey } from '../common/topic-partition.js';
import type { ConsumerConfig } from '../config/client-config.js';
import type { Connection } from '../connection/connection.js';
import { sleep } from '../connection/connection-pool.js';
import { ClientError, ClientErrorCode } from '../errors/client-errors.js';
import { GroupCoordinatorConnection } from '../group/group-coordinator-connection.js';
import type { Cluster } from '../metadata/cluster.js';
import type { MemberSubscription, PartitionAssignor, RebalanceProtocol } from './assignors/partition-assignor.js';
import {
  decodeMemberAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from './consumer-protocol.js';
import type { GroupMembership } from './group-membership.js';
import {
  COORDINATOR_MOVED,
  type CommitEntry,
  type CommittedOffset,
  commitGroupOffsets,
  fetchCommittedOffsets,
  type GroupOffsetsContext,
} from './group-offsets.js';
import { type CoordinatorHooks, PartitionOwnership } from './partition-ownership.js';
import type { RebalanceListener } from './rebalance-listener.js';
import type { SubscriptionState } from './subscription-state.js';

/** Errors after which this member is no longer in the group: its partitions are lost. */
const MEMBERSHIP_LOST = new Set<number>([
  ErrorCode.UNKNOWN_MEMBER_ID,
  ErrorCode.ILLEGAL_GENERATION,
  ErrorCode.FENCED_INSTANCE_ID,
]);
/** OffsetCommit errors saying this member's generation is not the group's (see onMembershipError). */
const COMMIT_MEMBERSHIP_ERRORS: ReadonlySet<number> = new Set<number>([
  ...MEMBERSHIP_LOST,
  ErrorCode.REBALANCE_IN_PROGRESS,
]);

/**
 * Group membership for the classic protocol (Kafka's ConsumerCoordinator): FindCoordinator,
 * JoinGroup (the leader runs the assignor), SyncGroup, heartbeats on a timer, LeaveGroup, and
 * offset commit/fetch.
 *
 * Threading: heartbeats run on their own timer, so they continue while the application handles
 * records; rebalances run only from `poll` (or `run` between batches), so rebalance listeners
 * never race with record handling. The timer also enforces `max.poll.interval.ms`: a member that
 * has not polled for that long leaves the group (dynamic members send LeaveGroup, as Java does)
 * and rejoins, with its partitions lost, on its next poll.
 */
export class ConsumerCoordinator implements GroupMembership {
  generationId = -1;
  memberId = '';
  protocolName: string | null = null;
  private state: 'UNJOINED' | 'REBALANCING' | 'STABLE' = 'UNJOINED';
  rejoinNeeded = true;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight = false;
  private lastHeartbeatOkMs = Date.now();
  lastPollMs = Date.now();
  private closed = false;
  /** Why the next JoinGroup happens, when the application asked for it (JoinGroup v8+ reason). */
  private rejoinReason: string | undefined;
  private readonly protocol: RebalanceProtocol;
  private readonly offsetsContext: GroupOffsetsContext;
  private readonly coordinatorConnection: GroupCoordinatorConnection;
  private readonly ownership: PartitionOwnership;
  /**
   * Partition counts the leader assigned with, to notice new partitions; 0 for a subscribed topic
   * that had no metadata yet (not created, or no leaders), to notice it appear.
   */
  private assignedWithCounts = new Map<string, number>();
  private lastMissingTopicsRefreshMs = 0;
  isLeader = false;
  private rebalancing: Promise<void> | undefined;
  /** Set by the heartbeat timer when the member must give up its partitions as lost. */
  private lostPending = false;
  /** An error to throw from the next poll (e.g. FENCED_INSTANCE_ID for a static member). */
  fatalError: Error | undefined;

  constructor(
    private readonly config: ConsumerConfig,
    private readonly cluster: Cluster,
    private readonly subscriptions: SubscriptionState,
    private readonly assignors: readonly PartitionAssignor[],
    listenerOf: () => RebalanceListener | undefined,
    private readonly hooks: CoordinatorHooks,
  ) {
    this.coordinatorConnection = new GroupCoordinatorConnection(cluster, config.groupId as string);
    this.offsetsContext = this.createOffsetsContext();
    this.ownership = new PartitionOwnership(subscriptions, listenerOf, hooks, () => ({
      groupId: this.groupId,
      memberId: this.memberId,
      generationId: this.generationId,
    }));
    this.protocol = assignors.every((a) => a.protocol === 'COOPERATIVE') ? 'COOPERATIVE' : 'EAGER';
  }

  subscriptionChanged(): void {
    this.rejoinNeeded = true;
  }

  /** Java's `enforceRebalance`: the next poll rejoins (at once if a poll is waiting). */
  enforceRebalance(reason: string): void {
    if (this.closed) return;
    this.rejoinReason = reason;
    this.rejoinNeeded = true;
    this.hooks.wakeup();
  }

  get groupId(): string {
    return this.config.groupId as string;
  }

  get rebalanceProtocol(): RebalanceProtocol {
    return this.protocol;
  }

  get isStable(): boolean {
    return this.state === 'STABLE' && !this.rejoinNeeded;
  }

  connection(signal?: AbortSignal): Promise<Connection> {
    return this.coordinatorConnection.get(signal);
  }

  private markCoordinatorUnknown(): void {
    this.coordinatorConnection.markUnknown();
  }

  /**
   * Called at the start of every poll: handles lost partitions, applies a completed assignment
   * (listeners run here, never concurrently with record handling) and rejoins when needed.
   *
   * Eager rebalances (and a first join) complete before it returns: there is nothing to consume
   * meanwhile. A cooperative rebalance of a member that owns partitions runs in the background:
   * poll keeps returning records of the owned partitions while JoinGroup waits for the other
   * members, and the new assignment is applied by the first poll after SyncGroup — KIP-429's
   * "no stop-the-world".
   */
  async poll(signal?: AbortSignal): Promise<void> {
    this.lastPollMs = Date.now();
    if (this.fatalError !== undefined) throw this.fatalError;
    if (this.lostPending) {
      this.lostPending = false;
      await this.ownership.loseAll();
    }
    const pending = this.pendingAssignment;
    if (pending !== undefined) {
      this.pendingAssignment = undefined;
      await this.applyAssignment(pending);
    }
    this.checkNewPartitions();
    if (!this.rejoinNeeded && this.state === 'STABLE') return;
    const background = this.protocol === 'COOPERATIVE' && this.generationId >= 0 && this.ownedPartitions().length > 0;
    if (this.rebalancing === undefined) {
      const rebalancing = this.rebalance(background ? undefined : signal, background);
      this.rebalancing = rebalancing.finally(() => {
        this.rebalancing = undefined;
      });
      if (background) {
        this.rebalancing.catch((error: unknown) => {
          this.fatalError ??= error as Error;
          this.hooks.wakeup();
        });
        return;
      }
    }
    if (!background) await this.rebalancing;
  }

  /** An assignment received in a background (cooperative) rebalance, applied by the next poll. */
  private pendingAssignment: TopicPartition[] | undefined;

  /** Partitions added to a subscribed topic trigger a rebalance from the leader, as in Java. */
  private checkNewPartitions(): void {
    if (!this.isLeader || this.state !== 'STABLE') return;
    const missing: string[] = [];
    for (const [topic, count] of this.assignedWithCounts) {
      const now = this.cluster.topics.get(topic)?.partitions.length;
      if (now !== undefined && now !== count) {
        this.rejoinNeeded = true;
        return;
      }
      if (count === 0) missing.push(topic);
    }
    // Java's consumer refreshes metadata with backoff while a subscribed topic is unknown, so a
    // topic created after the group formed is assigned within a second or so, not only after
    // metadata.max.age.ms.
    const now = Date.now();
    if (missing.length > 0 && now - this.lastMissingTopicsRefreshMs >= this.config.retryBackoffMaxMs) {
      this.lastMissingTopicsRefreshMs = now;
      this.cluster.refresh(missing).catch(() => {});
    }
  }

  private async rebalance(signal: AbortSignal | undefined, background: boolean): Promise<void> {
    for (;;) {
      if (this.closed) return;
      if (background && this.generationId < 0 && this.ownedPartitions().length > 0) {
        // Membership lost mid-rebalance: the next poll reports the partitions lost and rejoins.
        this.lostPending = true;
        this.hooks.wakeup();
        return;
      }
      try {
        await this.joinAndSync(signal, background);
        if (!this.rejoinNeeded) return;
      } catch (error) {
        if (error instanceof ClientError && error.code === ClientErrorCode.ABORTED) throw error;
        if (error instanceof KafkaError && error.errorCode === ErrorCode.FENCED_INSTANCE_ID) {
          this.fatalError = error;
          throw error;
        }
        if (
          error instanceof KafkaError &&
          (error.retriable ||
            MEMBERSHIP_LOST.has(error.errorCode) ||
            error.errorCode === ErrorCode.REBALANCE_IN_PROGRESS)
        ) {
          if (COORDINATOR_MOVED.has(error.errorCode)) this.markCoordinatorUnknown();
          await sleep(this.config.retryBackoffMs, signal);
          continue;
        }
        throw error;
      }
    }
  }

  private ownedPartitions(): TopicPartition[] {
    return this.ownership.owned;
  }

  private async joinAndSync(signal: AbortSignal | undefined, deferApply: boolean): Promise<void> {
    if (this.generationId < 0 && this.ownedPartitions().length > 0) {
      // Our membership was reset: what we still hold may be someone else's by now.
      await this.ownership.loseAll();
    } else if (this.protocol === 'EAGER') {
      // Eager: give up everything before joining (committing what was processed first).
      const owned = this.ownedPartitions();
      if (owned.length > 0) await this.ownership.revoke(owned);
    }
    this.state = 'REBALANCING';
    this.stopHeartbeats();
    const topics = [...this.subscriptions.topics].sort();
    const owned = this.ownedPartitions();
    const connection = await this.connection(signal);
    const rebalanceTimeoutMs = this.config.maxPollIntervalMs;
    let join: JoinGroupResponse;
    for (;;) {
      join = await connection.request(
        JoinGroupApi,
        {
          groupId: this.groupId,
          sessionTimeoutMs: this.config.sessionTimeoutMs,
          rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: this.config.groupInstanceId,
          protocolType: 'consumer',
          protocols: this.assignors.map((a) => ({
            name: a.name,
            metadata: encodeSubscription({
              topics,
              userData: a.subscriptionUserData?.(topics) ?? null,
              ownedPartitions: owned,
              generationId: this.generationId,
              rackId: this.config.clientRack === '' ? null : this.config.clientRack,
            }),
          })),
          reason: this.rejoinReason ?? null,
        },
        {
          timeoutMs: Math.max(this.config.requestTimeoutMs, rebalanceTimeoutMs + 5000),
          ...(signal === undefined ? {} : { signal }),
        },
      );
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
        // KIP-394: the broker hands out the member ID first; join again with it.
        this.memberId = join.memberId;
        continue;
      }
      break;
    }
    if (join.errorCode !== 0) {
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || join.errorCode === ErrorCode.ILLEGAL_GENERATION) {
        this.resetGeneration();
      }
      if (COORDINATOR_MOVED.has(join.errorCode)) this.markCoordinatorUnknown();
      throw new KafkaError(join.errorCode, `JoinGroup ${this.groupId}`);
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.protocolName = join.protocolName;
    this.isLeader = join.leader === join.memberId;
    this.ownership.publish('join');
    const assignments = this.isLeader && !join.skipAssignment ? await this.performAssignment(join) : [];
    const sync = await connection.request(
      SyncGroupApi,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: this.config.groupInstanceId,
        protocolType: 'consumer',
        protocolName: this.protocolName,
        assignments,
      },
      {
        timeoutMs: Math.max(this.config.requestTimeoutMs, rebalanceTimeoutMs + 5000),
        ...(signal === undefined ? {} : { signal }),
      },
    );
    if (sync.errorCode !== 0) {
      if (MEMBERSHIP_LOST.has(sync.errorCode)) this.resetGeneration();
      if (COORDINATOR_MOVED.has(sync.errorCode)) this.markCoordinatorUnknown();
      this.rejoinNeeded = true;
      throw new KafkaError(sync.errorCode, `SyncGroup ${this.groupId}`);
    }
    this.rejoinReason = undefined;
    const received = decodeMemberAssignment(sync.assignment);
    const assigned = received.partitions.filter((tp) => this.subscriptions.matches(tp.topic));
    this.assignors.find((a) => a.name === this.protocolName)?.onAssignment?.(received, this.generationId);
    this.state = 'STABLE';
    this.rejoinNeeded = false;
    this.lastHeartbeatOkMs = Date.now();
    this.startHeartbeats();
    if (deferApply) {
      this.pendingAssignment = assigned;
      this.hooks.wakeup();
      return;
    }
    await this.applyAssignment(assigned);
  }

  private async applyAssignment(assigned: TopicPartition[]): Promise<void> {
    const before = new Set(this.ownedPartitions().map((tp) => tpKey(tp.topic, tp.partition)));
    const after = new Set(assigned.map((tp) => tpKey(tp.topic, tp.partition)));
    const revoked = this.ownedPartitions().filter((tp) => !after.has(tpKey(tp.topic, tp.partition)));
    const added = assigned.filter((tp) => !before.has(tpKey(tp.topic, tp.partition)));
    if (revoked.length > 0) {
      await this.ownership.revoke(revoked);
      // Cooperative: what we gave up goes to its new owner in a follow-up rebalance.
      if (this.protocol === 'COOPERATIVE') this.rejoinNeeded = true;
    }
    await this.ownership.assign(added, this.protocol === 'COOPERATIVE' ? added : assigned);
    if (this.rejoinNeeded) this.hooks.wakeup();
  }

  private async performAssignment(join: JoinGroupResponse): Promise<{ memberId: string; assignment: Buffer }[]> {
    const assignor = this.assignors.find((a) => a.name === join.protocolName);
    if (assignor === undefined) {
      throw new KafkaError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, `no assignor named ${join.protocolName}`);
    }
    const subscriptions = new Map<string, MemberSubscription>();
    const allTopics = new Set<string>();
    for (const m of join.members) {
      const sub = decodeSubscription(m.memberId, m.groupInstanceId, m.metadata);
      subscriptions.set(m.memberId, sub);
      for (const t of sub.topics) allTopics.add(t);
    }
    const metadata = await this.cluster.fetchMetadata([...allTopics], false);
    const partitionsPerTopic = new Map<string, number>();
    for (const t of metadata.topics) {
      if (t.name !== null && t.errorCode === 0 && t.partitions.length > 0)
        partitionsPerTopic.set(t.name, t.partitions.length);
    }
    this.assignedWithCounts = new Map(partitionsPerTopic);
    for (const t of allTopics) if (!partitionsPerTopic.has(t)) this.assignedWithCounts.set(t, 0);
    const result = await assignor.assign(partitionsPerTopic, subscriptions);
    return [...result].map(([memberId, assignment]) => ({ memberId, assignment: encodeAssignment(assignment) }));
  }

  private resetGeneration(): void {
    this.generationId = -1;
    this.memberId = '';
    this.state = 'UNJOINED';
    this.rejoinNeeded = true;
    this.isLeader = false;
  }

  // ---- heartbeats ----

  private startHeartbeats(): void {
    this.stopHeartbeats();
    this.heartbeatTimer = setInterval(() => this.heartbeatTick(), this.config.heartbeatIntervalMs);
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private heartbeatTick(): void {
    if (this.closed || this.state !== 'STABLE') return;
    if (Date.now() - this.lastPollMs > this.config.maxPollIntervalMs) {
      // The application is stuck: let the group move on without it (Java's poll timeout).
      this.stopHeartbeats();
      void this.leaveGroup('consumer poll timeout has expired').finally(() => {
        this.resetGeneration();
        this.lostPending = true;
        this.hooks.wakeup();
      });
      return;
    }
    if (this.heartbeatInFlight) return;
    if (Date.now() - this.lastHeartbeatOkMs > this.config.sessionTimeoutMs) this.markCoordinatorUnknown();
    this.heartbeatInFlight = true;
    const sentGeneration = this.generationId;
    this.connection()
      .then((connection) =>
        connection.request(HeartbeatApi, {
          groupId: this.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: this.config.groupInstanceId,
        }),
      )
      .then(
        (response) => {
          // A response to a heartbeat of an older generation says nothing about the current one.
          if (this.state !== 'STABLE' || this.generationId !== sentGeneration) return;
          const code = response.errorCode;
          if (code === 0) {
            this.lastHeartbeatOkMs = Date.now();
            return;
          }
          if (code === ErrorCode.REBALANCE_IN_PROGRESS) {
            this.lastHeartbeatOkMs = Date.now();
            this.rejoinNeeded = true;
          } else if (MEMBERSHIP_LOST.has(code)) {
            if (code === ErrorCode.FENCED_INSTANCE_ID) this.fatalError = new KafkaError(code, 'Heartbeat');
            this.resetGeneration();
            this.lostPending = true;
            this.stopHeartbeats();
          } else if (COORDINATOR_MOVED.has(code)) this.markCoordinatorUnknown();
          this.hooks.wakeup();
        },
        () => this.markCoordinatorUnknown(),
      )
      .finally(() => {
        this.heartbeatInFlight = false;
      });
  }

  /** LeaveGroup for a dynamic member (static members stay registered until their session expires). */
  async leaveGroup(reason: string): Promise<void> {
    if (this.memberId === '' || this.config.groupInstanceId !== null) return;
    this.ownership.publish('leave');
    try {
      const connection = await this.connection();
      await connection.requestVersioned(LeaveGroupApi, (v) =>
        v >= 3
          ? { groupId: this.groupId, members: [{ memberId: this.memberId, groupInstanceId: null, reason }] }
          : { groupId: this.groupId, memberId: this.memberId },
      );
    } catch {
      // Leaving is best effort: the session timeout removes us anyway.
    }
  }

  // ---- offsets ----

  /** Commits offsets for the current generation (or as a simple commit when assigned manually). */
  commit(entries: readonly CommitEntry[], signal?: AbortSignal): Promise<void> {
    return commitGroupOffsets(this.offsetsContext, entries, signal);
  }

  /** The group's committed offsets for `partitions` (requireStable: waits out pending transactional commits). */
  fetchCommitted(partitions: readonly TopicPartition[], signal?: AbortSignal): Promise<CommittedOffset[]> {
    return fetchCommittedOffsets(this.offsetsContext, partitions, signal);
  }

  private createOffsetsContext(): GroupOffsetsContext {
    return {
      config: this.config,
      groupId: this.groupId,
      connection: (signal) => this.connection(signal),
      markCoordinatorUnknown: () => this.markCoordinatorUnknown(),
      commitMember: () =>
        this.subscriptions.mode === 'assigned'
          ? { generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null }
          : {
              generationIdOrMemberEpoch: this.generationId,
              memberId: this.memberId,
              groupInstanceId: this.config.groupInstanceId,
            },
      membershipErrors: COMMIT_MEMBERSHIP_ERRORS,
      onMembershipError: (code, sent) => {
        // Java's CommitFailedException: the group moved on. The membership is gone only if nothing
        // changed since the commit was sent; mid-rebalance (a newer generation, or joining) the
        // commit just lost the race, as Java's RebalanceInProgressException.
        const manual = sent.generationIdOrMemberEpoch === -1 && sent.memberId === '';
        const unchanged = !manual && this.state === 'STABLE' && this.generationId === sent.generationIdOrMemberEpoch;
        if (MEMBERSHIP_LOST.has(code) && unchanged) {
          this.resetGeneration();
          this.lostPending = true;
        } else if (code === ErrorCode.REBALANCE_IN_PROGRESS) this.rejoinNeeded = true;
        this.hooks.wakeup();
        return false;
      },
    };
  }

  /** Stops heartbeats and leaves the group (dynamic members). Partitions are revoked by the caller first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeats();
    if (this.state !== 'UNJOINED') await this.leaveGroup('the consumer is being closed');
    this.state = 'UNJOINED';
  }

  /**
   * Before close: commit (auto-commit) and revoke everything, or report it lost if our
   * membership is already gone, as Java's onLeavePrepare does.
   */
  async revokeAll(): Promise<void> {
    if (this.lostPending || this.generationId < 0) {
      this.lostPending = false;
      await this.ownership.loseAll();
      return;
    }
    const owned = this.ownedPartitions();
    if (owned.length > 0) await this.ownership.revoke(owned);
  }

  /** Called on unsubscribe: revoke everything and leave. */
  async unsubscribe(): Promise<void> {
    const owned = this.ownedPartitions();
    if (owned.length > 0) await this.ownership.revoke(owned);
    this.stopHeartbeats();
    if (this.state !== 'UNJOINED') await this.leaveGroup('the consumer unsubscribed');
    this.resetGeneration();
  }
}

export type { CommitEntry, CommittedOffset } from './group-offsets.js';
export type { CoordinatorHooks } from './partition-ownership.js';
