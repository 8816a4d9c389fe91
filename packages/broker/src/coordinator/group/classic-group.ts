import {
  type DescribeGroupsResponseDescribedGroupInput,
  ErrorCode,
  type GroupMetadataValue,
  type GroupMetadataValueInput,
  type JoinGroupResponseInput,
  type JoinGroupResponseMemberInput,
  type SyncGroupResponseInput,
} from '@samsa/protocol';
import { ClassicGroupMember, type GroupProtocol } from './classic-group-member.js';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopicsOf } from './consumer-protocol.js';
import { GroupState, isValidTransition } from './group-state.js';
import type { OffsetAndMetadata } from './offset-and-metadata.js';
import type { Completion, Responder } from './operation-result.js';
import { PendingTransactionalOffsets } from './pending-transactional-offsets.js';

/**
 * A deadline the group asked for. Timers are data, not callbacks, so that a group (timers
 * included) can be copied for rollback and inspected by tests; the shard fires due timers.
 */
export type GroupTimer =
  /** The member's session (or, for a new or pending member, its join) deadline. */
  | { readonly kind: 'heartbeat'; readonly deadlineMs: number; readonly memberId: string }
  /** The delayed first rebalance of an Empty group (`group.initial.rebalance.delay.ms`). */
  | {
      readonly kind: 'initial-join';
      readonly deadlineMs: number;
      readonly delayMs: number;
      readonly remainingMs: number;
    }
  /** The rebalance timeout of the join phase. */
  | { readonly kind: 'join'; readonly deadlineMs: number }
  /** The rebalance timeout of the sync phase: members that never sent SyncGroup are removed. */
  | { readonly kind: 'sync'; readonly deadlineMs: number; readonly generationId: number };

const JOIN_TIMER = 'join';
const SYNC_TIMER = 'sync';
const heartbeatTimerKey = (memberId: string): string => `heartbeat/${memberId}`;

const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/**
 * A classic group: membership, the current generation and its assignment, committed offsets and
 * the offsets of transactions still open, and the transient state of a rebalance in progress
 * (parked requests, pending members, timers).
 *
 * Which fields are durable: exactly those a `GroupMetadataValue` record carries (protocol type,
 * generation, protocol, leader, state timestamp, members with their selected-protocol metadata and
 * assignment) and the offsets, pending ones included; they are changed by replaying records
 * (`fromRecord`, `applyMetadataRecord`, offset setters called from replay). Everything else
 * belongs to a rebalance in progress and is lost on failover exactly as in Kafka: a coordinator
 * that loads the partition mid-rebalance resumes from the last stored generation.
 *
 * Invariants:
 * - `numMembersAwaitingJoin` counts members with `awaitingJoin` set;
 * - `supportedProtocols` counts, per protocol name, the members supporting it;
 * - `staticMembers` maps each static member's `groupInstanceId` to its current member id;
 * - `leaderId` is a member id or undefined iff there are no members.
 *
 * Not thread-safe and not reentrant; owned by one `GroupCoordinatorShard`.
 */
export class ClassicGroup {
  state: GroupState;
  previousState: GroupState;
  currentStateTimestampMs: number | undefined;
  protocolType: string | undefined;
  protocolName: string | undefined;
  generationId = 0;
  leaderId: string | undefined;
  /** Set when a member joins during the initial (delayed) rebalance, which extends the delay once more. */
  newMemberAdded = false;
  /** For consumer groups: the union of the members' subscriptions; undefined when unknown. */
  subscribedTopics: ReadonlySet<string> | undefined;

  private members = new Map<string, ClassicGroupMember>();
  private staticMembers = new Map<string, string>();
  private pendingMembers = new Set<string>();
  private pendingSyncMembers = new Set<string>();
  private supportedProtocolCounts = new Map<string, number>();
  private numMembersAwaitingJoin = 0;
  private offsetsByTopic = new Map<string, Map<number, OffsetAndMetadata>>();
  private pendingTxnOffsets = new PendingTransactionalOffsets();
  private timers = new Map<string, GroupTimer>();

