import {
  ErrorCode,
  type HeartbeatResponseInput,
  type JoinGroupResponseInput,
  type LeaveGroupResponseInput,
  type LeaveGroupResponseMemberResponseInput,
  type SyncGroupResponseInput,
} from '@samsa/protocol';
import type { ClassicGroup } from './classic-group.js';
import { ClassicGroupMember, type GroupProtocol } from './classic-group-member.js';
import type { ClassicGroupRebalance } from './classic-group-rebalance.js';
import type { GroupCoordinatorConfig } from './group-coordinator-config.js';
import { groupMetadataRecord } from './group-coordinator-record.js';
import { GroupState } from './group-state.js';
import type { OperationEffects } from './operation-effects.js';
import type { Responder } from './operation-result.js';

export interface JoinGroupArgs {
  readonly groupId: string;
  /** "" for a member joining for the first time. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  /** JoinGroup v0 has none: the handler passes the session timeout, as Kafka does. */
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
  readonly clientId: string;
  readonly clientHost: string;
  /** JoinGroup v4+ (KIP-394): a new dynamic member first gets MEMBER_ID_REQUIRED and its member id. */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+ (KIP-814): a static leader replaced while Stable is told it may skip the assignment. */
  readonly supportSkippingAssignment: boolean;
}

export interface SyncGroupArgs {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** SyncGroup v5+: checked against the group's when present. */
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

export interface HeartbeatArgs {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** A member leaving (LeaveGroup v3+ names members by id or, for static members, by instance id). */
export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** What the membership logic needs from its shard. */
export interface MembershipHost {
  readonly config: GroupCoordinatorConfig;
  group(groupId: string): ClassicGroup | undefined;
  generateUuid(): string;
}

/**
 * The classic group protocol's requests (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) as
 * synchronous state transitions on a `ClassicGroup`, following Kafka's classic group coordinator
 * (KIP-62 rebalance timeout, KIP-345 static membership, KIP-394 member id required, KIP-814 skip
 * assignment); the rebalance phases they start and the timers live in `ClassicGroupRebalance`.
 * Every method runs inside one shard operation (`fx`): records it appends are replayed at once,
 * answers are collected, nothing is sent from here.
 *
 * Not reentrant; called only from the owning shard's operations.
 */
export class ClassicGroupMembership {
  constructor(
    private readonly host: MembershipHost,
    private readonly rebalance: ClassicGroupRebalance,
  ) {}

  // ---- JoinGroup ----

