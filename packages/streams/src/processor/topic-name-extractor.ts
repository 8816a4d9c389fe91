import type { RecordHeader } from '@samsa/client';

/**
 * Kafka Streams' `RecordContext` as a `TopicNameExtractor` sees it: where the record being sent
 * came from (topic, partition and offset are -1/'' when a punctuator produced it, as Java's null
 * context) and its timestamp and headers.
 */
export interface RecordContext {
  topic(): string;
  partition(): number;
  offset(): bigint;
  timestamp(): number;
  headers(): readonly RecordHeader[];
}

/**
 * Kafka Streams' `TopicNameExtractor`: the topic a sink sends each record to
 * (`KStream.to(extractor)`, `Topology.addSink(name, extractor, ...parents)`). A function or, as
 * in Java, an object with `extract`. The topics must exist: Streams creates only its internal ones.
 */
export type TopicNameExtractor<K, V> =
  | ((key: K, value: V, recordContext: RecordContext) => string)
  | { extract(key: K, value: V, recordContext: RecordContext): string };

export function extractTopic<K, V>(
  extractor: TopicNameExtractor<K, V>,
  key: K,
  value: V,
  recordContext: RecordContext,
): string {
  const topic =
    typeof extractor === 'function'
      ? extractor(key, value, recordContext)
      : extractor.extract(key, value, recordContext);
  if (typeof topic !== 'string' || topic.length === 0)
    throw new Error(`TopicNameExtractor ${describeExtractor(extractor)} returned no topic name (got ${String(topic)})`);
  return topic;
}

/** What Java's describe() prints for the extractor (its toString; here the function or class name). */
export function describeExtractor<K, V>(extractor: TopicNameExtractor<K, V>): string {
  if (typeof extractor === 'function') return extractor.name === '' ? '<anonymous>' : extractor.name;
  return extractor.constructor?.name ?? 'Object';
}