  constructor(
    readonly groupId: string,
    initialState: GroupState,
    currentStateTimestampMs: number | undefined,
  ) {
    this.state = initialState;
    this.previousState = initialState;
    this.currentStateTimestampMs = currentStateTimestampMs;
  }

  /** The group as a `GroupMetadataValue` record describes it (loading, or a group created by a record). */
  static fromRecord(groupId: string, value: GroupMetadataValue): ClassicGroup {
    const group = new ClassicGroup(groupId, GroupState.Empty, undefined);
    group.applyMetadataRecord(value);
    return group;
  }

  // ---- state ----

  is(state: GroupState): boolean {
    return this.state === state;
  }

  /** Rebalances start from Stable, CompletingRebalance or Empty. */
  canRebalance(): boolean {
    return isValidTransition(this.state, GroupState.PreparingRebalance);
  }

  transitionTo(state: GroupState, nowMs: number): void {
    if (!isValidTransition(this.state, state)) {
      throw new Error(`group ${this.groupId}: invalid transition ${this.state} -> ${state}`);
    }
    this.previousState = this.state;
    this.state = state;
    this.currentStateTimestampMs = nowMs;
  }

  // ---- membership ----

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  member(memberId: string): ClassicGroupMember {
    const member = this.members.get(memberId);
    if (member === undefined) throw new Error(`group ${this.groupId} has no member ${memberId}`);
    return member;
  }

  allMembers(): IterableIterator<ClassicGroupMember> {
    return this.members.values();
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  get numAwaitingJoin(): number {
    return this.numMembersAwaitingJoin;
  }

  /** Every member (and no pending member) has a JoinGroup parked: the join phase can complete. */
  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  /** The largest rebalance timeout of the members: how long a rebalance phase may take. */
  rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    return timeout;
  }

