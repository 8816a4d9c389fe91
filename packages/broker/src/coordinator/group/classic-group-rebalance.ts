import { ErrorCode, type JoinGroupResponseInput, type SyncGroupResponseInput } from '@samsa/protocol';
import type { ClassicGroup, GroupTimer } from './classic-group.js';
import type { ClassicGroupMember } from './classic-group-member.js';
import type { GroupCoordinatorConfig } from './group-coordinator-config.js';
import { groupMetadataRecord } from './group-coordinator-record.js';
import { GroupState } from './group-state.js';
import type { OperationEffects } from './operation-effects.js';

const EMPTY_ASSIGNMENT: Buffer = Buffer.alloc(0);

/**
 * The rebalance protocol of a classic group, driven by requests (through
 * `ClassicGroupMembership`) and by timers: preparing a rebalance, completing the join phase into a
 * new generation (or an Empty group), handing out the assignment, and what each expired deadline
 * means (sessions, new-member join timeout, rebalance timeout, delayed initial rebalance, pending
 * SyncGroups). Follows Kafka's classic group coordinator; each method runs inside one shard
 * operation (`fx`).
 *
 * Invariant kept: a group in PreparingRebalance has a `join` or `initial-join` timer, and one in
 * CompletingRebalance a `sync` timer, so every rebalance ends.
 *
 * Not reentrant; called only from the owning shard's operations.
 */
export class ClassicGroupRebalance {
  constructor(private readonly host: { readonly config: GroupCoordinatorConfig }) {}

  /** A successful JoinGroup response for the current generation; the leader's carries every member's metadata. */
  joinResponse(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResponseInput {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType ?? null,
      protocolName: group.protocolName ?? null,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMembersForLeader() : [],
    };
  }

  // ---- rebalance phases ----

  maybePrepareRebalanceOrCompleteJoin(fx: OperationEffects, group: ClassicGroup): void {
    if (group.canRebalance()) this.prepareRebalance(fx, group);
    else this.maybeCompleteJoinPhase(fx, group);
  }

  /** The initial (delayed) rebalance of an Empty group never completes early: it waits out its delay. */
  maybeCompleteJoinPhase(fx: OperationEffects, group: ClassicGroup): void {
    if (
      group.is(GroupState.PreparingRebalance) &&
      group.hasAllMembersJoined() &&
      group.previousState !== GroupState.Empty
    ) {
      this.completeJoinPhase(fx, group);
    }
  }

  prepareRebalance(fx: OperationEffects, group: ClassicGroup): void {
    if (group.is(GroupState.CompletingRebalance)) {
      this.resetAndPropagateAssignment(fx, group, ErrorCode.REBALANCE_IN_PROGRESS);
    }
    group.clearPendingSyncMembers();
    group.cancelSync();
    const isInitialRebalance = group.is(GroupState.Empty);
    if (isInitialRebalance) {
      const delayMs = this.host.config.groupInitialRebalanceDelayMs;
      const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
      group.scheduleJoin({ kind: 'initial-join', deadlineMs: fx.nowMs + delayMs, delayMs, remainingMs });
    }
    group.transitionTo(GroupState.PreparingRebalance, fx.nowMs);
    if (!isInitialRebalance) this.maybeCompleteJoinElseSchedule(fx, group);
  }

  private maybeCompleteJoinElseSchedule(fx: OperationEffects, group: ClassicGroup): void {
    if (group.hasAllMembersJoined()) this.completeJoinPhase(fx, group);
    else group.scheduleJoin({ kind: 'join', deadlineMs: fx.nowMs + group.rebalanceTimeoutMs() });
  }

