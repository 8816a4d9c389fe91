import type { Deserializer, Serializer } from '../serde/serde.js';
import type { Processor } from './processor.js';
import { FailOnInvalidTimestamp, type TimestampExtractor } from './timestamp-extractor.js';
import type { SourceNode, TopologyNode } from './topology-nodes.js';

/**
 * One node of a task, resolved once when the task is built: `forward` runs for every record at
 * every node, so it walks these objects instead of looking names up in the topology's maps.
 * The serdes and topic names a node needs are filled in at first use (a missing default serde
 * is then reported by the record that needs it, as before).
 */
export class NodeRoute {
  children: readonly NodeRoute[] = [];
  /** Set when the task initializes its processors. */
  processor: Processor<unknown, unknown, unknown, unknown> | undefined;
  /** A sink's fixed topic as the broker knows it (application id prefixed for internal topics). */
  sinkTopic: string | undefined;
  keySerializer: Serializer<unknown> | undefined;
  valueSerializer: Serializer<unknown> | undefined;

  constructor(readonly node: TopologyNode) {}

  get name(): string {
    return this.node.name;
  }

  child(name: string): NodeRoute | undefined {
    for (const child of this.children) if (child.name === name) return child;
    return undefined;
  }
}

/** One input topic of a task: its source node and what reading a record of it needs. */
export class SourceRoute {
  keyDeserializer: Deserializer<unknown> | undefined;
  valueDeserializer: Deserializer<unknown> | undefined;
  /** The highest timestamp extracted from the topic's partition so far (-1 before the first). */
  partitionTime = -1;
  /** The extractor is the default one (not a subclass): a valid record timestamp is the answer. */
  readonly recordTimestampOnly: boolean;

  constructor(
    readonly route: NodeRoute,
    readonly source: SourceNode,
    /** The topic as the broker knows it. */
    readonly physical: string,
    readonly extractor: TimestampExtractor,
  ) {
    this.recordTimestampOnly = Object.getPrototypeOf(extractor) === FailOnInvalidTimestamp.prototype;
  }
}
