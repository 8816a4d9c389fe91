import { AlterPartitionReassignmentsApi, ErrorCode, KafkaError, ListPartitionReassignmentsApi } from '@samsa/protocol';
import { compareTopicPartitions, groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { Cluster } from '../metadata/cluster.js';
import { NOT_CONTROLLER, onActiveController } from './active-controller.js';
import type { PartitionReassignment, ReassignmentResult } from './admin-types.js';

/**
 * AlterPartitionReassignments (KIP-455) on the active controller: moves each partition to its
 * target replicas, or cancels its reassignment in progress (`replicas` null). Resolves when the
 * moves have started; ListPartitionReassignments tells when they are done.
 */
export function alterPartitionReassignments(
  cluster: Cluster,
  reassignments: readonly (TopicPartition & { readonly replicas: readonly number[] | null })[],
  timeoutMs: number,
): Promise<ReassignmentResult[]> {
  const byTopic = new Map<string, { partitionIndex: number; replicas: number[] | null }[]>();
  for (const r of reassignments) {
    let list = byTopic.get(r.topic);
    if (list === undefined) {
      list = [];
      byTopic.set(r.topic, list);
    }
    list.push({ partitionIndex: r.partition, replicas: r.replicas === null ? null : [...r.replicas] });
  }
  return onActiveController(cluster, timeoutMs, 'reassign partitions', async (connection, deadline) => {
    const response = await connection.request(AlterPartitionReassignmentsApi, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    });
    if (response.errorCode === ErrorCode.NOT_CONTROLLER) return NOT_CONTROLLER;
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, response.errorMessage ?? undefined);
    }
    return response.responses
      .flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          error: p.errorCode === ErrorCode.NONE ? null : new KafkaError(p.errorCode, p.errorMessage ?? undefined),
        })),
      )
      .sort(compareTopicPartitions);
  });
}

/** ListPartitionReassignments on the active controller: the moves in progress (all when `partitions` is null). */
export function listPartitionReassignments(
  cluster: Cluster,
  partitions: readonly TopicPartition[] | null,
  timeoutMs: number,
): Promise<PartitionReassignment[]> {
  return onActiveController(cluster, timeoutMs, 'list partition reassignments', async (connection, deadline) => {
    const response = await connection.request(ListPartitionReassignmentsApi, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      topics:
        partitions === null
          ? null
          : groupByTopic(partitions).map((t) => ({ name: t.topic, partitionIndexes: t.partitions })),
    });
    if (response.errorCode === ErrorCode.NOT_CONTROLLER) return NOT_CONTROLLER;
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, response.errorMessage ?? undefined);
    }
    return response.topics
      .flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          replicas: p.replicas,
          addingReplicas: p.addingReplicas,
          removingReplicas: p.removingReplicas,
        })),
      )
      .sort(compareTopicPartitions);
  });
}