  add(member: ClassicGroupMember, awaitingJoin: Responder<JoinGroupResponseInput> | undefined): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`group ${this.groupId}: static member ${member.groupInstanceId} is already a member`);
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = awaitingJoin;
    if (awaitingJoin !== undefined) this.numMembersAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.countProtocols(member, -1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
      this.members.delete(memberId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  /** Replaces a member's protocols and timeouts, and parks (or unparks) its JoinGroup. */
  updateMember(
    member: ClassicGroupMember,
    protocols: readonly GroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    awaitingJoin: Responder<JoinGroupResponseInput> | undefined,
  ): void {
    this.countProtocols(member, -1);
    member.supportedProtocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (awaitingJoin !== undefined && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (awaitingJoin === undefined && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.awaitingJoin = awaitingJoin;
  }

  /**
   * Gives a static member's identity to a restarted instance: same member object (assignment,
   * protocols), new member id. Requests the old instance still has parked are fenced.
   */
  replaceStaticMember(
    groupInstanceId: string,
    oldMemberId: string,
    newMemberId: string,
    completions: Completion[],
  ): ClassicGroupMember {
    const member = this.member(oldMemberId);
    this.completeJoin(member, { memberId: oldMemberId, errorCode: ErrorCode.FENCED_INSTANCE_ID }, completions);
    this.completeSync(member, { errorCode: ErrorCode.FENCED_INSTANCE_ID }, completions);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  /**
   * If the leader did not rejoin, hands leadership to a member that did. False when nobody
   * rejoined (or there is no leader at all): the join phase cannot complete yet.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === undefined) return false;
    const leader = this.member(this.leaderId);
    if (leader.isAwaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  /** Members that have not rejoined during this join phase. */
  notYetRejoinedMembers(): ClassicGroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  /** A dynamic member that got MEMBER_ID_REQUIRED and is expected to rejoin with its new id. */
  addPendingMember(memberId: string): void {
    if (this.members.has(memberId)) throw new Error(`group ${this.groupId}: ${memberId} is already a member`);
    this.pendingMembers.add(memberId);
  }

  addPendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.delete(memberId);
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this.pendingSyncMembers.size === 0;
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers];
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear();
  }

  // ---- protocols ----

  /**
   * Whether a member with these protocols may join: an Empty group takes any non-empty protocol
   * type and protocol list; otherwise the type must match and at least one of the protocols must
   * be supported by every current member.
   */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is(GroupState.Empty)) return protocolType !== '' && protocolNames.length > 0;
    return (
      this.protocolType === protocolType &&
      protocolNames.some((name) => (this.supportedProtocolCounts.get(name) ?? 0) === this.members.size)
    );
  }

  /**
   * The group's protocol for the next generation: among the protocols every member supports, each
   * member votes for its most preferred one and the most voted wins. Kafka breaks ties by hash-map
   * order; here the protocol that got its first vote earliest (in member order) wins.
   */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error(`group ${this.groupId}: cannot select a protocol without members`);
    const candidates = new Set<string>();
    for (const [name, count] of this.supportedProtocolCounts) if (count === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let selected = '';
    let best = 0;
    for (const [name, count] of votes) {
      if (count > best) {
        selected = name;
        best = count;
      }
    }
    return selected;
  }

  isConsumerGroup(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  /**
   * Whether the group consumes `topic`. When the subscriptions are unknown (no protocol yet, or
   * unparseable metadata), a consumer group is assumed to consume it (the safe answer for offset
   * deletion and expiry) and any other group not to, as in Kafka 3.7+.
   */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === undefined ? this.isConsumerGroup() : this.subscribedTopics.has(topic);
  }

  private computeSubscribedTopics(): ReadonlySet<string> | undefined {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return undefined;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === undefined) return undefined;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const subscribed = subscribedTopicsOf(member.metadata(this.protocolName));
      if (subscribed === undefined) return undefined;
      for (const topic of subscribed) topics.add(topic);
    }
    return topics;
  }

  private countProtocols(member: ClassicGroupMember, delta: number): void {
    for (const { name } of member.supportedProtocols) {
      this.supportedProtocolCounts.set(name, (this.supportedProtocolCounts.get(name) ?? 0) + delta);
    }
  }

  // ---- generations ----

  /**
   * Ends the join phase of a group with members: a new generation with the selected protocol,
   * waiting for the leader's assignment. (A join phase that ends with no members is stored
   * instead, see `emptyGenerationRecord`.)
   */
  initNextGeneration(nowMs: number): void {
    if (this.members.size === 0) throw new Error(`group ${this.groupId}: no members for a new generation`);
    this.generationId++;
    this.protocolName = this.selectProtocol();
    this.subscribedTopics = this.computeSubscribedTopics();
    this.transitionTo(GroupState.CompletingRebalance, nowMs);
    this.clearPendingSyncMembers();
  }

  /** The record of the group after a join phase that ended with no members: next generation, Empty. */
  emptyGenerationRecord(nowMs: number): GroupMetadataValueInput {
    return {
      protocolType: this.protocolType ?? '',
      generation: this.generationId + 1,
      protocol: null,
      leader: null,
      currentStateTimestamp: BigInt(nowMs),
      members: [],
    };
  }

  /** The record storing the current generation with `assignment` (missing members get none). */
  metadataRecord(assignment: ReadonlyMap<string, Buffer>): GroupMetadataValueInput {
    const protocolName = this.protocolName;
    if (protocolName === undefined) throw new Error(`group ${this.groupId}: no protocol to store`);
    return {
      protocolType: this.protocolType ?? '',
      generation: this.generationId,
      protocol: protocolName,
      leader: this.leaderId ?? null,
      currentStateTimestamp: BigInt(this.currentStateTimestampMs ?? -1),
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadata(protocolName),
        assignment: assignment.get(m.memberId) ?? EMPTY_BYTES,
      })),
    };
  }

  currentAssignment(): Map<string, Buffer> {
    return new Map([...this.members.values()].map((m) => [m.memberId, m.assignment]));
  }

  /**
   * Replays a `GroupMetadataValue`: adopts the stored generation, protocol type, protocol, leader,
   * state timestamp and members; the state becomes Stable (members) or Empty (none), as when
   * loading. A member the record names that is already here (same id, client and instance) keeps
   * its transient state (parked requests, its full protocol list when the stored subscription is
   * its metadata for the protocol), which is what happens right after an operation produced the
   * record. Other members are created from the record (loading); members it does not name are
   * dropped.
   */
  applyMetadataRecord(value: GroupMetadataValue): void {
    this.protocolType = value.protocolType === '' ? undefined : value.protocolType;
    this.generationId = value.generation;
    this.protocolName = value.protocol ?? undefined;
    const stored = new Set(value.members.map((m) => m.memberId));
    for (const memberId of [...this.members.keys()]) if (!stored.has(memberId)) this.remove(memberId);
    const protocolName = value.protocol ?? '';
    for (const m of value.members) {
      const rebalanceTimeoutMs = m.rebalanceTimeout === -1 ? m.sessionTimeout : m.rebalanceTimeout;
      const live = this.members.get(m.memberId);
      if (
        live !== undefined &&
        live.clientId === m.clientId &&
        live.clientHost === m.clientHost &&
        live.groupInstanceId === m.groupInstanceId
      ) {
        // Right after an operation produced the record, the stored subscription is the live
        // member's metadata for the protocol and nothing changes but the assignment. When loading
        // successive generations, the stored subscription (or protocol) may have changed.
        const selected = live.supportedProtocols.find((p) => p.name === protocolName);
        if (selected === undefined || !selected.metadata.equals(m.subscription)) {
          this.updateMember(
            live,
            [{ name: protocolName, metadata: m.subscription }],
            rebalanceTimeoutMs,
            m.sessionTimeout,
            live.awaitingJoin,
          );
        }
        live.rebalanceTimeoutMs = rebalanceTimeoutMs;
        live.sessionTimeoutMs = m.sessionTimeout;
        live.assignment = m.assignment;
        continue;
      }
      if (live !== undefined) this.remove(m.memberId);
      const loaded = new ClassicGroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        rebalanceTimeoutMs,
        m.sessionTimeout,
        value.protocolType,
        [{ name: protocolName, metadata: m.subscription }],
      );
      loaded.assignment = m.assignment;
      this.add(loaded, undefined);
    }
    this.leaderId = value.leader ?? this.members.keys().next().value;
    const nextState = this.members.size === 0 ? GroupState.Empty : GroupState.Stable;
    if (nextState !== this.state) this.previousState = this.state;
    this.state = nextState;
    this.currentStateTimestampMs =
      value.currentStateTimestamp === -1n ? undefined : Number(value.currentStateTimestamp);
    if (nextState === GroupState.Empty) this.clearPendingSyncMembers();
    this.subscribedTopics = this.computeSubscribedTopics();
  }

  // ---- parked requests ----

  completeJoin(member: ClassicGroupMember, response: JoinGroupResponseInput, completions: Completion[]): void {
    if (member.awaitingJoin === undefined) return;
    completions.push({ responder: member.awaitingJoin, response });
    member.awaitingJoin = undefined;
    this.numMembersAwaitingJoin--;
  }

  /** True when the member had a SyncGroup parked (and it is now answered). */
  completeSync(member: ClassicGroupMember, response: SyncGroupResponseInput, completions: Completion[]): boolean {
    if (member.awaitingSync === undefined) return false;
    completions.push({ responder: member.awaitingSync, response });
    member.awaitingSync = undefined;
    return true;
  }

  /** The member list the leader gets in its JoinGroup response: every member's selected-protocol metadata. */
  currentMembersForLeader(): JoinGroupResponseMemberInput[] {
    const protocolName = this.protocolName;
    if (protocolName === undefined) throw new Error(`group ${this.groupId}: no protocol selected`);
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocolName),
    }));
  }

  // ---- offsets ----

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsetsByTopic.get(topic)?.get(partition);
  }

  /** Called from record replay only. */
  setOffset(topic: string, partition: number, offset: OffsetAndMetadata): void {
    let partitions = this.offsetsByTopic.get(topic);
    if (partitions === undefined) this.offsetsByTopic.set(topic, (partitions = new Map()));
    partitions.set(partition, offset);
  }

  /** Called from record replay only. */
  removeOffset(topic: string, partition: number): void {
    const partitions = this.offsetsByTopic.get(topic);
    if (partitions === undefined) return;
    partitions.delete(partition);
    if (partitions.size === 0) this.offsetsByTopic.delete(topic);
  }

  hasOffsets(): boolean {
    return this.offsetsByTopic.size > 0;
  }

  /** Offsets by topic, in commit order of first commit per topic and partition. */
  allOffsets(): ReadonlyMap<string, ReadonlyMap<number, OffsetAndMetadata>> {
    return this.offsetsByTopic;
  }

  /** Offsets of transactions not yet ended (TxnOffsetCommit); changed from record replay only. */
  get pendingTransactionalOffsets(): PendingTransactionalOffsets {
    return this.pendingTxnOffsets;
  }

  // ---- timers ----

  scheduleHeartbeat(memberId: string, deadlineMs: number): void {
    this.timers.set(heartbeatTimerKey(memberId), { kind: 'heartbeat', deadlineMs, memberId });
  }

  cancelHeartbeat(memberId: string): void {
    this.timers.delete(heartbeatTimerKey(memberId));
  }

  scheduleJoin(timer: Extract<GroupTimer, { kind: 'join' | 'initial-join' }>): void {
    this.timers.set(JOIN_TIMER, timer);
  }

  cancelJoin(): void {
    this.timers.delete(JOIN_TIMER);
  }

  scheduleSync(deadlineMs: number, generationId: number): void {
    this.timers.set(SYNC_TIMER, { kind: 'sync', deadlineMs, generationId });
  }

  cancelSync(): void {
    this.timers.delete(SYNC_TIMER);
  }

  cancelAllTimers(): void {
    this.timers.clear();
  }

  nextDeadlineMs(): number | undefined {
    let next: number | undefined;
    for (const timer of this.timers.values())
      if (next === undefined || timer.deadlineMs < next) next = timer.deadlineMs;
    return next;
  }

  /** Removes and returns the earliest timer due at `nowMs`, if any (ties: scheduling order). */
  takeDueTimer(nowMs: number): GroupTimer | undefined {
    let dueKey: string | undefined;
    let due: GroupTimer | undefined;
    for (const [key, timer] of this.timers) {
      if (timer.deadlineMs <= nowMs && (due === undefined || timer.deadlineMs < due.deadlineMs)) {
        dueKey = key;
        due = timer;
      }
    }
    if (dueKey !== undefined) this.timers.delete(dueKey);
    return due;
  }

  timer(key: 'join' | 'sync' | `heartbeat/${string}`): GroupTimer | undefined {
    return this.timers.get(key);
  }

  // ---- views ----

  describe(): DescribeGroupsResponseDescribedGroupInput {
    const stable = this.is(GroupState.Stable) && this.protocolName !== undefined;
    return {
      errorCode: 0,
      groupId: this.groupId,
      groupState: this.state,
      protocolType: this.protocolType ?? '',
      protocolData: stable ? (this.protocolName as string) : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(this.protocolName as string) : EMPTY_BYTES,
        memberAssignment: stable ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  /** A copy sharing nothing mutable, for rolling back an operation whose records failed to append. */
  clone(): ClassicGroup {
    const copy = new ClassicGroup(this.groupId, this.state, this.currentStateTimestampMs);
    copy.previousState = this.previousState;
    copy.protocolType = this.protocolType;
    copy.protocolName = this.protocolName;
    copy.generationId = this.generationId;
    copy.leaderId = this.leaderId;
    copy.newMemberAdded = this.newMemberAdded;
    copy.subscribedTopics = this.subscribedTopics;
    copy.members = new Map([...this.members].map(([id, m]) => [id, m.clone()]));
    copy.staticMembers = new Map(this.staticMembers);
    copy.pendingMembers = new Set(this.pendingMembers);
    copy.pendingSyncMembers = new Set(this.pendingSyncMembers);
    copy.supportedProtocolCounts = new Map(this.supportedProtocolCounts);
    copy.numMembersAwaitingJoin = this.numMembersAwaitingJoin;
    copy.offsetsByTopic = new Map([...this.offsetsByTopic].map(([topic, p]) => [topic, new Map(p)]));
    copy.pendingTxnOffsets = this.pendingTxnOffsets.clone();
    copy.timers = new Map(this.timers);
    return copy;
  }
}
