import { type Admin, KafkaError } from '@samsa/client';
import { changelogTopic, physicalTopic } from '../processor/stream-task.js';
import type { Topology } from '../processor/topology.js';
import { StreamsException, TopologyException } from '../processor/topology-exception.js';

/** What the application needs to run: partitions per sub-topology (its task count). */
export interface TopicPlan {
  readonly partitionsBySubtopology: ReadonlyMap<number, number>;
  readonly created: readonly string[];
}

/**
 * Creates the application's internal topics before it joins its group, as Java's assignor does
 * on the group leader:
 *
 * - a repartition topic gets as many partitions as the sub-topology writing it has tasks (the
 *   most partitions among that sub-topology's source topics), with Java's configs;
 * - a changelog `<application.id>-<store>-changelog` gets one partition per task of the store's
 *   sub-topology, `cleanup.policy=compact`.
 *
 * Topics that exist are left as they are. A missing user source topic is an error (Java's
 * MissingSourceTopicException), not a silently idle application.
 */
export async function prepareInternalTopics(
  admin: Admin,
  topology: Topology,
  applicationId: string,
  replicationFactor: number,
): Promise<TopicPlan> {
  // Global stores run outside tasks: their topics size nothing and they have no changelog.
  const subs = topology.subtopologies().filter((s) => s.global !== true);
  const userTopics = [...new Set(subs.flatMap((s) => s.sourceTopics).filter((t) => !topology.isInternalTopic(t)))];
  const counts = new Map<string, number>();
  const described = await admin.describeTopics(userTopics).catch((error: unknown) => {
    throw new StreamsException(`Missing source topics ${userTopics.join(', ')}: ${(error as Error).message}`);
  });
  for (const t of described) counts.set(t.name, t.partitions.length);
  for (const t of userTopics) {
    if (!counts.has(t) || counts.get(t) === 0) throw new StreamsException(`Missing source topic ${t}`);
  }

  const subPartitions = (sourceTopics: readonly string[]): number | undefined => {
    let max = 0;
    for (const t of sourceTopics) {
      const n = counts.get(t);
      if (n === undefined) return undefined;
      max = Math.max(max, n);
    }
    return max;
  };
  // Repartition topics depend on their writers, which may read repartition topics themselves.
  for (let changed = true; changed; ) {
    changed = false;
    for (const topic of topology.internalTopicNames()) {
      if (counts.has(topic)) continue;
      const fixed = topology.internalTopicPartitions(topic);
      if (fixed !== undefined) {
        counts.set(topic, fixed);
        changed = true;
        continue;
      }
      const writers = subs.filter((s) =>
        s.nodes.some((n) => {
          const node = topology.node(n);
          return node?.kind === 'sink' && node.topic === topic;
        }),
      );
      const sizes = writers.map((w) => subPartitions(w.sourceTopics));
      if (sizes.length === 0 || sizes.some((n) => n === undefined)) continue;
      counts.set(topic, Math.max(...(sizes as number[])));
      changed = true;
    }
  }
  enforceCopartitioning(topology, counts);
  const partitionsBySubtopology = new Map<number, number>();
  for (const sub of subs) {
    const n = subPartitions(sub.sourceTopics);
    if (n === undefined)
      throw new StreamsException(`cannot size sub-topology ${sub.id}: an input has unknown partitions`);
    partitionsBySubtopology.set(sub.id, n);
  }

  const wanted: { name: string; numPartitions: number; configs: { [key: string]: string } }[] = [];
  for (const topic of topology.internalTopicNames()) {
    wanted.push({
      name: physicalTopic(topology, applicationId, topic),
      numPartitions: counts.get(topic) as number,
      configs: { 'cleanup.policy': 'delete', 'segment.bytes': '52428800', 'retention.ms': '-1' },
    });
  }
  for (const sub of subs) {
    for (const store of sub.stores) {
      const builder = topology.storeBuilder(store);
      if (builder === undefined || !builder.loggingEnabled()) continue;
      wanted.push({
        name: changelogTopic(applicationId, store),
        numPartitions: partitionsBySubtopology.get(sub.id) as number,
        configs: { 'cleanup.policy': 'compact', ...builder.logConfigs() },
      });
    }
  }
  const created: string[] = [];
  for (const topic of wanted) {
    try {
      await admin.createTopics([{ ...topic, replicationFactor }]);
      created.push(topic.name);
    } catch (error) {
      if (!(error instanceof KafkaError && error.errorName === 'TOPIC_ALREADY_EXISTS')) throw error;
    }
  }
  return { partitionsBySubtopology, created };
}

/**
 * Java's CopartitionedTopicsEnforcer: the user topics of a co-partition group (the inputs of a
 * join) must have the same partition count, or the join would pair partition p of one with
 * partition p of the other and miss keys; repartition topics in the group take that count.
 */
function enforceCopartitioning(topology: Topology, counts: Map<string, number>): void {
  for (const group of topology.copartitionGroups()) {
    const user = group.filter((t) => !topology.isInternalTopic(t));
    const sizes = new Map(user.map((t) => [t, counts.get(t)] as const));
    const distinct = new Set(sizes.values());
    if (distinct.size > 1) {
      const sorted = [...sizes.keys()].sort();
      throw new TopologyException(
        `Topics not co-partitioned: [${sorted.join(',')}] (${sorted.map((t) => `${t}: ${sizes.get(t)} partitions`).join(', ')})`,
      );
    }
    const n = distinct.size === 1 ? [...distinct][0] : Math.max(0, ...group.map((t) => counts.get(t) ?? 0));
    for (const t of group) {
      if (topology.isInternalTopic(t) && topology.internalTopicPartitions(t) === undefined && n !== undefined && n > 0)
        counts.set(t, n);
    }
  }
}