  /**
   * Ends the join phase (everyone rejoined, or the rebalance timeout passed): dynamic members that
   * did not rejoin are dropped (static ones stay until their session expires, KIP-345), a leader is
   * found among those who rejoined, and either the new generation starts (CompletingRebalance,
   * JoinGroup responses go out, the leader's with everyone's metadata) or, without members, the
   * group is stored Empty.
   */
  private completeJoinPhase(fx: OperationEffects, group: ClassicGroup): void {
    group.cancelJoin();
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStatic) continue;
      group.remove(member.memberId);
      group.cancelHeartbeat(member.memberId);
    }
    if (group.is(GroupState.Dead)) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members remain and none rejoined: wait another rebalance timeout, by which
      // their sessions will have expired or they will have rejoined.
      group.scheduleJoin({ kind: 'join', deadlineMs: fx.nowMs + group.rebalanceTimeoutMs() });
      return;
    }
    if (group.size === 0) {
      fx.append(groupMetadataRecord(group.groupId, group.emptyGenerationRecord(fx.nowMs)));
      return;
    }
    group.initNextGeneration(fx.nowMs);
    for (const member of [...group.allMembers()]) {
      group.completeJoin(
        member,
        this.joinResponse(group, member.memberId, group.isLeader(member.memberId)),
        fx.completions,
      );
      group.scheduleHeartbeat(member.memberId, fx.nowMs + member.sessionTimeoutMs);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    group.scheduleSync(fx.nowMs + group.rebalanceTimeoutMs(), group.generationId);
  }

  resetAndPropagateAssignment(fx: OperationEffects, group: ClassicGroup, errorCode: number): void {
    for (const member of group.allMembers()) member.assignment = EMPTY_ASSIGNMENT;
    this.propagateAssignment(fx, group, errorCode);
  }

  /** Answers every parked SyncGroup; their members' sessions restart now (they could not heartbeat while parked). */
  propagateAssignment(fx: OperationEffects, group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const member of group.allMembers()) {
      const response: SyncGroupResponseInput = {
        errorCode,
        protocolType: ok ? (group.protocolType ?? null) : null,
        protocolName: ok ? (group.protocolName ?? null) : null,
        assignment: member.assignment,
      };
      if (group.completeSync(member, response, fx.completions)) {
        group.scheduleHeartbeat(member.memberId, fx.nowMs + member.sessionTimeoutMs);
      }
    }
  }

  removeMemberAndUpdateGroup(fx: OperationEffects, group: ClassicGroup, member: ClassicGroupMember): void {
    // A new member may be removed while its JoinGroup is parked; tell it to start over.
    group.completeJoin(member, { memberId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID }, fx.completions);
    group.remove(member.memberId);
    group.cancelHeartbeat(member.memberId);
    if (group.is(GroupState.Stable) || group.is(GroupState.CompletingRebalance)) {
      this.maybePrepareRebalanceOrCompleteJoin(fx, group);
    } else if (group.is(GroupState.PreparingRebalance) && group.hasAllMembersJoined()) {
      this.completeJoinPhase(fx, group);
    }
  }

  removePendingMemberAndUpdateGroup(fx: OperationEffects, group: ClassicGroup, memberId: string): void {
    group.remove(memberId);
    group.cancelHeartbeat(memberId);
    if (group.is(GroupState.PreparingRebalance) && group.hasAllMembersJoined()) this.completeJoinPhase(fx, group);
  }

  // ---- timers ----

  onTimer(fx: OperationEffects, group: ClassicGroup, timer: GroupTimer): void {
    switch (timer.kind) {
      case 'heartbeat':
        this.expireHeartbeat(fx, group, timer.memberId);
        return;
      case 'join':
        this.completeJoinPhase(fx, group);
        return;
      case 'initial-join':
        this.expireInitialJoin(fx, group, timer);
        return;
      case 'sync':
        this.expirePendingSync(fx, group, timer.generationId);
        return;
    }
  }

  private expireHeartbeat(fx: OperationEffects, group: ClassicGroup, memberId: string): void {
    if (group.is(GroupState.Dead)) return;
    if (group.isPendingMember(memberId)) {
      this.removePendingMemberAndUpdateGroup(fx, group, memberId);
      return;
    }
    if (!group.has(memberId)) return;
    const member = group.member(memberId);
    if (!member.hasSatisfiedHeartbeat()) this.removeMemberAndUpdateGroup(fx, group, member);
  }

  /**
   * The initial rebalance waits `group.initial.rebalance.delay.ms` for more members; every delay
   * during which someone joined buys another one, until the rebalance timeout is used up.
   */
  private expireInitialJoin(
    fx: OperationEffects,
    group: ClassicGroup,
    timer: Extract<GroupTimer, { kind: 'initial-join' }>,
  ): void {
    if (group.newMemberAdded && timer.remainingMs !== 0) {
      group.newMemberAdded = false;
      const delayMs = Math.min(this.host.config.groupInitialRebalanceDelayMs, timer.remainingMs);
      const remainingMs = Math.max(timer.remainingMs - timer.delayMs, 0);
      group.scheduleJoin({ kind: 'initial-join', deadlineMs: fx.nowMs + delayMs, delayMs, remainingMs });
    } else {
      this.completeJoinPhase(fx, group);
    }
  }

  private expirePendingSync(fx: OperationEffects, group: ClassicGroup, generationId: number): void {
    if (generationId !== group.generationId) return;
    if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return;
    if (group.hasReceivedSyncFromAllMembers()) return;
    for (const memberId of group.allPendingSyncMembers()) {
      group.remove(memberId);
      group.cancelHeartbeat(memberId);
    }
    this.prepareRebalance(fx, group);
  }

  /** After loading: sessions restart now, and a group over a lowered `group.max.size` rebalances to shed members. */
  onLoaded(fx: OperationEffects, group: ClassicGroup): void {
    for (const member of group.allMembers())
      group.scheduleHeartbeat(member.memberId, fx.nowMs + member.sessionTimeoutMs);
    if (group.size > this.host.config.groupMaxSize) this.prepareRebalance(fx, group);
  }

  /** Before the partition is dropped: parked requests learn this broker is no longer the coordinator. */
  onUnloaded(fx: OperationEffects, group: ClassicGroup): void {
    for (const member of group.allMembers()) {
      group.completeJoin(member, { memberId: member.memberId, errorCode: ErrorCode.NOT_COORDINATOR }, fx.completions);
      group.completeSync(member, { errorCode: ErrorCode.NOT_COORDINATOR }, fx.completions);
    }
    group.cancelAllTimers();
    group.state = GroupState.Dead;
  }
}
