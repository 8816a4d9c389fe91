import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import type { TopicConfigResolver } from '../config/topic-config.js';
import { unifyCollisionChars, validateTopicName } from '../metadata/topic-name.js';
import type { TopicCreation } from './controller.js';
import { assignReplicas, type PlacementBroker } from './replica-assignment.js';

/**
 * The checks and placement decisions of topic creation and partition addition, shared by the
 * single-node controller and the ZooKeeper cluster admin: pure functions of the request, the
 * existing topics and the live brokers, throwing KafkaError with Kafka's codes and messages.
 */
export interface PlanningContext {
  readonly brokerConfig: BrokerConfig;
  readonly topicConfigs: TopicConfigResolver;
  readonly existingTopics: Iterable<string>;
  readonly liveBrokers: readonly PlacementBroker[];
}

/** Replica lists by partition for a new topic, after every check CreateTopics makes. */
export function planTopicCreation(creation: TopicCreation, ctx: PlanningContext): number[][] {
  const { name } = creation;
  validateTopicName(name);
  const unified = unifyCollisionChars(name);
  for (const existing of ctx.existingTopics) {
    if (existing === name) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    if (unifyCollisionChars(existing) === unified) {
      throw new KafkaError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${name}' collides with existing topic: ${existing}`,
      );
    }
  }
  ctx.topicConfigs.validateOverrides(creation.configs);
  if (creation.assignments.length > 0) {
    if (creation.numPartitions !== -1 || creation.replicationFactor !== -1) {
      throw new KafkaError(
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      );
    }
    return validateAssignment(creation.assignments, ctx.liveBrokers);
  }
  const numPartitions = creation.numPartitions === -1 ? ctx.brokerConfig.int('num.partitions') : creation.numPartitions;
  const replicationFactor =
    creation.replicationFactor === -1 ? ctx.brokerConfig.int('default.replication.factor') : creation.replicationFactor;
  if (numPartitions < 1)
    throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  if (replicationFactor < 1) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
  }
  return assignReplicas(numPartitions, replicationFactor, ctx.liveBrokers);
}

/** Replica lists of the partitions a CreatePartitions request adds to a topic. */
export function planPartitionAddition(
  currentReplicas: readonly (readonly number[])[],
  totalCount: number,
  assignments: readonly (readonly number[])[] | null,
  liveBrokers: readonly PlacementBroker[],
): number[][] {
  const current = currentReplicas.length;
  if (totalCount < current) {
    throw new KafkaError(
      ErrorCode.INVALID_PARTITIONS,
      `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`,
    );
  }
  if (totalCount === current)
    throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
  const added = totalCount - current;
  if (assignments !== null) {
    if (assignments.length !== added) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Increasing the number of partitions by ${added} but ${assignments.length} assignments provided.`,
      );
    }
    return validateAssignment(
      assignments.map((brokerIds, i) => ({ partitionIndex: current + i, brokerIds })),
      liveBrokers,
      current,
    );
  }
  const replicationFactor = currentReplicas[0]?.length ?? 1;
  // Kafka continues the existing pattern (AdminZkClient.createPartitions): the start index is the
  // first broker whose id is at least partition 0's leader, the partition ids follow on.
  const brokerIds = [...liveBrokers.map((b) => b.brokerId)].sort((a, b) => a - b);
  const firstLeader = currentReplicas[0]?.[0] ?? 0;
  const startIndex = Math.max(
    0,
    brokerIds.findIndex((id) => id >= firstLeader),
  );
  return assignReplicas(added, replicationFactor, liveBrokers, {
    startPartitionId: current,
    fixedStartIndex: startIndex,
  });
}

/** Checks an explicit replica assignment (CreateTopics / CreatePartitions) and returns it as lists. */
export function validateAssignment(
  assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[],
  liveBrokers: readonly PlacementBroker[],
  firstPartition = 0,
): number[][] {
  const sorted = [...assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
  const live = new Set(liveBrokers.map((b) => b.brokerId));
  const out: number[][] = [];
  let expectedSize: number | undefined;
  sorted.forEach((a, i) => {
    if (a.partitionIndex !== firstPartition + i) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Partitions should be a consecutive 0-based integer sequence, but got ${sorted.map((x) => x.partitionIndex).join(', ')}`,
      );
    }
    if (a.brokerIds.length === 0) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Replica assignment for partition ${a.partitionIndex} is empty.`,
      );
    }
    if (new Set(a.brokerIds).size !== a.brokerIds.length) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Duplicate brokers not allowed in replica assignment: ${a.brokerIds.join(', ')} for partition id ${a.partitionIndex}.`,
      );
    }
    for (const id of a.brokerIds) {
      if (!live.has(id)) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Unknown broker ${id} in the replica assignment for partition ${a.partitionIndex}.`,
        );
      }
    }
    if (expectedSize !== undefined && expectedSize !== a.brokerIds.length) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'All partitions should have the same number of replicas',
      );
    }
    expectedSize = a.brokerIds.length;
    out.push([...a.brokerIds]);
  });
  return out;
}
