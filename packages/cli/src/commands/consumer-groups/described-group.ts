import { type Admin, type GroupDescription, KafkaError, type TopicPartition } from '@samsa/client';
import {
  ConsumerGroupDescribeApi,
  type ConsumerGroupDescribeResponse,
  ErrorCode,
  UnsupportedVersionError,
} from '@samsa/protocol';

/** ConsumerGroupDescribe v1's MemberType of a classic (JoinGroup) member of a consumer group (KIP-1099). */
const CLASSIC_MEMBER_TYPE = 0;

/** A member as `--describe` prints it, whichever protocol its group speaks. */
export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly assignment: readonly TopicPartition[];
  /** Consumer-protocol groups only: the member's epoch and the partitions the assignor wants it to own. */
  readonly memberEpoch?: number;
  readonly targetAssignment?: readonly TopicPartition[];
  /**
   * Whether the member speaks the consumer protocol, when ConsumerGroupDescribe v1 says (Kafka's
   * `MemberDescription.upgraded`); undefined for classic groups and v0 answers.
   */
  readonly upgraded?: boolean;
}

/**
 * A group as `--describe` prints it: a classic group (DescribeGroups) or a KIP-848 consumer group
 * (ConsumerGroupDescribe), which alone has the epochs.
 */
export interface DescribedGroup {
  readonly groupId: string;
  readonly state: string;
  /** The classic group's protocol (`range`, ...) or the consumer group's server assignor. */
  readonly assignor: string;
  readonly coordinator: number;
  readonly members: readonly DescribedMember[];
  readonly groupEpoch?: number;
  readonly targetAssignmentEpoch?: number;
}

function fromClassic(d: GroupDescription): DescribedGroup {
  return {
    groupId: d.groupId,
    state: d.state,
    assignor: d.protocol,
    coordinator: d.coordinator,
    members: d.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: m.assignment,
    })),
  };
}

/**
 * Describes groups as Kafka 4's Admin.describeConsumerGroups does: ConsumerGroupDescribe at the
 * group's coordinator, and DescribeGroups for groups it does not know (GROUP_ID_NOT_FOUND: a
 * classic group, or none) or when the broker does not serve it (UNSUPPORTED_VERSION). DescribeGroups answers a consumer group as Dead, so it is asked first
 * only to learn the coordinator.
 */
export async function describeGroups(admin: Admin, groupIds: readonly string[]): Promise<DescribedGroup[]> {
  const out: DescribedGroup[] = [];
  for (const classic of await admin.describeGroups(groupIds)) {
    const connection = await admin.cluster.connectionTo(classic.coordinator);
    let response: ConsumerGroupDescribeResponse;
    try {
      response = await connection.request(ConsumerGroupDescribeApi, {
        groupIds: [classic.groupId],
        includeAuthorizedOperations: false,
      });
    } catch (error) {
      // A broker without KIP-848 has classic groups only, as Kafka's Admin assumes then.
      if (!(error instanceof UnsupportedVersionError)) throw error;
      out.push(fromClassic(classic));
      continue;
    }
    const g = response.groups[0];
    if (g === undefined || g.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) {
      out.push(fromClassic(classic));
      continue;
    }
    if (g.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(g.errorCode, g.errorMessage ?? `describe group '${g.groupId}'`);
    }
    const partitions = (a: { topicPartitions: { topicName: string; partitions: number[] }[] }) =>
      a.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition })));
    out.push({
      groupId: g.groupId,
      state: g.groupState,
      assignor: g.assignorName,
      coordinator: classic.coordinator,
      groupEpoch: g.groupEpoch,
      targetAssignmentEpoch: g.assignmentEpoch,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.instanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: partitions(m.assignment),
        memberEpoch: m.memberEpoch,
        targetAssignment: partitions(m.targetAssignment),
        ...(m.memberType < 0 ? {} : { upgraded: m.memberType !== CLASSIC_MEMBER_TYPE }),
      })),
    });
  }
  return out;
}
