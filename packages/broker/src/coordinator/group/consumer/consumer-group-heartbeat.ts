import { type ConsumerGroupHeartbeatResponseInput, ErrorCode } from '@samsa/protocol';
import type { ConsumerGroupTimings } from '../group-coordinator-config.js';
import type { OperationEffects } from '../operation-effects.js';
import { type Assignment, assignmentToWire, isSubset, sameAssignment } from './assignment.js';
import type { ConsumerGroupPartitionAssignor } from './assignor.js';
import type { ConsumerGroup } from './consumer-group.js';
import {
  type ConsumerGroupMember,
  type ConsumerGroupMemberMetadata,
  INITIAL_ASSIGNMENT_STATE,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  MemberState,
  sameMetadata,
} from './consumer-group-member.js';
import {
  currentMemberAssignmentRecord,
  groupMetadataRecord,
  memberMetadataRecord,
  partitionMetadataRecord,
  type SubscribedTopicMetadata,
  targetAssignmentMemberRecord,
  targetAssignmentMetadataRecord,
} from './consumer-group-records.js';
import { reconcile } from './current-assignment-builder.js';
import { compileTopicRegex, type TopicsView, topicsMatching } from './topics-view.js';

export interface ConsumerGroupHeartbeatArgs {
  readonly apiVersion: number;
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
  /** The partitions the member owns, by topic id; null when the request does not say. */
  readonly topicPartitions: Assignment | null;
  readonly clientId: string;
  readonly clientHost: string;
}

/** What the consumer group logic needs from its shard. */
export interface ConsumerGroupHost {
  /** The group's session timeout and heartbeat interval (its group configs, else the broker's). */
  timings(groupId: string): ConsumerGroupTimings;
  readonly consumerGroupMaxSize: number;
  /** The configured assignors; the first is the default. */
  readonly assignors: readonly ConsumerGroupPartitionAssignor[];
  consumerGroup(groupId: string): ConsumerGroup | undefined;
  /** Creates the group in the shard (it exists once its first record is replayed; the operation's rollback removes it otherwise). */
  createConsumerGroup(groupId: string): ConsumerGroup;
  /**
   * Whether `groupId` is a classic group that blocks a consumer group (one with members). An
   * empty classic group is converted: `convertEmptyClassicGroup` writes its tombstone.
   */
  classicGroupBlocks(groupId: string): boolean;
  convertEmptyClassicGroup(effects: OperationEffects, groupId: string): void;
  /** A member id for a v0 member joining without one (Kafka: a random UUID). */
  newMemberId(): string;
}

