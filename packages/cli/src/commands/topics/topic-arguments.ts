import { ErrorCode, KafkaError } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import { topicFilter } from '../../support/topic-partition-filter.js';

/** Kafka's internal topics: `--exclude-internal` drops them, `--delete` refuses them. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([
  '__consumer_offsets',
  '__transaction_state',
  '__share_group_state',
]);

/** Kafka's `TopicCommand.parseReplicaAssignment`: `0:1,1:2` → partition → broker IDs. */
export function parseReplicaAssignment(text: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  text.split(',').forEach((partition, i) => {
    const brokers = partition.split(':').map((s) => {
      const n = Number(s.trim());
      if (s.trim() === '' || !Number.isInteger(n)) throw new UsageError(`For input string: "${s.trim()}"`);
      return n;
    });
    const duplicates = brokers.filter((b, j) => brokers.indexOf(b) !== j);
    if (duplicates.length > 0) {
      throw new UsageError(
        `Partition replica lists may not contain duplicate entries: ${[...new Set(duplicates)].join(',')}`,
      );
    }
    out.set(i, brokers);
    if (brokers.length !== (out.get(0) as number[]).length) {
      throw new UsageError(`Partition ${i} has different replication factor: [${brokers.join(', ')}]`);
    }
  });
  return out;
}

/** Kafka's `--config k=v` parsing (split at `=` with surrounding spaces trimmed). */
export function parseTopicConfigs(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const parts = value.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new UsageError(
        'requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".',
      );
    }
    out[(parts[0] as string).trim()] = (parts[1] as string).trim();
  }
  return out;
}

/** The topics among `all` that `--topic` selects (all of them without it), sorted. */
export function selectTopics(all: Iterable<string>, topic: string | undefined, excludeInternal: boolean): string[] {
  const matches = topic === undefined ? () => true : topicFilter(topic);
  return [...all].filter((t) => matches(t) && !(excludeInternal && INTERNAL_TOPICS.has(t))).sort();
}

/** Kafka's `ensureTopicExists`: a `--topic` that matched nothing fails unless `--if-exists`. */
export function ensureTopicExists(found: readonly string[], requested: string | undefined, required: boolean): void {
  if (requested !== undefined && requested !== '' && required && found.length === 0) {
    throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${requested}' does not exist as expected`);
  }
}

/** Printed by `--create` for a name with '.' or '_' (Kafka's `Topic.hasCollisionChars`). */
export const COLLISION_WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

export function hasCollisionChars(topic: string): boolean {
  return topic.includes('.') || topic.includes('_');
}

/** What `--create` asks for, checked as Kafka's TopicCommand checks it before any request. */
export interface NewTopicArguments {
  readonly name: string;
  readonly partitions: number | undefined;
  readonly replicationFactor: number | undefined;
  readonly assignment: Map<number, number[]> | undefined;
  readonly configs: Record<string, string>;
}

export function newTopicArguments(options: ParsedOptions): NewTopicArguments {
  const partitions = options.number('partitions');
  const replicationFactor = options.number('replication-factor');
  if (replicationFactor !== undefined && (replicationFactor > 32767 || replicationFactor < 1)) {
    throw new UsageError('The replication factor must be between 1 and 32767 inclusive');
  }
  if (partitions !== undefined && partitions < 1) throw new UsageError('The partitions must be greater than 0');
  return {
    name: options.value('topic') as string,
    partitions,
    replicationFactor,
    assignment: replicaAssignmentOf(options),
    configs: parseTopicConfigs(options.values('config')),
  };
}

/** `--replica-assignment`, parsed, if given. */
export function replicaAssignmentOf(options: ParsedOptions): Map<number, number[]> | undefined {
  const text = options.value('replica-assignment');
  return text === undefined ? undefined : parseReplicaAssignment(text);
}