  join(fx: OperationEffects, args: JoinGroupArgs, responder: Responder<JoinGroupResponseInput>): void {
    const { config } = this.host;
    if (
      args.sessionTimeoutMs < config.groupMinSessionTimeoutMs ||
      args.sessionTimeoutMs > config.groupMaxSessionTimeoutMs
    ) {
      fx.complete(responder, { memberId: args.memberId, errorCode: ErrorCode.INVALID_SESSION_TIMEOUT });
      return;
    }
    const isUnknownMember = args.memberId === '';
    let group = this.host.group(args.groupId);
    if (group === undefined) {
      // Only a member without an id may create a group; a known id means the group was lost.
      if (!isUnknownMember) {
        fx.complete(responder, { memberId: args.memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
        return;
      }
      group = this.createGroup(fx, args.groupId);
    }
    if (!this.acceptJoiningMember(group, args.memberId)) {
      group.remove(args.memberId);
      group.cancelHeartbeat(args.memberId);
      fx.complete(responder, { memberId: '', errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED });
      this.rebalance.maybeCompleteJoinPhase(fx, group);
    } else if (isUnknownMember) {
      this.joinNewMember(fx, group, args, responder);
    } else {
      this.joinExistingMember(fx, group, args, responder);
    }
  }

  /**
   * Creates the group through its first record (an Empty generation-0 group), so that even a group
   * whose members never complete a rebalance exists durably and is rolled back if that append
   * fails, as Kafka 3.7+ does.
   */
  private createGroup(fx: OperationEffects, groupId: string): ClassicGroup {
    fx.append(
      groupMetadataRecord(groupId, {
        protocolType: '',
        generation: 0,
        protocol: null,
        leader: null,
        currentStateTimestamp: BigInt(fx.nowMs),
        members: [],
      }),
    );
    return this.host.group(groupId) as ClassicGroup;
  }

  /**
   * Whether the group has room for the member. While preparing a rebalance, rejoining members are
   * counted by parked JoinGroups (the group may be over a lowered max size, and counting joiners
   * sheds the last to rejoin); otherwise by members.
   */
  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const maxSize = this.host.config.groupMaxSize;
    switch (group.state) {
      case GroupState.Empty:
      case GroupState.Dead:
        return true;
      case GroupState.PreparingRebalance:
        return (group.has(memberId) && group.member(memberId).isAwaitingJoin) || group.numAwaitingJoin < maxSize;
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        return group.has(memberId) || group.size < maxSize;
    }
  }

  private joinNewMember(
    fx: OperationEffects,
    group: ClassicGroup,
    args: JoinGroupArgs,
    responder: Responder<JoinGroupResponseInput>,
  ): void {
    if (group.is(GroupState.Dead)) {
      fx.complete(responder, { memberId: '', errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
      return;
    }
    if (!group.supportsProtocols(args.protocolType, protocolNames(args.protocols))) {
      fx.complete(responder, { memberId: '', errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL });
      return;
    }
    // Kafka's member id: `<client.id or group.instance.id>-<UUID>`.
    const newMemberId = `${args.groupInstanceId ?? args.clientId}-${this.host.generateUuid()}`;
    if (args.groupInstanceId !== null) {
      const existingMemberId = group.staticMemberId(args.groupInstanceId);
      if (existingMemberId !== undefined) {
        this.replaceStaticMember(fx, group, args, existingMemberId, newMemberId, responder);
      } else {
        this.addMemberThenRebalanceOrCompleteJoin(fx, group, args, newMemberId, responder);
      }
    } else if (args.requireKnownMemberId) {
      // KIP-394: the member must come back with this id; until then it is pending, and holds up
      // the join phase, for at most one session timeout.
      group.addPendingMember(newMemberId);
      group.scheduleHeartbeat(newMemberId, fx.nowMs + args.sessionTimeoutMs);
      fx.complete(responder, { memberId: newMemberId, errorCode: ErrorCode.MEMBER_ID_REQUIRED });
    } else {
      this.addMemberThenRebalanceOrCompleteJoin(fx, group, args, newMemberId, responder);
    }
  }

  private joinExistingMember(
    fx: OperationEffects,
    group: ClassicGroup,
    args: JoinGroupArgs,
    responder: Responder<JoinGroupResponseInput>,
  ): void {
    const { memberId } = args;
    if (group.is(GroupState.Dead)) {
      fx.complete(responder, { memberId, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
      return;
    }
    if (!group.supportsProtocols(args.protocolType, protocolNames(args.protocols))) {
      fx.complete(responder, { memberId, errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL });
      return;
    }
    if (group.isPendingMember(memberId)) {
      // Pending ids are only handed to dynamic members; Kafka fails such a request the same way.
      if (args.groupInstanceId !== null) {
        fx.complete(responder, { memberId, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
        return;
      }
      this.addMemberThenRebalanceOrCompleteJoin(fx, group, args, memberId, responder);
      return;
    }
    const error = validateMember(group, memberId, args.groupInstanceId);
    if (error !== ErrorCode.NONE) {
      fx.complete(responder, { memberId, errorCode: error, protocolType: null, protocolName: null });
      return;
    }
    const member = group.member(memberId);
    switch (group.state) {
      case GroupState.PreparingRebalance:
        this.updateMemberThenRebalanceOrCompleteJoin(fx, group, member, args, responder);
        return;
      case GroupState.CompletingRebalance:
        if (member.matches(args.protocols)) {
          // The member probably lost the JoinGroup response: answer again for the current generation.
          fx.complete(responder, this.rebalance.joinResponse(group, memberId, group.isLeader(memberId)));
        } else {
          this.updateMemberThenRebalanceOrCompleteJoin(fx, group, member, args, responder);
        }
        return;
      case GroupState.Stable:
        // A rejoining leader forces a rebalance: it is how a leader reacts to changes that do not
        // show in member metadata (e.g. new partitions of subscribed topics). So does changed metadata
        // (KIP-429 cooperative members rejoin with their owned partitions).
        if (group.isLeader(memberId) || !member.matches(args.protocols)) {
          this.updateMemberThenRebalanceOrCompleteJoin(fx, group, member, args, responder);
        } else {
          fx.complete(responder, this.rebalance.joinResponse(group, memberId, false));
        }
        return;
      case GroupState.Empty:
      case GroupState.Dead:
        fx.complete(responder, { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
        return;
    }
  }

  private addMemberThenRebalanceOrCompleteJoin(
    fx: OperationEffects,
    group: ClassicGroup,
    args: JoinGroupArgs,
    memberId: string,
    responder: Responder<JoinGroupResponseInput>,
  ): void {
    const member = new ClassicGroupMember(
      memberId,
      args.groupInstanceId,
      args.clientId,
      args.clientHost,
      args.rebalanceTimeoutMs,
      args.sessionTimeoutMs,
      args.protocolType,
      args.protocols,
    );
    member.isNew = true;
    if (group.is(GroupState.PreparingRebalance) && group.previousState === GroupState.Empty)
      group.newMemberAdded = true;
    group.add(member, responder);
    // A new member cannot heartbeat before its first JoinGroup response, and a parked request
    // hides disconnects; bound its wait so that abandoned joiners do not hold up rebalances forever.
    group.scheduleHeartbeat(memberId, fx.nowMs + this.host.config.groupNewMemberJoinTimeoutMs);
    this.rebalance.maybePrepareRebalanceOrCompleteJoin(fx, group);
  }

  private updateMemberThenRebalanceOrCompleteJoin(
    fx: OperationEffects,
    group: ClassicGroup,
    member: ClassicGroupMember,
    args: JoinGroupArgs,
    responder: Responder<JoinGroupResponseInput>,
  ): void {
    // A second JoinGroup of the same member replaces the first; answer the first so that it is
    // not left without a response (Kafka leaves it to time out on the client).
    if (member.awaitingJoin !== undefined) {
      fx.complete(member.awaitingJoin, { memberId: member.memberId, errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    }
    group.updateMember(member, args.protocols, args.rebalanceTimeoutMs, args.sessionTimeoutMs, responder);
    this.rebalance.maybePrepareRebalanceOrCompleteJoin(fx, group);
  }

  /**
   * KIP-345: a static member restarting (JoinGroup without member id, known instance id) takes
   * over its old identity. While Stable and the group's protocol would not change, this needs no
   * rebalance: the new member id is stored and the member gets the current generation back.
   */
  private replaceStaticMember(
    fx: OperationEffects,
    group: ClassicGroup,
    args: JoinGroupArgs,
    oldMemberId: string,
    newMemberId: string,
    responder: Responder<JoinGroupResponseInput>,
  ): void {
    const groupInstanceId = args.groupInstanceId as string;
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId, fx.completions);
    group.cancelHeartbeat(oldMemberId);
    group.scheduleHeartbeat(newMemberId, fx.nowMs + member.sessionTimeoutMs);
    group.updateMember(member, args.protocols, args.rebalanceTimeoutMs, args.sessionTimeoutMs, responder);

    if (group.is(GroupState.Stable)) {
      if (group.protocolName !== group.selectProtocol()) {
        this.rebalance.maybePrepareRebalanceOrCompleteJoin(fx, group);
        return;
      }
      fx.append(groupMetadataRecord(group.groupId, group.metadataRecord(group.currentAssignment())));
      fx.onAppendFailure((failure, errorCode) => {
        // The old member id stays (the rollback restored it); the new instance must retry.
        const restored = this.host.group(group.groupId) as ClassicGroup;
        failure.complete(responder, {
          errorCode,
          memberId: '',
          generationId: restored.generationId,
          protocolType: restored.protocolType ?? null,
          protocolName: restored.protocolName ?? null,
          leader: currentLeader,
          members: [],
        });
        return undefined;
      });
      if (args.supportSkippingAssignment) {
        // KIP-814: a replaced leader learns it is the leader but must not reassign: a Stable group
        // would not distribute a new assignment, and assignors are not idempotent.
        const isLeader = group.isLeader(newMemberId);
        group.completeJoin(
          member,
          { ...this.rebalance.joinResponse(group, newMemberId, isLeader), skipAssignment: isLeader },
          fx.completions,
        );
      } else {
        // Older members are told the old leader id, so that a replaced leader does not assign.
        group.completeJoin(
          member,
          { ...this.rebalance.joinResponse(group, newMemberId, false), leader: currentLeader },
          fx.completions,
        );
      }
      return;
    }
    if (group.is(GroupState.CompletingRebalance)) {
      // The leader may be assigning to the old member id; rebalance so the new id gets an assignment.
      this.rebalance.prepareRebalance(fx, group);
      return;
    }
    this.rebalance.maybeCompleteJoinPhase(fx, group);
  }

  // ---- SyncGroup ----

  sync(fx: OperationEffects, args: SyncGroupArgs, responder: Responder<SyncGroupResponseInput>): void {
    const group = this.host.group(args.groupId);
    if (group === undefined) {
      fx.complete(responder, { errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
      return;
    }
    const error = validateSync(group, args);
    if (error !== ErrorCode.NONE) {
      fx.complete(responder, { errorCode: error });
      return;
    }
    switch (group.state) {
      case GroupState.Empty:
        fx.complete(responder, { errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
        return;
      case GroupState.PreparingRebalance:
        fx.complete(responder, { errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
        return;
      case GroupState.CompletingRebalance:
        this.syncCompletingRebalance(fx, group, args, responder);
        return;
      case GroupState.Stable: {
        group.removePendingSyncMember(args.memberId);
        const member = group.member(args.memberId);
        fx.complete(responder, {
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType ?? null,
          protocolName: group.protocolName ?? null,
          assignment: member.assignment,
        });
        group.scheduleHeartbeat(member.memberId, fx.nowMs + member.sessionTimeoutMs);
        return;
      }
      case GroupState.Dead:
        fx.complete(responder, { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
        return;
    }
  }

  /**
   * Parks the SyncGroup; the leader's carries the assignment, which is stored (the group becomes
   * Stable by replaying that record) and then handed to every parked member.
   */
  private syncCompletingRebalance(
    fx: OperationEffects,
    group: ClassicGroup,
    args: SyncGroupArgs,
    responder: Responder<SyncGroupResponseInput>,
  ): void {
    const member = group.member(args.memberId);
    if (member.awaitingSync !== undefined) {
      fx.complete(member.awaitingSync, { errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    }
    member.awaitingSync = responder;
    group.removePendingSyncMember(args.memberId);
    if (!group.isLeader(args.memberId)) return;

    const assignment = new Map<string, Buffer>();
    for (const { memberId, assignment: bytes } of args.assignments) assignment.set(memberId, bytes);
    fx.append(groupMetadataRecord(group.groupId, group.metadataRecord(assignment)));
    this.rebalance.propagateAssignment(fx, group, ErrorCode.NONE);
    fx.onAppendFailure((failure, errorCode) => {
      // As Kafka: every parked member (the leader included) gets the error and the group
      // rebalances again, since the assignment was not stored.
      const restored = this.host.group(group.groupId) as ClassicGroup;
      const leader = restored.member(args.memberId);
      leader.awaitingSync = responder;
      restored.removePendingSyncMember(args.memberId);
      this.rebalance.resetAndPropagateAssignment(failure, restored, errorCode);
      this.rebalance.maybePrepareRebalanceOrCompleteJoin(failure, restored);
      return undefined;
    });
  }

  // ---- Heartbeat ----

  heartbeat(fx: OperationEffects, args: HeartbeatArgs): HeartbeatResponseInput {
    const group = this.host.group(args.groupId);
    if (group === undefined) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    const error = validateMember(group, args.memberId, args.groupInstanceId);
    if (error !== ErrorCode.NONE) return { errorCode: error };
    if (args.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    if (group.is(GroupState.Empty)) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    const member = group.member(args.memberId);
    group.scheduleHeartbeat(member.memberId, fx.nowMs + member.sessionTimeoutMs);
    return {
      errorCode: group.is(GroupState.PreparingRebalance) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE,
    };
  }

  /** An offset commit from a member counts as a sign of life (Kafka reschedules its heartbeat). */
  touchMember(fx: OperationEffects, group: ClassicGroup, memberId: string): void {
    if (!group.has(memberId)) return;
    group.scheduleHeartbeat(memberId, fx.nowMs + group.member(memberId).sessionTimeoutMs);
  }

  // ---- LeaveGroup ----

  leave(fx: OperationEffects, groupId: string, members: readonly LeavingMember[]): LeaveGroupResponseInput {
    const group = this.host.group(groupId);
    const respond = (m: LeavingMember, errorCode: number): LeaveGroupResponseMemberResponseInput => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode,
    });
    if (group === undefined) {
      return { errorCode: ErrorCode.NONE, members: members.map((m) => respond(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
    }
    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const responses = members.map((m) => {
      if (m.memberId === '') {
        // Administrative removal of a static member by instance id (KIP-345).
        const current = m.groupInstanceId === null ? undefined : group.staticMemberId(m.groupInstanceId);
        if (current === undefined) return respond(m, ErrorCode.UNKNOWN_MEMBER_ID);
        this.rebalance.removeMemberAndUpdateGroup(fx, group, group.member(current));
        return respond(m, ErrorCode.NONE);
      }
      if (group.isPendingMember(m.memberId)) {
        this.rebalance.removePendingMemberAndUpdateGroup(fx, group, m.memberId);
        return respond(m, ErrorCode.NONE);
      }
      const error = validateMember(group, m.memberId, m.groupInstanceId);
      if (error !== ErrorCode.NONE) return respond(m, error);
      this.rebalance.removeMemberAndUpdateGroup(fx, group, group.member(m.memberId));
      return respond(m, ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members: responses };
  }
}

function protocolNames(protocols: readonly GroupProtocol[]): string[] {
  return protocols.map((p) => p.name);
}

/**
 * The member exists and, for a static member, is the instance's current member id; an older
 * instance of a static member is fenced (KIP-345).
 */
export function validateMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
  if (groupInstanceId !== null) {
    const current = group.staticMemberId(groupInstanceId);
    if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
  }
  return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function validateSync(group: ClassicGroup, args: SyncGroupArgs): number {
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const error = validateMember(group, args.memberId, args.groupInstanceId);
  if (error !== ErrorCode.NONE) return error;
  if (args.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  if (args.protocolType !== null && args.protocolType !== group.protocolType)
    return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  if (args.protocolName !== null && args.protocolName !== group.protocolName)
    return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  return ErrorCode.NONE;
}