/** An error answered to the heartbeat as Kafka answers it (code and message). */
export class ConsumerGroupError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * ConsumerGroupHeartbeat (Kafka's GroupMetadataManager.consumerGroupHeartbeat): joins, leaves,
 * keeps members' sessions, bumps the group epoch when membership, subscriptions or subscribed
 * topics change, computes the target assignment when the group epoch is ahead of the assignment
 * epoch, and moves the heartbeating member towards its target (revocation first).
 */
export class ConsumerGroupHeartbeat {
  constructor(private readonly host: ConsumerGroupHost) {}

  heartbeat(
    fx: OperationEffects,
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): ConsumerGroupHeartbeatResponseInput {
    try {
      this.validate(args);
      if (args.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || args.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        return this.leave(fx, args, topics);
      }
      return this.joinOrHeartbeat(fx, args, topics);
    } catch (error) {
      if (!(error instanceof ConsumerGroupError)) throw error;
      if (fx.records.length > 0) throw new Error(`consumer group error after records were written: ${error.message}`);
      return {
        errorCode: error.errorCode,
        errorMessage: error.message,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
  }

  /** Removes a member (left, or fenced by a timer) and bumps the group epoch. */
  removeMember(fx: OperationEffects, group: ConsumerGroup, memberId: string, topics: TopicsView | undefined): void {
    fx.append(currentMemberAssignmentRecord(group.groupId, memberId, null));
    fx.append(targetAssignmentMemberRecord(group.groupId, memberId, null));
    fx.append(memberMetadataRecord(group.groupId, memberId, null));
    this.refreshSubscriptionMetadata(fx, group, topics);
    fx.append(groupMetadataRecord(group.groupId, group.groupEpoch + 1));
  }

  private validate(args: ConsumerGroupHeartbeatArgs): void {
    const invalid = (message: string): ConsumerGroupError => new ConsumerGroupError(ErrorCode.INVALID_REQUEST, message);
    const blank = (value: string | null): boolean => value !== null && value.trim() === '';
    if (blank(args.groupId) || args.groupId === '') throw invalid("GroupId can't be empty.");
    if (blank(args.instanceId)) throw invalid("InstanceId can't be empty.");
    if (blank(args.rackId)) throw invalid("RackId can't be empty.");
    // v1 (KIP-1082): the member generates its id, so it is required from the first heartbeat.
    if ((args.apiVersion >= 1 || args.memberEpoch !== 0) && args.memberId.trim() === '') {
      throw invalid("MemberId can't be empty.");
    }
    if (args.memberEpoch === 0) {
      if (args.rebalanceTimeoutMs === -1) throw invalid('RebalanceTimeoutMs must be provided in first request.');
      if (args.topicPartitions === null || args.topicPartitions.size > 0) {
        throw invalid('TopicPartitions must be empty when (re-)joining.');
      }
      const hasNames = args.subscribedTopicNames !== null && args.subscribedTopicNames.length > 0;
      const hasRegex = args.subscribedTopicRegex !== null && args.subscribedTopicRegex !== '';
      if (!hasNames && !hasRegex) {
        throw invalid(
          args.apiVersion >= 1
            ? 'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.'
            : 'SubscribedTopicNames must be set in first request.',
        );
      }
    } else if (args.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      if (args.instanceId === null) throw invalid("InstanceId can't be null.");
    } else if (args.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      throw invalid('MemberEpoch is invalid.');
    }
    if (args.subscribedTopicRegex !== null && args.subscribedTopicRegex !== '') {
      if (compileTopicRegex(args.subscribedTopicRegex) === undefined) {
        throw new ConsumerGroupError(
          ErrorCode.INVALID_REGULAR_EXPRESSION,
          `SubscribedTopicRegex \`${args.subscribedTopicRegex}\` is not a valid regular expression.`,
        );
      }
    }
    const names = this.host.assignors.map((a) => a.name);
    if (args.serverAssignor !== null && !names.includes(args.serverAssignor)) {
      throw new ConsumerGroupError(
        ErrorCode.UNSUPPORTED_ASSIGNOR,
        `ServerAssignor ${args.serverAssignor} is not supported. Supported assignors: ${names.join(', ')}.`,
      );
    }
  }

  private leave(
    fx: OperationEffects,
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): ConsumerGroupHeartbeatResponseInput {
    const group = this.existingGroup(args.groupId);
    const member = this.existingMember(group, args.memberId);
    if (args.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      // A static member leaving temporarily keeps its assignment until its session expires.
      fx.append(
        currentMemberAssignmentRecord(group.groupId, member.memberId, {
          ...member,
          memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH,
          previousMemberEpoch: member.memberEpoch,
        }),
      );
      group.revocationDeadlines.delete(member.memberId);
    } else {
      this.removeMember(fx, group, member.memberId, topics);
    }
    return {
      errorCode: ErrorCode.NONE,
      memberId: member.memberId,
      memberEpoch: args.memberEpoch,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
  }

  private existingGroup(groupId: string): ConsumerGroup {
    const group = this.host.consumerGroup(groupId);
    if (group === undefined) {
      throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`);
    }
    return group;
  }

  private existingMember(group: ConsumerGroup, memberId: string): ConsumerGroupMember {
    const member = group.members.get(memberId);
    if (member === undefined) {
      throw new ConsumerGroupError(
        ErrorCode.UNKNOWN_MEMBER_ID,
        `Member ${memberId} is not a member of group ${group.groupId}.`,
      );
    }
    return member;
  }

  private joinOrHeartbeat(
    fx: OperationEffects,
    args: ConsumerGroupHeartbeatArgs,
    topics: TopicsView,
  ): ConsumerGroupHeartbeatResponseInput {
    const { groupId } = args;
    if (this.host.classicGroupBlocks(groupId)) {
      throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`);
    }
    let group = this.host.consumerGroup(groupId);
    if (group === undefined) {
      if (args.memberEpoch !== 0) {
        throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`);
      }
    }
    const memberId = args.memberId === '' ? this.newMemberId() : args.memberId;
    let previous: ConsumerGroupMember | undefined;
    let replaced: ConsumerGroupMember | undefined;
    if (args.memberEpoch === 0) {
      previous = group?.members.get(memberId);
      const staticMember = args.instanceId === null ? undefined : group?.memberByInstanceId(args.instanceId);
      if (staticMember !== undefined && staticMember.memberId !== memberId) {
        if (staticMember.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
          throw new ConsumerGroupError(
            ErrorCode.UNRELEASED_INSTANCE_ID,
            `Static member ${memberId} with instance id ${args.instanceId} cannot join the group because the instance id is owned by ${staticMember.memberId} member.`,
          );
        }
        replaced = staticMember;
      }
      if (group !== undefined && previous === undefined && replaced === undefined) {
        if (group.members.size >= this.host.consumerGroupMaxSize) {
          throw new ConsumerGroupError(
            ErrorCode.GROUP_MAX_SIZE_REACHED,
            `The consumer group has reached its maximum capacity of ${this.host.consumerGroupMaxSize} members.`,
          );
        }
      }
    } else {
      previous = this.existingMember(group as ConsumerGroup, memberId);
      this.checkMemberEpoch(previous, args.memberEpoch, args.topicPartitions);
    }

    // From here on, records are written: every refusal is above.
    if (group !== undefined) this.resolveRegexes(group, topics);
    if (group === undefined) {
      this.host.convertEmptyClassicGroup(fx, groupId);
      group = this.host.createConsumerGroup(groupId);
      fx.append(groupMetadataRecord(groupId, 0));
    }
    let bumpGroupEpoch = false;
    if (replaced !== undefined) {
      // The static member's new incarnation takes over its assignment: no rebalance for the others.
      const target = group.targetOf(replaced.memberId);
      fx.append(currentMemberAssignmentRecord(groupId, replaced.memberId, null));
      fx.append(targetAssignmentMemberRecord(groupId, replaced.memberId, null));
      fx.append(memberMetadataRecord(groupId, replaced.memberId, null));
      fx.append(memberMetadataRecord(groupId, memberId, replaced));
      fx.append(targetAssignmentMemberRecord(groupId, memberId, target));
      fx.append(
        currentMemberAssignmentRecord(groupId, memberId, {
          ...replaced,
          memberEpoch: replaced.previousMemberEpoch,
          previousMemberEpoch: replaced.previousMemberEpoch,
        }),
      );
      previous = group.members.get(memberId);
    } else if (args.memberEpoch === 0 && previous !== undefined && previous.memberEpoch !== 0) {
      // A known member rejoining owns nothing any more (it said so): it starts over.
      fx.append(currentMemberAssignmentRecord(groupId, memberId, INITIAL_ASSIGNMENT_STATE));
      previous = group.members.get(memberId);
    }

    const metadata = this.updatedMetadata(previous, args);
    if (previous === undefined || !sameMetadata(previous, metadata)) {
      fx.append(memberMetadataRecord(groupId, memberId, metadata));
      if (
        previous === undefined ||
        previous.subscribedTopicRegex !== metadata.subscribedTopicRegex ||
        previous.subscribedTopicNames.join('\u0000') !== metadata.subscribedTopicNames.join('\u0000')
      ) {
        bumpGroupEpoch = true;
      }
    }
    if (this.refreshSubscriptionMetadata(fx, group, topics)) bumpGroupEpoch = true;
    if (bumpGroupEpoch) fx.append(groupMetadataRecord(groupId, group.groupEpoch + 1));
    if (group.groupEpoch > group.assignmentEpoch) this.updateTargetAssignment(fx, group);

    const member = group.members.get(memberId) as ConsumerGroupMember;
    const updated = reconcile({
      member,
      targetAssignmentEpoch: group.assignmentEpoch,
      targetAssignment: group.targetOf(memberId),
      ownedTopicPartitions: args.topicPartitions,
      ownedByOther: (topicId, partition) => group.ownedByOther(memberId, topicId, partition),
    });
    const changed =
      updated.memberEpoch !== member.memberEpoch ||
      updated.previousMemberEpoch !== member.previousMemberEpoch ||
      updated.state !== member.state ||
      !sameAssignment(updated.assignedPartitions, member.assignedPartitions) ||
      !sameAssignment(updated.partitionsPendingRevocation, member.partitionsPendingRevocation);
    if (changed || args.memberEpoch === 0) fx.append(currentMemberAssignmentRecord(groupId, memberId, updated));

    const timings = this.host.timings(groupId);
    group.sessionDeadlines.set(memberId, fx.nowMs + timings.sessionTimeoutMs);
    if (updated.state === MemberState.UNREVOKED_PARTITIONS) {
      if (member.state !== MemberState.UNREVOKED_PARTITIONS || !group.revocationDeadlines.has(memberId)) {
        group.revocationDeadlines.set(memberId, fx.nowMs + updated.rebalanceTimeoutMs);
      }
    } else {
      group.revocationDeadlines.delete(memberId);
    }

    // As Kafka: to a full request (joining, or resending everything after an error), or when the
    // assigned partitions changed.
    const fullRequest =
      args.memberEpoch === 0 ||
      (args.rebalanceTimeoutMs !== -1 && args.subscribedTopicNames !== null && args.topicPartitions !== null);
    const sendAssignment = fullRequest || !sameAssignment(updated.assignedPartitions, member.assignedPartitions);
    return {
      errorCode: ErrorCode.NONE,
      memberId,
      memberEpoch: updated.memberEpoch,
      heartbeatIntervalMs: timings.heartbeatIntervalMs,
      assignment: sendAssignment ? { topicPartitions: assignmentToWire(updated.assignedPartitions) } : null,
    };
  }

  /**
   * Resolves the regexes the group's members subscribed with before this heartbeat (Kafka does it
   * in the background after the heartbeat that brought a new regex, so that regex's topics come
   * in a later heartbeat; here, the next one of any member).
   */
  private resolveRegexes(group: ConsumerGroup, topics: TopicsView): void {
    const regexes = new Set<string>();
    for (const member of group.members.values()) {
      if (member.subscribedTopicRegex !== null) regexes.add(member.subscribedTopicRegex);
    }
    for (const regex of [...group.resolvedRegexes.keys()]) if (!regexes.has(regex)) group.resolvedRegexes.delete(regex);
    for (const regex of regexes) group.resolvedRegexes.set(regex, topicsMatching(topics, regex));
  }

  private checkMemberEpoch(member: ConsumerGroupMember, received: number, owned: Assignment | null): void {
    if (received > member.memberEpoch) {
      throw new ConsumerGroupError(
        ErrorCode.FENCED_MEMBER_EPOCH,
        `The consumer group member has a greater member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
      );
    }
    if (received < member.memberEpoch) {
      // The response with the bumped epoch may have been lost: the previous epoch is accepted
      // from a member owning no more than its current assignment.
      if (received !== member.previousMemberEpoch || owned === null || !isSubset(owned, member.assignedPartitions)) {
        throw new ConsumerGroupError(
          ErrorCode.FENCED_MEMBER_EPOCH,
          `The consumer group member has a smaller member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
        );
      }
    }
  }

  private updatedMetadata(
    previous: ConsumerGroupMember | undefined,
    args: ConsumerGroupHeartbeatArgs,
  ): ConsumerGroupMemberMetadata {
    // A null field means "unchanged" (Kafka's maybeUpdate…); an empty regex means none. Names and
    // a regex may both be set: the member subscribes to their union.
    const names = args.subscribedTopicNames ?? previous?.subscribedTopicNames ?? [];
    let regex = args.subscribedTopicRegex ?? previous?.subscribedTopicRegex ?? null;
    if (regex === '') regex = null;
    return {
      instanceId: args.instanceId ?? previous?.instanceId ?? null,
      rackId: args.rackId ?? previous?.rackId ?? null,
      clientId: args.clientId,
      clientHost: args.clientHost,
      subscribedTopicNames: [...names].sort(),
      subscribedTopicRegex: regex,
      rebalanceTimeoutMs:
        args.rebalanceTimeoutMs === -1 ? (previous?.rebalanceTimeoutMs ?? -1) : args.rebalanceTimeoutMs,
      serverAssignor: args.serverAssignor ?? previous?.serverAssignor ?? null,
    };
  }

  /**
   * Writes the subscribed topics' metadata when it changed (a topic created, deleted or grown
   * that a member subscribes to, or a subscription change); returns whether it did. Without a
   * topics view (timers), the stored metadata is filtered to the remaining subscriptions.
   */
  private refreshSubscriptionMetadata(
    fx: OperationEffects,
    group: ConsumerGroup,
    topics: TopicsView | undefined,
  ): boolean {
    let next: SubscribedTopicMetadata[];
    if (topics === undefined) {
      const stored = new Map(group.subscribedTopicMetadata.map((t) => [t.topicName, t]));
      const names = group.subscribedTopicNames((regex) => {
        const compiled = compileTopicRegex(regex);
        return compiled === undefined ? [] : [...stored.keys()].filter((name) => compiled.test(name));
      });
      next = [...names].flatMap((name) => stored.get(name) ?? []);
    } else {
      const names = group.subscribedTopicNames((regex) => group.resolvedRegexes.get(regex) ?? []);
      next = [...names].flatMap((name) => {
        const topic = topics.topic(name);
        return topic === undefined
          ? []
          : [{ topicId: topic.topicId, topicName: name, numPartitions: topic.numPartitions }];
      });
    }
    next.sort((a, b) => (a.topicName < b.topicName ? -1 : a.topicName > b.topicName ? 1 : 0));
    const current = group.subscribedTopicMetadata;
    const same =
      current.length === next.length &&
      current.every(
        (t, i) =>
          t.topicId === next[i]?.topicId &&
          t.topicName === next[i]?.topicName &&
          t.numPartitions === next[i]?.numPartitions,
      );
    if (same) return false;
    fx.append(partitionMetadataRecord(group.groupId, next));
    return true;
  }

  /** Computes the target assignment at the group epoch and writes what changed. */
  private updateTargetAssignment(fx: OperationEffects, group: ConsumerGroup): void {
    const byName = new Map(group.subscribedTopicMetadata.map((t) => [t.topicName, t]));
    const members = [...group.members.values()].map((member) => {
      const names = new Set(member.subscribedTopicNames);
      if (member.subscribedTopicRegex !== null) {
        for (const name of group.resolvedRegexes.get(member.subscribedTopicRegex) ?? []) names.add(name);
      }
      const ids = new Set([...names].flatMap((name) => byName.get(name)?.topicId ?? []));
      return { memberId: member.memberId, subscribedTopicIds: ids, currentAssignment: group.targetOf(member.memberId) };
    });
    const partitionCounts = new Map(group.subscribedTopicMetadata.map((t) => [t.topicId, t.numPartitions]));
    const assignor = this.preferredAssignor(group);
    const target = assignor.assign({ members, partitionCounts });
    for (const member of members) {
      const next = target.get(member.memberId) ?? new Map();
      if (!sameAssignment(next, member.currentAssignment) || !group.targetAssignment.has(member.memberId)) {
        fx.append(targetAssignmentMemberRecord(group.groupId, member.memberId, next));
      }
    }
    fx.append(targetAssignmentMetadataRecord(group.groupId, group.groupEpoch));
  }

  /** The assignor most members ask for (Kafka's preferred server assignor), else the default. */
  private preferredAssignor(group: ConsumerGroup): ConsumerGroupPartitionAssignor {
    const votes = new Map<string, number>();
    for (const member of group.members.values()) {
      if (member.serverAssignor !== null) votes.set(member.serverAssignor, (votes.get(member.serverAssignor) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [name, count] of votes) if (best === undefined || count > (votes.get(best) ?? 0)) best = name;
    const assignors = this.host.assignors;
    return assignors.find((a) => a.name === best) ?? (assignors[0] as ConsumerGroupPartitionAssignor);
  }

  private newMemberId(): string {
    return this.host.newMemberId();
  }
}
