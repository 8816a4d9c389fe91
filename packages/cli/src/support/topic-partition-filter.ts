import { UsageError } from './command-errors.js';

/**
 * Kafka's `IncludeList`: the `--topic` argument is a Java regex that must match the whole name;
 * commas separate alternatives and surrounding quotes are dropped.
 */
export function topicFilter(expression: string): (topic: string) => boolean {
  const source = expression
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/,/g, '|');
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${source})$`);
  } catch {
    throw new UsageError(`Illegal regular expression in --topic: ${expression}`);
  }
  return (topic) => pattern.test(topic);
}

/**
 * Which partitions a tool works on, as Kafka's `TopicPartitionFilter`: a topic test (a Java regex
 * over the whole name, Kafka's IncludeList) and a partition test, or several such rules of which
 * any may match.
 */
export interface TopicPartitionFilter {
  isTopicAllowed(topic: string): boolean;
  isTopicPartitionAllowed(topic: string, partition: number): boolean;
}

/** `topic-regex(:partition-spec)?` — Kafka's pattern, printed in GetOffsetShell's help. */
export const TOPIC_PARTITION_PATTERN = '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?';
const RULE = new RegExp(`^${TOPIC_PARTITION_PATTERN}$`);
const MAX_INT = 2 ** 31 - 1;

function rule(topics: (topic: string) => boolean, partitions: (partition: number) => boolean): TopicPartitionFilter {
  return {
    isTopicAllowed: topics,
    isTopicPartitionAllowed: (topic, partition) => topics(topic) && partitions(partition),
  };
}

/**
 * `--topic-partitions topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3,:0`: each rule is a topic
 * regex (any topic when empty) and a partition (one number; a range, lower bound inclusive, upper
 * bound exclusive, either side open; or all when absent).
 */
export function parseTopicPartitionRules(spec: string): TopicPartitionFilter {
  const rules = spec.split(',').map((text) => {
    const m = RULE.exec(text);
    if (m === null) throw new Error(`Invalid rule specification: ${text}`);
    const group = (i: number) => (m[i] === undefined || m[i] === '' ? undefined : m[i]);
    const topics = topicFilter(group(1) ?? '.*');
    const single = group(2);
    if (single !== undefined) return rule(topics, (p) => p === Number(single));
    const lower = Number(group(3) ?? 0);
    const upper = Number(group(4) ?? MAX_INT);
    return rule(topics, (p) => p >= lower && p < upper);
  });
  return {
    isTopicAllowed: (topic) => rules.some((r) => r.isTopicAllowed(topic)),
    isTopicPartitionAllowed: (topic, partition) => rules.some((r) => r.isTopicPartitionAllowed(topic, partition)),
  };
}

/** `--topic regex` (every topic without it) and `--partitions 0,1` (every partition without it). */
export function topicAndPartitionsFilter(
  topic: string | undefined,
  partitions: string | undefined,
): TopicPartitionFilter {
  let ids: Set<number> | undefined;
  if (partitions !== undefined && partitions !== '') {
    const parts = partitions.split(',');
    if (parts.some((p) => !/^[-+]?\d+$/.test(p))) {
      throw new Error(
        `--partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`,
      );
    }
    ids = new Set(parts.map(Number));
  }
  return rule(topicFilter(topic ?? '.*'), (p) => ids === undefined || ids.has(p));
}
