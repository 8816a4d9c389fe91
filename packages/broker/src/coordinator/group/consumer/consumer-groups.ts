import {
  type ConsumerGroupDescribeResponseDescribedGroupInput,
  type ConsumerGroupHeartbeatResponseInput,
  ErrorCode,
  type ListGroupsResponseListedGroupInput,
} from '@samsa/protocol';
import { consumerGroupTimings, type GroupCoordinatorConfig } from '../group-coordinator-config.js';
import type { OperationEffects } from '../operation-effects.js';
import type { ConsumerGroupPartitionAssignor } from './assignor.js';
import { ConsumerGroup } from './consumer-group.js';
import { describeConsumerGroup } from './consumer-group-describe.js';
import {
  ConsumerGroupHeartbeat,
  type ConsumerGroupHeartbeatArgs,
  type ConsumerGroupHost,
} from './consumer-group-heartbeat.js';
import {
  type ConsumerGroupRecord,
  currentMemberAssignmentRecord,
  groupMetadataRecord,
  memberMetadataRecord,
  partitionMetadataRecord,
  targetAssignmentMemberRecord,
  targetAssignmentMetadataRecord,
} from './consumer-group-records.js';
import { RangeAssignor } from './range-assignor.js';
import type { TopicsView } from './topics-view.js';
import { UniformAssignor } from './uniform-assignor.js';

/** The group type ListGroups v5+ reports for KIP-848 groups, and their protocol type. */
export const CONSUMER_GROUP_TYPE = 'consumer';

/** What the consumer groups need from the shard's classic groups (one group id is one group). */
export interface ClassicGroupsView {
  /** Whether a classic group with members (or a rebalance under way) holds this id. */
  classicGroupBlocks(groupId: string): boolean;
  /** Writes the tombstone of an empty classic group (its offsets stay), before a consumer group takes its id. */
  convertEmptyClassicGroup(effects: OperationEffects, groupId: string): void;
}

const KNOWN_ASSIGNORS: Readonly<Record<string, () => ConsumerGroupPartitionAssignor>> = {
  uniform: () => new UniformAssignor(),
  range: () => new RangeAssignor(),
};

export interface ConsumerGroupsSnapshot {
  readonly groups: ReadonlyMap<string, ConsumerGroup | undefined>;
  readonly all: boolean;
}

/**
 * The KIP-848 consumer groups of one shard: their state (rebuilt by replaying their records),
 * heartbeats, timers, and what the admin APIs read of them. Offsets of consumer groups are kept
 * by the shard's offset manager, like those of every group.
 */
export class ConsumerGroups {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly logic: ConsumerGroupHeartbeat;
  readonly assignors: readonly ConsumerGroupPartitionAssignor[];

