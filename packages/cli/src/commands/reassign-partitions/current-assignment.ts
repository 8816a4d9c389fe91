import { type Admin, ErrorCode, KafkaError, type TopicDescription, type TopicPartition } from '@samsa/client';
import { toolFailure } from './reassignment-failures.js';
import type { PartitionTarget } from './reassignment-json.js';
import { partitionName } from './reassignment-json.js';

const UNKNOWN_TOPIC = 'org.apache.kafka.common.errors.UnknownTopicOrPartitionException';

/** The topic as the cluster's metadata describes it, or undefined when there is no such topic. */
export async function describeTopicIfExists(admin: Admin, topic: string): Promise<TopicDescription | undefined> {
  try {
    const [description] = await admin.describeTopics([topic]);
    return description;
  } catch (error) {
    if (error instanceof KafkaError && error.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return undefined;
    throw error;
  }
}

/** Descriptions of `topics` (in name order); an unknown one fails the command as Kafka's tool words it. */
async function describeTopics(admin: Admin, topics: Iterable<string>): Promise<TopicDescription[]> {
  const out: TopicDescription[] = [];
  for (const topic of [...new Set(topics)].sort()) {
    const description = await describeTopicIfExists(admin, topic);
    if (description === undefined) throw toolFailure(`${UNKNOWN_TOPIC}: Topic ${topic} not found.`);
    out.push(description);
  }
  return out;
}

/** Kafka's `getReplicaAssignmentForTopics`: every partition of the topics, with its replicas. */
export async function replicaAssignmentForTopics(admin: Admin, topics: readonly string[]): Promise<PartitionTarget[]> {
  return (await describeTopics(admin, topics)).flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partition, replicas: [...p.replicas] })),
  );
}

/** Kafka's `getReplicaAssignmentForPartitions`: those partitions' replicas, all of which must exist. */
export async function replicaAssignmentForPartitions(
  admin: Admin,
  partitions: readonly TopicPartition[],
): Promise<PartitionTarget[]> {
  const wanted = new Set(partitions.map(partitionName));
  const found = (await replicaAssignmentForTopics(admin, [...new Set(partitions.map((p) => p.topic))])).filter((p) =>
    wanted.has(partitionName(p)),
  );
  if (found.length < wanted.size) {
    const have = new Set(found.map(partitionName));
    const missing = [...wanted].filter((name) => !have.has(name));
    throw toolFailure(`${UNKNOWN_TOPIC}: Unable to find partition: ${missing.join(', ')}`);
  }
  return found;
}

/** Kafka's `verifyBrokerIds`: every broker of the targets is in the cluster. */
export async function verifyBrokerIds(admin: Admin, brokers: Iterable<number>): Promise<void> {
  const live = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
  const unknown = [...new Set(brokers)].sort((a, b) => a - b).find((id) => !live.has(id));
  if (unknown !== undefined) throw toolFailure(`Unknown broker id ${unknown}`);
}
