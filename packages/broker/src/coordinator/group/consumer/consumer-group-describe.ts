import { type ConsumerGroupDescribeResponseDescribedGroupInput, ErrorCode } from '@samsa/protocol';
import type { Assignment } from './assignment.js';
import type { ConsumerGroup } from './consumer-group.js';

/** ConsumerGroupDescribe v1's MemberType of a member using the consumer protocol (KIP-1099). */
const CONSUMER_MEMBER_TYPE = 1;

/**
 * One group of a ConsumerGroupDescribe response. Topic names come from the group's subscribed
 * topic metadata, else from the cluster (`topicName`); partitions of a topic without a name
 * (deleted) are left out, as Kafka does.
 */
export function describeConsumerGroup(
  group: ConsumerGroup,
  defaultAssignor: string,
  topicName: (topicId: string) => string | undefined,
): ConsumerGroupDescribeResponseDescribedGroupInput {
  const names = new Map(group.subscribedTopicMetadata.map((t) => [t.topicId, t.topicName]));
  const toWire = (assignment: Assignment) => ({
    topicPartitions: [...assignment].flatMap(([topicId, partitions]) => {
      const name = names.get(topicId) ?? topicName(topicId);
      return name === undefined ? [] : [{ topicId, topicName: name, partitions: [...partitions] }];
    }),
  });
  const assignors = [...group.members.values()].flatMap((m) => m.serverAssignor ?? []);
  return {
    errorCode: ErrorCode.NONE,
    groupId: group.groupId,
    groupState: group.state,
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: assignors[0] ?? defaultAssignor,
    members: [...group.members.values()].map((member) => ({
      memberId: member.memberId,
      instanceId: member.instanceId,
      rackId: member.rackId,
      memberEpoch: member.memberEpoch,
      clientId: member.clientId,
      clientHost: member.clientHost,
      subscribedTopicNames: [...member.subscribedTopicNames],
      subscribedTopicRegex: member.subscribedTopicRegex,
      assignment: toWire(member.assignedPartitions),
      targetAssignment: toWire(group.targetOf(member.memberId)),
      memberType: CONSUMER_MEMBER_TYPE,
    })),
  };
}
