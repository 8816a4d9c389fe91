import { ErrorCode, KafkaError } from '@samsa/protocol';

/**
 * Kafka's rack-unaware replica assignment (`AdminUtils.assignReplicasToBrokersRackUnaware`):
 * leaders go round-robin over the brokers from a start index; followers follow the leader with a
 * shift that grows every time the brokers wrap, so replicas spread evenly.
 */
export function assignReplicas(
  numPartitions: number,
  replicationFactor: number,
  brokerIds: readonly number[],
  startPartitionId = 0,
  random: () => number = Math.random,
): number[][] {
  if (replicationFactor > brokerIds.length) {
    throw new KafkaError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokerIds.length} broker(s) are registered.`,
    );
  }
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  const startIndex = Math.floor(random() * n);
  let nextReplicaShift = Math.floor(random() * n);
  let currentPartitionId = Math.max(0, startPartitionId);
  const assignment: number[][] = [];
  for (let i = 0; i < numPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokers[firstReplicaIndex] as number];
    for (let j = 0; j < replicationFactor - 1; j++) {
      const shift = 1 + ((nextReplicaShift + j) % (n - 1));
      replicas.push(brokers[(firstReplicaIndex + shift) % n] as number);
    }
    assignment.push(replicas);
    currentPartitionId += 1;
  }
  return assignment;
}
