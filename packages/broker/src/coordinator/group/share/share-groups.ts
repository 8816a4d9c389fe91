import {
  ErrorCode,
  type ListGroupsResponseListedGroupInput,
  type ShareGroupDescribeResponseDescribedGroupInput,
  type ShareGroupHeartbeatResponseInput,
} from '@samsa/protocol';
import { type Assignment, assignmentToWire, sameAssignment } from '../consumer/assignment.js';
import type { TopicsView } from '../consumer/topics-view.js';
import { SHARE_GROUP_TYPE, ShareGroup, type ShareGroupMember } from './share-group.js';
import { assignSharePartitions } from './simple-assignor.js';

/** The member epoch a member sends to leave the group. */
const LEAVE_GROUP_MEMBER_EPOCH = -1;

export interface ShareGroupHeartbeatArgs {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly rackId: string | null;
  /** Null when unchanged since the member's last heartbeat. */
  readonly subscribedTopicNames: readonly string[] | null;
  readonly clientId: string;
  readonly clientHost: string;
}

/** What the share groups need from their shard and broker. */
export interface ShareGroupsHost {
  /** The group's session timeout and heartbeat interval (group configs `share.*`, else the broker's). */
  timings(groupId: string): { readonly sessionTimeoutMs: number; readonly heartbeatIntervalMs: number };
  /** `group.share.max.size`. */
  readonly maxSize: number;
  /** Whether a classic or consumer group holds this id (one id is one group). */
  otherGroupHolds(groupId: string): boolean;
}

class ShareGroupError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The KIP-932 share groups of one coordinator shard (Kafka's GroupMetadataManager
 * shareGroupHeartbeat): members join with epoch 0 and their subscription, heartbeat with their
 * epoch, leave with -1 or are fenced when their session expires. Each change of members,
 * subscriptions or subscribed partitions bumps the group epoch; the next heartbeat computes the
 * target assignment (`simple` assignor) and every member takes its part, with the new epoch, at
 * its own next heartbeat.
 *
 * Kept in memory only: Kafka also writes the ShareGroup* records to `__consumer_offsets`. After a
 * coordinator move members are unknown and join again (UNKNOWN_MEMBER_ID).
 */
export class ShareGroups {
  private readonly groups = new Map<string, ShareGroup>();
  /** The target assignment of each group, by member id, with the epoch it was computed at. */
  private readonly targets = new Map<string, Map<string, Assignment>>();

  constructor(private readonly host: ShareGroupsHost) {}

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  group(groupId: string): ShareGroup | undefined {
    return this.groups.get(groupId);
  }

  clear(): void {
    this.groups.clear();
    this.targets.clear();
  }

