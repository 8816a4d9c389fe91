import { assignReplicas, type PlacementBroker } from '@samsa/broker';
import type { Admin } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import { replicaAssignmentForTopics } from './current-assignment.js';
import { javaList, toolFailure } from './reassignment-failures.js';
import { duplicates, type PartitionTarget, parseTopicsToMove, reassignmentJson } from './reassignment-json.js';

/** Java's `Integer.parseInt`, failing with its NumberFormatException message. */
function parseBrokerId(text: string): number {
  const n = Number(text);
  if (!/^[-+]?\d+$/.test(text) || n < -(2 ** 31) || n >= 2 ** 31) throw toolFailure(`For input string: "${text}"`);
  return n;
}

/** `--broker-list 0,1,2`, split as Java's `String.split(",")` does (trailing empty entries dropped). */
export function parseBrokerList(text: string): number[] {
  const parts = text.split(',');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const brokers = parts.map(parseBrokerId);
  const repeated = duplicates(brokers).sort((a, b) => a - b);
  if (repeated.length > 0) throw toolFailure(`Broker list contains duplicate entries: ${javaList(repeated)}`);
  return brokers;
}

/**
 * Kafka's `getBrokerMetadata`: the listed brokers that are in the cluster (others are silently
 * left out), with their racks unless rack awareness is off. Rack-aware placement needs a rack on
 * every one of them or none (Kafka's RackAwareMode.Enforced).
 */
async function placementBrokers(
  admin: Admin,
  brokerIds: readonly number[],
  rackAware: boolean,
): Promise<PlacementBroker[]> {
  const wanted = new Set(brokerIds);
  const brokers = (await admin.describeCluster()).brokers
    .filter((b) => wanted.has(b.nodeId))
    .map((b) => ({ brokerId: b.nodeId, rack: rackAware ? b.rack : null }));
  const rackless = brokers.filter((b) => b.rack === null).length;
  if (rackAware && rackless !== 0 && rackless !== brokers.length) {
    throw toolFailure(
      'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.',
    );
  }
  return brokers;
}

/**
 * Kafka's `calculateAssignment`: each topic placed anew over the brokers with its partition count
 * and replication factor, by the broker's own placement (Kafka's `assignReplicasToBrokers`,
 * random start included), with Kafka's messages when it cannot be done.
 */
export function proposeAssignment(
  current: readonly PartitionTarget[],
  brokers: readonly PlacementBroker[],
): PartitionTarget[] {
  const byTopic = new Map<string, PartitionTarget[]>();
  for (const p of current) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  const proposed: PartitionTarget[] = [];
  for (const [topic, partitions] of byTopic) {
    const sorted = [...partitions].sort((a, b) => a.partition - b.partition);
    const replicationFactor = sorted[0]?.replicas.length ?? 0;
    if (replicationFactor <= 0) throw toolFailure('Replication factor must be larger than 0.');
    if (replicationFactor > brokers.length) {
      throw toolFailure(`Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`);
    }
    assignReplicas(sorted.length, replicationFactor, brokers).forEach((replicas, partition) => {
      proposed.push({ topic, partition, replicas });
    });
  }
  return proposed;
}

/** Kafka's `parseGenerateAssignmentArgs`: the brokers and topics, each without repeats. */
export function parseGenerateArgs(topicsJson: string, brokerList: string): { brokerIds: number[]; topics: string[] } {
  const brokerIds = parseBrokerList(brokerList);
  const topics = parseTopicsToMove(topicsJson);
  const repeated = duplicates(topics).sort();
  if (repeated.length > 0) {
    throw toolFailure(`List of topics to reassign contains duplicate entries: ${javaList(repeated)}`);
  }
  return { brokerIds, topics };
}

/**
 * `--generate`: the current assignment of the topics, and a proposal that spreads them over the
 * listed brokers — printed, never executed.
 */
export async function generateAssignment(
  admin: Admin,
  args: { readonly brokerIds: readonly number[]; readonly topics: readonly string[]; readonly rackAware: boolean },
  io: CommandIo,
): Promise<void> {
  const current = await replicaAssignmentForTopics(admin, args.topics);
  const proposed = proposeAssignment(current, await placementBrokers(admin, args.brokerIds, args.rackAware));
  io.stdout.write(`Current partition replica assignment\n${reassignmentJson(current)}\n\n`);
  io.stdout.write(`Proposed partition reassignment configuration\n${reassignmentJson(proposed)}\n`);
}
