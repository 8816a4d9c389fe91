import {
  ErrorCode,
  HeartbeatApi,
  JoinGroupApi,
  type JoinGroupResponse,
  KafkaError,
  LeaveGroupApi,
  SyncGroupApi,
} from '@samsa/protocol';
import type { CommonConfig } from '../config/client-config.js';
import { type ConfigInput, resolveConfig } from '../config/resolve-config.js';
import type { Connection } from '../connection/connection.js';
import { Cluster } from '../metadata/cluster.js';
import { GroupCoordinatorConnection } from './group-coordinator-connection.js';

/** One protocol a member offers in JoinGroup, in order of preference. */
export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** A member as the leader sees it in the JoinGroup response. */
export interface GroupMemberMetadata {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** What the embedding protocol (Connect, a custom one) plugs into the membership. */
export interface GroupMemberProtocol {
  /** The JoinGroup protocol type, e.g. `connect`; members of one group must agree on it. */
  readonly protocolType: string;
  /** Protocols offered at each join (the metadata may change between joins). */
  metadata(): GroupProtocol[];
  /** Called before every (re)join: eager protocols give up what they own here. */
  onJoinPrepare(generationId: number, memberId: string): Promise<void>;
  /** Leader only: one assignment per member, by member ID. */
  performAssignment(
    leaderId: string,
    protocol: string,
    members: readonly GroupMemberMetadata[],
  ): Promise<Map<string, Buffer>>;
  /** The group is stable with this assignment. */
  onJoinComplete(generationId: number, memberId: string, protocol: string, assignment: Buffer): Promise<void>;
}

export interface GroupMemberOptions {
  /** Client settings by Kafka's names (`bootstrap.servers`, `security.protocol`, …). */
  readonly client: ConfigInput;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
}

/** Errors after which this member is out of the group and must join as new. */
const MEMBERSHIP_LOST = new Set<number>([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.ILLEGAL_GENERATION]);
const COORDINATOR_MOVED = new Set<number>([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.REQUEST_TIMED_OUT,
]);

/**
 * A member of a classic-protocol group with a protocol type of its own (Kafka's
 * AbstractCoordinator): FindCoordinator, JoinGroup (the leader's assignment comes from
 * `protocol.performAssignment`), SyncGroup, heartbeats on a timer, LeaveGroup. The consumer keeps
 * its own coordinator; this one serves Kafka Connect's `connect` protocol and anything similar.
 *
 * Threading: `ensureActive()` is the only place a join happens and must not be called
 * concurrently (the owner calls it from one loop). Heartbeats run on a timer; when they learn a
 * rebalance is needed (REBALANCE_IN_PROGRESS, membership lost) they set `rejoinNeeded` and call
 * `onRejoinNeeded` so the owner's loop wakes up and calls `ensureActive()` again.
 */
export class GroupMember {
  generationId = -1;
  memberId = '';
  leaderId = '';
  protocolName: string | null = null;
  rejoinNeeded = true;
  private readonly cluster: Cluster;
  private readonly coordinator: GroupCoordinatorConnection;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight = false;
  /** A JoinGroup/SyncGroup exchange is in flight (heartbeats pause meanwhile). */
  private joining = false;
  private lastHeartbeatOkMs = Date.now();
  private closed = false;
  /** Set by the owner to learn (from the heartbeat timer) that it must call `ensureActive()`. */
  onRejoinNeeded: () => void = () => {};