  heartbeat(nowMs: number, args: ShareGroupHeartbeatArgs, topics: TopicsView): ShareGroupHeartbeatResponseInput {
    try {
      return this.handle(nowMs, args, topics);
    } catch (err) {
      if (!(err instanceof ShareGroupError)) throw err;
      return {
        errorCode: err.errorCode,
        errorMessage: err.message,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
  }

  private handle(nowMs: number, args: ShareGroupHeartbeatArgs, topics: TopicsView): ShareGroupHeartbeatResponseInput {
    const { groupId, memberId, memberEpoch } = args;
    if (memberId === '') throw new ShareGroupError(ErrorCode.INVALID_REQUEST, "MemberId can't be empty.");
    if (memberEpoch < LEAVE_GROUP_MEMBER_EPOCH)
      throw new ShareGroupError(ErrorCode.INVALID_REQUEST, `MemberEpoch is ${memberEpoch}, but must be >= -1.`);
    if (memberEpoch === 0 && (args.subscribedTopicNames === null || args.subscribedTopicNames.length === 0))
      throw new ShareGroupError(ErrorCode.INVALID_REQUEST, 'SubscribedTopicNames must be set in first request.');
    if (this.host.otherGroupHolds(groupId))
      throw new ShareGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a share group.`);

    let group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
      if (group === undefined || member === undefined) throw unknownMember(groupId, memberId);
      this.removeMember(group, memberId);
      return { errorCode: ErrorCode.NONE, memberId, memberEpoch: LEAVE_GROUP_MEMBER_EPOCH, heartbeatIntervalMs: 0 };
    }
    if (memberEpoch !== 0) {
      if (member === undefined) throw unknownMember(groupId, memberId);
      if (memberEpoch !== member.memberEpoch) {
        throw new ShareGroupError(
          ErrorCode.FENCED_MEMBER_EPOCH,
          `The share group member has a smaller or larger member epoch (${memberEpoch}) than the one known by the group coordinator (${member.memberEpoch}).`,
        );
      }
    } else if (member === undefined && (group?.members.size ?? 0) >= this.host.maxSize) {
      throw new ShareGroupError(
        ErrorCode.GROUP_MAX_SIZE_REACHED,
        `The share group has reached its maximum capacity of ${this.host.maxSize} members.`,
      );
    }
    if (group === undefined) {
      group = new ShareGroup(groupId);
      this.groups.set(groupId, group);
    }

    const updated: ShareGroupMember = {
      memberId,
      memberEpoch: member?.memberEpoch ?? 0,
      rackId: args.rackId ?? member?.rackId ?? null,
      clientId: args.clientId,
      clientHost: args.clientHost,
      subscribedTopicNames: args.subscribedTopicNames ?? member?.subscribedTopicNames ?? [],
      assignment: member?.assignment ?? new Map(),
    };
    group.members.set(memberId, updated);
    const partitionCounts = subscribedPartitionCounts(group, topics);
    const subscriptionChanged =
      member === undefined || !sameNames(member.subscribedTopicNames, updated.subscribedTopicNames);
    if (subscriptionChanged || !sameCounts(partitionCounts, group.subscribedPartitionCounts)) {
      group.groupEpoch += 1;
      group.subscribedPartitionCounts = partitionCounts;
    }
    if (group.groupEpoch > group.assignmentEpoch) this.computeTarget(group, topics);

    // The member takes its target at once (no revocation in share groups).
    const target = this.targets.get(groupId)?.get(memberId) ?? new Map();
    const reconciled: ShareGroupMember = { ...updated, memberEpoch: group.assignmentEpoch, assignment: target };
    group.members.set(memberId, reconciled);
    const { sessionTimeoutMs, heartbeatIntervalMs } = this.host.timings(groupId);
    group.sessionDeadlines.set(memberId, nowMs + sessionTimeoutMs);
    const sendAssignment = memberEpoch === 0 || !sameAssignment(reconciled.assignment, member?.assignment ?? new Map());
    return {
      errorCode: ErrorCode.NONE,
      memberId,
      memberEpoch: reconciled.memberEpoch,
      heartbeatIntervalMs,
      assignment: sendAssignment ? { topicPartitions: assignmentToWire(reconciled.assignment) } : null,
    };
  }

  private computeTarget(group: ShareGroup, topics: TopicsView): void {
    const members = [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      subscribedTopicIds: new Set(m.subscribedTopicNames.flatMap((name) => topics.topic(name)?.topicId ?? [])),
    }));
    this.targets.set(group.groupId, assignSharePartitions(members, group.subscribedPartitionCounts));
    group.assignmentEpoch = group.groupEpoch;
  }

  private removeMember(group: ShareGroup, memberId: string): void {
    group.members.delete(memberId);
    group.sessionDeadlines.delete(memberId);
    group.groupEpoch += 1;
    // An empty group stays (as Kafka keeps an Empty share group) until it is deleted.
  }

  /** The earliest session deadline of any member. */
  nextDeadlineMs(): number | undefined {
    let next: number | undefined;
    for (const group of this.groups.values()) {
      for (const deadline of group.sessionDeadlines.values())
        if (next === undefined || deadline < next) next = deadline;
    }
    return next;
  }

  /** Fences the members whose session expired by `nowMs`. */
  expire(nowMs: number): void {
    for (const group of this.groups.values()) {
      for (const [memberId, deadline] of [...group.sessionDeadlines]) {
        if (deadline <= nowMs) this.removeMember(group, memberId);
      }
    }
  }

  describe(
    groupId: string,
    topicName: (topicId: string) => string | undefined,
  ): ShareGroupDescribeResponseDescribedGroupInput {
    const group = this.groups.get(groupId);
    if (group === undefined) {
      const message = this.host.otherGroupHolds(groupId)
        ? `Group ${groupId} is not a share group.`
        : `Group ${groupId} not found.`;
      return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: message, groupId, groupState: 'Dead' };
    }
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignorName: 'simple',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        rackId: m.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: [...m.subscribedTopicNames],
        assignment: {
          topicPartitions: [...m.assignment].map(([topicId, partitions]) => ({
            topicId,
            topicName: topicName(topicId) ?? '',
            partitions: [...partitions],
          })),
        },
      })),
    };
  }

  list(states: ReadonlySet<string>, types: ReadonlySet<string>): ListGroupsResponseListedGroupInput[] {
    if (types.size > 0 && !types.has(SHARE_GROUP_TYPE)) return [];
    return [...this.groups.values()]
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: SHARE_GROUP_TYPE,
        groupState: g.state,
        groupType: SHARE_GROUP_TYPE,
      }));
  }

  /** DeleteGroups: only an empty share group can go (NON_EMPTY_GROUP otherwise). */
  delete(groupId: string): number {
    const group = this.groups.get(groupId);
    if (group === undefined) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    this.targets.delete(groupId);
    return ErrorCode.NONE;
  }
}

function unknownMember(groupId: string, memberId: string): ShareGroupError {
  return new ShareGroupError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${groupId}.`);
}

/** The partition counts of the topics the group's members subscribe to, by topic id (unknown topics left out). */
function subscribedPartitionCounts(group: ShareGroup, topics: TopicsView): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of group.subscribedTopicNames()) {
    const topic = topics.topic(name);
    if (topic !== undefined) counts.set(topic.topicId, topic.numPartitions);
  }
  return counts;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((name) => set.has(name));
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [topicId, count] of a) if (b.get(topicId) !== count) return false;
  return true;
}
