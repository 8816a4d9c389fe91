import { ZERO_UUID } from '@samsa/protocol';

/**
 * What `kafka-topics.sh --describe` prints, whichever way the facts were read: from a broker
 * (Metadata, DescribeConfigs) or from ZooKeeper (`/brokers/topics/<t>` and each partition's
 * `state` znode). Both paths build these records and render them here, so their lines are the same.
 */
export interface DescribedPartition {
  readonly partition: number;
  /** -1: no leader ("Leader: none"). */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface DescribedTopic {
  readonly name: string;
  /** The zero UUID (or null) when the topic has none: the TopicId column is left out. */
  readonly topicId: string | null;
  /** Configs that differ from the defaults, in the order they are printed. */
  readonly configs: readonly (readonly [string, string])[];
  /** `min.insync.replicas` in force, for the under/at-min-ISR filters. */
  readonly minIsr: number;
  /** Queued for deletion (`/admin/delete_topics/<t>`, ZooKeeper clusters only). */
  readonly markedForDeletion: boolean;
  readonly partitions: readonly DescribedPartition[];
}

/** The `--describe` report filters (Kafka's DescribeOptions). */
export interface DescribeFilters {
  readonly underReplicated: boolean;
  readonly unavailable: boolean;
  readonly underMinIsr: boolean;
  readonly atMinIsr: boolean;
  /** `--topics-with-overrides`: only the header of topics with configs, no partitions. */
  readonly withOverrides: boolean;
}

const MARKED_FOR_DELETION = '\tMarkedForDeletion: true';

/** The header line of `--describe`. */
export function formatTopicLine(
  topic: string,
  topicId: string | null,
  partitionCount: number,
  replicationFactor: number,
  configs: string,
  markedForDeletion = false,
): string {
  const id = topicId === null || topicId === ZERO_UUID ? '' : `\tTopicId: ${topicId}`;
  return (
    `Topic: ${topic}${id}\tPartitionCount: ${partitionCount}\tReplicationFactor: ${replicationFactor}` +
    `\tConfigs: ${configs}${markedForDeletion ? MARKED_FOR_DELETION : ''}`
  );
}

/** The partition line of `--describe`, Kafka 4's layout (ELR columns are N/A: Samsa has no ELR). */
export function formatPartitionLine(topic: string, p: DescribedPartition, markedForDeletion = false): string {
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}` +
    `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tElr: N/A\tLastKnownElr: N/A` +
    (markedForDeletion ? MARKED_FOR_DELETION : '')
  );
}

/**
 * The lines of `--describe` for `topics` (sorted by name, partitions by number): each topic's
 * header unless a partition filter is given, then the partitions the filters let through.
 * `liveBrokers` decides which leaders are available.
 */
export function describeLines(
  topics: readonly DescribedTopic[],
  filters: DescribeFilters,
  liveBrokers: ReadonlySet<number>,
): string[] {
  const partitionFilter = filters.underReplicated || filters.unavailable || filters.underMinIsr || filters.atMinIsr;
  const lines: string[] = [];
  for (const topic of [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const partitions = [...topic.partitions].sort((a, b) => a.partition - b.partition);
    if (!partitionFilter && (!filters.withOverrides || topic.configs.length > 0)) {
      const rf = partitions[0]?.replicas.length ?? 0;
      const configs = topic.configs.map(([k, v]) => `${k}=${v}`).join(',');
      lines.push(formatTopicLine(topic.name, topic.topicId, partitions.length, rf, configs, topic.markedForDeletion));
    }
    if (filters.withOverrides) continue;
    for (const p of partitions) {
      const hasLeader = p.leader >= 0;
      const show =
        !partitionFilter ||
        (filters.underReplicated && p.isr.length < p.replicas.length) ||
        (filters.unavailable && (!hasLeader || !liveBrokers.has(p.leader))) ||
        (filters.underMinIsr && (!hasLeader || p.isr.length < topic.minIsr)) ||
        (filters.atMinIsr && p.isr.length === topic.minIsr);
      if (show) lines.push(formatPartitionLine(topic.name, p, topic.markedForDeletion));
    }
  }
  return lines;
}