  constructor(
    private readonly config: GroupCoordinatorConfig,
    classic: ClassicGroupsView,
    newMemberId: () => string,
  ) {
    const assignors = config.consumerGroupAssignors.flatMap((name) => KNOWN_ASSIGNORS[name]?.() ?? []);
    this.assignors = assignors.length > 0 ? assignors : [new UniformAssignor()];
    const groups = this.groups;
    const host: ConsumerGroupHost = {
      timings: (groupId) => consumerGroupTimings(config, groupId),
      consumerGroupMaxSize: config.consumerGroupMaxSize,
      assignors: this.assignors,
      consumerGroup: (groupId) => groups.get(groupId),
      createConsumerGroup: (groupId) => {
        const group = new ConsumerGroup(groupId);
        groups.set(groupId, group);
        return group;
      },
      classicGroupBlocks: (groupId) => classic.classicGroupBlocks(groupId),
      convertEmptyClassicGroup: (fx, groupId) => classic.convertEmptyClassicGroup(fx, groupId),
      newMemberId,
    };
    this.logic = new ConsumerGroupHeartbeat(host);
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  all(): ConsumerGroup[] {
    return [...this.groups.values()];
  }

  replay(record: ConsumerGroupRecord): void {
    let group = this.groups.get(record.groupId);
    if (group === undefined) {
      if (record.type === 'group-metadata' && record.epoch === null) return;
      group = new ConsumerGroup(record.groupId);
      this.groups.set(record.groupId, group);
    }
    if (!group.replay(record)) this.groups.delete(record.groupId);
  }

  heartbeat(
    fx: OperationEffects,
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): ConsumerGroupHeartbeatResponseInput {
    return this.logic.heartbeat(fx, args, topics);
  }

  /** After loading: every member's session starts now, as Kafka restarts them on load. */
  onLoaded(nowMs: number): void {
    for (const group of this.groups.values()) {
      for (const memberId of group.members.keys()) {
        group.sessionDeadlines.set(memberId, nowMs + consumerGroupTimings(this.config, group.groupId).sessionTimeoutMs);
      }
    }
  }

  clear(): void {
    this.groups.clear();
  }

  nextDeadlineMs(): number | undefined {
    let next: number | undefined;
    for (const group of this.groups.values()) {
      const timer = group.nextTimer();
      if (timer !== undefined && (next === undefined || timer.deadlineMs < next)) next = timer.deadlineMs;
    }
    return next;
  }

  dueGroupIds(nowMs: number): string[] {
    return this.all()
      .filter((g) => (g.nextTimer()?.deadlineMs ?? Number.POSITIVE_INFINITY) <= nowMs)
      .map((g) => g.groupId);
  }

  /**
   * Fires the due timers of the group: a member whose session expired, or that did not revoke
   * its partitions within its rebalance timeout, is fenced (removed; the group epoch bumps).
   */
  expire(fx: OperationEffects, groupId: string): void {
    for (;;) {
      const group = this.groups.get(groupId);
      const timer = group?.nextTimer();
      if (group === undefined || timer === undefined || timer.deadlineMs > fx.nowMs) return;
      group.sessionDeadlines.delete(timer.memberId);
      group.revocationDeadlines.delete(timer.memberId);
      if (group.members.has(timer.memberId)) this.logic.removeMember(fx, group, timer.memberId, undefined);
    }
  }

  /**
   * OffsetCommit (and TxnOffsetCommit) checks against a consumer group (Kafka's
   * ConsumerGroup.validateOffsetCommit): a commit without member epoch (-1) is accepted only
   * while the group is empty; otherwise the member must exist (UNKNOWN_MEMBER_ID) and send its
   * current epoch (STALE_MEMBER_EPOCH). A non-transactional commit from a member must be
   * OffsetCommit v9+ (UNSUPPORTED_VERSION), the first version with member epochs. Undefined
   * when `groupId` is not a consumer group.
   */
  validateOffsetCommit(
    groupId: string,
    memberId: string,
    memberEpoch: number,
    offsetCommitVersion?: number,
  ): number | undefined {
    const group = this.groups.get(groupId);
    if (group === undefined) return undefined;
    if (memberEpoch < 0 && group.isEmpty()) return ErrorCode.NONE;
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (offsetCommitVersion !== undefined && offsetCommitVersion < 9) return ErrorCode.UNSUPPORTED_VERSION;
    if (member.memberEpoch !== memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** OffsetFetch with a member (v9+): Kafka's ConsumerGroup.validateOffsetFetch. */
  validateOffsetFetch(groupId: string, memberId: string | null, memberEpoch: number): number {
    const group = this.groups.get(groupId);
    if (group === undefined || memberId === null || (memberEpoch < 0 && memberId === '')) return ErrorCode.NONE;
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (member.memberEpoch !== memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** DeleteGroups: NON_EMPTY_GROUP while members remain, else the group's tombstones. */
  delete(fx: OperationEffects, groupId: string): number {
    const group = this.groups.get(groupId);
    if (group === undefined) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.isEmpty()) return ErrorCode.NON_EMPTY_GROUP;
    this.writeTombstones(fx, group);
    return ErrorCode.NONE;
  }

  /** Removes an empty consumer group whose id a classic group takes (offline downgrade). */
  deleteIfEmpty(fx: OperationEffects, groupId: string): boolean {
    const group = this.groups.get(groupId);
    if (group === undefined || !group.isEmpty()) return false;
    this.writeTombstones(fx, group);
    return true;
  }

  private writeTombstones(fx: OperationEffects, group: ConsumerGroup): void {
    const id = group.groupId;
    for (const memberId of group.members.keys()) fx.append(currentMemberAssignmentRecord(id, memberId, null));
    for (const memberId of group.targetAssignment.keys()) fx.append(targetAssignmentMemberRecord(id, memberId, null));
    fx.append(targetAssignmentMetadataRecord(id, null));
    for (const memberId of group.members.keys()) fx.append(memberMetadataRecord(id, memberId, null));
    fx.append(partitionMetadataRecord(id, null));
    fx.append(groupMetadataRecord(id, null));
  }

  describe(
    groupId: string,
    topicName: (topicId: string) => string | undefined,
    isClassic: boolean,
  ): ConsumerGroupDescribeResponseDescribedGroupInput {
    const group = this.groups.get(groupId);
    if (group === undefined) {
      return {
        errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
        errorMessage: isClassic ? `Group ${groupId} is not a consumer group.` : `Group ${groupId} not found.`,
        groupId,
        groupState: 'Dead',
        members: [],
      };
    }
    return describeConsumerGroup(group, (this.assignors[0] as ConsumerGroupPartitionAssignor).name, topicName);
  }

  list(states: ReadonlySet<string>, types: ReadonlySet<string>): ListGroupsResponseListedGroupInput[] {
    if (types.size > 0 && !types.has(CONSUMER_GROUP_TYPE)) return [];
    return this.all()
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: CONSUMER_GROUP_TYPE,
        groupState: g.state,
        groupType: CONSUMER_GROUP_TYPE,
      }));
  }

  snapshot(scope: readonly string[] | 'all'): ConsumerGroupsSnapshot {
    const ids = scope === 'all' ? [...this.groups.keys()] : scope;
    return { groups: new Map(ids.map((id) => [id, this.groups.get(id)?.clone()])), all: scope === 'all' };
  }

  restore(snapshot: ConsumerGroupsSnapshot): void {
    if (snapshot.all) this.groups.clear();
    for (const [id, group] of snapshot.groups) {
      if (group === undefined) this.groups.delete(id);
      else this.groups.set(id, group);
    }
  }
}
