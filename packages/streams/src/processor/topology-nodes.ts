import type { Deserializer, Serializer } from '../serde/serde.js';
import type { ProcessorSupplier } from './processor.js';
import type { TimestampExtractor } from './timestamp-extractor.js';
import type { TopicNameExtractor } from './topic-name-extractor.js';

/**
 * Kafka's `StreamPartitioner`: the partition for a record sent to a sink, or undefined for the
 * producer's default (murmur2 of the serialized key, as Java's producer).
 */
export type StreamPartitioner<K, V> = (topic: string, key: K, value: V, numPartitions: number) => number | undefined;

export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keyDeserializer: Deserializer<unknown> | undefined;
  readonly valueDeserializer: Deserializer<unknown> | undefined;
  /** This source's extractor (`Consumed.withTimestampExtractor`), else the application's default. */
  readonly timestampExtractor?: TimestampExtractor;
}

export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  /** Names of the state stores connected to this processor (it may `getStateStore` only these). */
  readonly stores: string[];
}

export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  /** The fixed topic, or undefined when `topicExtractor` picks one per record. */
  readonly topic: string | undefined;
  readonly topicExtractor: TopicNameExtractor<unknown, unknown> | undefined;
  readonly keySerializer: Serializer<unknown> | undefined;
  readonly valueSerializer: Serializer<unknown> | undefined;
  readonly partitioner: StreamPartitioner<unknown, unknown> | undefined;
  readonly parents: readonly string[];
}

export type TopologyNode = SourceNode | ProcessorNode | SinkNode;

/** A sub-topology: the nodes connected by parent edges or shared stores (Java's node group). */
export interface Subtopology {
  readonly id: number;
  /** Node names in the order they were added. */
  readonly nodes: readonly string[];
  readonly sourceTopics: readonly string[];
  readonly stores: readonly string[];
  /** A global store's source and processor: run outside tasks, on every instance (Java: no tasks). */
  readonly global?: boolean;
}