  constructor(
    private readonly options: GroupMemberOptions,
    private readonly protocol: GroupMemberProtocol,
  ) {
    const config = resolveConfig('admin', options.client) as unknown as CommonConfig;
    this.cluster = new Cluster(config, false);
    this.coordinator = new GroupCoordinatorConnection(this.cluster, options.groupId);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get isLeader(): boolean {
    return this.memberId !== '' && this.memberId === this.leaderId;
  }

  /** Asks for a rebalance: the next `ensureActive()` rejoins (and so does everyone else). */
  requestRejoin(): void {
    this.rejoinNeeded = true;
    this.onRejoinNeeded();
  }

  /** Joins (or rejoins) until the group is stable; returns at once if nothing is needed. */
  async ensureActive(signal?: AbortSignal): Promise<void> {
    while (this.rejoinNeeded && !this.closed) {
      try {
        await this.joinAndSync(signal);
      } catch (error) {
        if (signal?.aborted || this.closed) throw error;
        // Connection failures and retriable group errors are retried, as Kafka's workers do
        // forever; a non-retriable one (INCONSISTENT_GROUP_PROTOCOL, authorization) is the owner's.
        if (error instanceof KafkaError && !isRetriableJoinError(error)) throw error;
        if (!(error instanceof KafkaError)) this.coordinator.markUnknown();
        await new Promise((resolve) => setTimeout(resolve, this.cluster.config.retryBackoffMs));
      }
    }
  }

  private connection(signal?: AbortSignal): Promise<Connection> {
    return this.coordinator.get(signal);
  }

  private async joinAndSync(signal: AbortSignal | undefined): Promise<void> {
    // Heartbeats go on while the owner gives up its work (it may take longer than the session),
    // and pause while the join itself is in flight, as Kafka's heartbeat thread does.
    await this.protocol.onJoinPrepare(this.generationId, this.memberId);
    this.joining = true;
    this.stopHeartbeats();
    try {
      await this.join(signal);
    } finally {
      this.joining = false;
    }
  }

  private async join(signal: AbortSignal | undefined): Promise<void> {
    const connection = await this.connection(signal);
    const timeoutMs = Math.max(this.cluster.config.requestTimeoutMs, this.options.rebalanceTimeoutMs + 5000);
    const requestOptions = signal === undefined ? { timeoutMs } : { timeoutMs, signal };
    let join: JoinGroupResponse;
    for (;;) {
      join = await connection.request(
        JoinGroupApi,
        {
          groupId: this.groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: null,
          protocolType: this.protocol.protocolType,
          protocols: this.protocol.metadata(),
          reason: null,
        },
        requestOptions,
      );
      // KIP-394: the broker hands out the member ID first; join again with it.
      if (join.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) break;
      this.memberId = join.memberId;
    }
    if (join.errorCode !== 0) {
      if (MEMBERSHIP_LOST.has(join.errorCode)) this.resetGeneration();
      if (COORDINATOR_MOVED.has(join.errorCode)) this.coordinator.markUnknown();
      throw new KafkaError(join.errorCode, `JoinGroup ${this.groupId}`);
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.leaderId = join.leader;
    this.protocolName = join.protocolName;
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    if (this.isLeader && !join.skipAssignment) {
      const members = join.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        metadata: Buffer.from(m.metadata),
      }));
      const byMember = await this.protocol.performAssignment(join.leader, join.protocolName ?? '', members);
      assignments = [...byMember].map(([memberId, assignment]) => ({ memberId, assignment }));
    }
    const sync = await connection.request(
      SyncGroupApi,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: this.protocol.protocolType,
        protocolName: this.protocolName,
        assignments,
      },
      requestOptions,
    );
    if (sync.errorCode !== 0) {
      if (MEMBERSHIP_LOST.has(sync.errorCode)) this.resetGeneration();
      if (COORDINATOR_MOVED.has(sync.errorCode)) this.coordinator.markUnknown();
      throw new KafkaError(sync.errorCode, `SyncGroup ${this.groupId}`);
    }
    this.rejoinNeeded = false;
    this.lastHeartbeatOkMs = Date.now();
    this.joining = false;
    this.startHeartbeats();
    await this.protocol.onJoinComplete(
      this.generationId,
      this.memberId,
      this.protocolName ?? '',
      Buffer.from(sync.assignment),
    );
  }

  private resetGeneration(): void {
    this.generationId = -1;
    this.memberId = '';
    this.leaderId = '';
    this.rejoinNeeded = true;
  }

  private startHeartbeats(): void {
    this.stopHeartbeats();
    this.heartbeatTimer = setInterval(() => this.heartbeatTick(), this.options.heartbeatIntervalMs);
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private heartbeatTick(): void {
    if (this.closed || this.joining || this.heartbeatInFlight || this.generationId < 0) return;
    if (Date.now() - this.lastHeartbeatOkMs > this.options.sessionTimeoutMs) this.coordinator.markUnknown();
    this.heartbeatInFlight = true;
    const sentGeneration = this.generationId;
    this.connection()
      .then((connection) =>
        connection.request(HeartbeatApi, {
          groupId: this.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: null,
        }),
      )
      .then(
        (response) => {
          // A response about an older generation says nothing about the current one.
          if (this.generationId !== sentGeneration) return;
          const code = response.errorCode;
          if (code === 0) {
            this.lastHeartbeatOkMs = Date.now();
            return;
          }
          if (COORDINATOR_MOVED.has(code)) {
            this.coordinator.markUnknown();
            return;
          }
          if (MEMBERSHIP_LOST.has(code)) {
            this.resetGeneration();
            this.stopHeartbeats();
          }
          this.requestRejoin();
        },
        () => {
          this.coordinator.markUnknown();
        },
      )
      .finally(() => {
        this.heartbeatInFlight = false;
      });
  }

  /** LeaveGroup (best effort: the session timeout removes the member anyway). */
  async leaveGroup(reason: string): Promise<void> {
    this.stopHeartbeats();
    if (this.memberId === '') return;
    try {
      const connection = await this.connection();
      await connection.requestVersioned(LeaveGroupApi, (v) =>
        v >= 3
          ? { groupId: this.groupId, members: [{ memberId: this.memberId, groupInstanceId: null, reason }] }
          : { groupId: this.groupId, memberId: this.memberId },
      );
    } catch {
      // best effort
    }
    this.resetGeneration();
  }

  /** Leaves the group and closes the connections. */
  async close(reason = 'the member is shutting down'): Promise<void> {
    if (this.closed) return;
    await this.leaveGroup(reason);
    this.closed = true;
    this.cluster.close();
  }
}

function isRetriableJoinError(error: KafkaError): boolean {
  const code = error.errorCode;
  return (
    error.retriable ||
    MEMBERSHIP_LOST.has(code) ||
    COORDINATOR_MOVED.has(code) ||
    code === ErrorCode.REBALANCE_IN_PROGRESS ||
    code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ||
    code === ErrorCode.UNKNOWN_SERVER_ERROR
  );
}
