import type { Deserializer, Serializer } from '../serde/serde.js';
import type { KeyValueStoreBuilder } from '../state/stores.js';
import type { ProcessorSupplier } from './processor.js';
import type { TimestampExtractor } from './timestamp-extractor.js';
import type { TopicNameExtractor } from './topic-name-extractor.js';
import { describeTopology, type TopologyDescription } from './topology-description.js';
import { TopologyException } from './topology-exception.js';
import type {
  ProcessorNode,
  SinkNode,
  SourceNode,
  StreamPartitioner,
  Subtopology,
  TopologyNode,
} from './topology-nodes.js';

function isDeserializer(x: unknown): x is Deserializer<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Deserializer<unknown>).deserialize === 'function';
}

function isSerializer(x: unknown): x is Serializer<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Serializer<unknown>).serialize === 'function';
}

/**
 * Kafka Streams' `Topology`: sources, processors and sinks joined by parent names, plus state
 * stores connected to processors. Built by hand (the Processor API) or by `StreamsBuilder`.
 *
 * Topics the application owns — repartition topics registered by the DSL — are named here
 * without the application id; the runtime and TopologyTestDriver prefix them with
 * `<application.id>-`, as Java does. Changelog topics are `<application.id>-<store>-changelog`.
 */
export class Topology {
  private readonly nodes = new Map<string, TopologyNode>();
  private readonly storeBuilders = new Map<string, KeyValueStoreBuilder<unknown, unknown>>();
  private readonly topicToSource = new Map<string, string>();
  /** The application's own (repartition) topics, with a fixed partition count when one was asked for. */
  private readonly internalTopics = new Map<string, number | undefined>();
  /** Topics that must have equal partition counts (the inputs of a join). */
  private readonly copartitioned: string[][] = [];
  /** Stores fed by a global source: every instance holds all of their topic's partitions. */
  private readonly globalStores = new Set<string>();

  addSource(name: string, ...topics: string[]): this;
  addSource(
    name: string,
    keyDeserializer: Deserializer<unknown>,
    valueDeserializer: Deserializer<unknown>,
    ...topics: string[]
  ): this;
  addSource(name: string, ...args: (string | Deserializer<unknown>)[]): this {
    let keyDeserializer: Deserializer<unknown> | undefined;
    let valueDeserializer: Deserializer<unknown> | undefined;
    if (isDeserializer(args[0]) && isDeserializer(args[1])) {
      keyDeserializer = args[0];
      valueDeserializer = args[1];
      args = args.slice(2);
    }
    return this.addSourceNode(name, args as string[], keyDeserializer, valueDeserializer);
  }

  /** `addSource` with optional deserializers (undefined: the application's default serdes). */
  addSourceNode(
    name: string,
    topics: readonly string[],
    keyDeserializer: Deserializer<unknown> | undefined,
    valueDeserializer: Deserializer<unknown> | undefined,
    timestampExtractor?: TimestampExtractor,
  ): this {
    if (topics.length === 0) throw new TopologyException('You must provide at least one topic');
    this.checkNewName(name);
    for (const topic of topics) {
      if (this.topicToSource.has(topic)) {
        throw new TopologyException(`Topic ${topic} has already been registered by another source.`);
      }
      this.topicToSource.set(topic, name);
    }
    const node: SourceNode = {
      kind: 'source',
      name,
      topics,
      keyDeserializer,
      valueDeserializer,
      ...(timestampExtractor === undefined ? {} : { timestampExtractor }),
    };
    this.nodes.set(name, node);
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    ...parentNames: string[]
  ): this {
    this.checkNewName(name);
    this.checkParents(name, parentNames);
    const node: ProcessorNode = {
      kind: 'processor',
      name,
      supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
      parents: parentNames,
      stores: [],
    };
    this.nodes.set(name, node);
    return this;
  }

  addSink(name: string, topic: string | TopicNameExtractor<unknown, unknown>, ...parentNames: string[]): this;
  addSink<K, V>(
    name: string,
    topic: string | TopicNameExtractor<K, V>,
    keySerializer: Serializer<K>,
    valueSerializer: Serializer<V>,
    ...parentNames: string[]
  ): this;
  addSink<K, V>(
    name: string,
    topic: string | TopicNameExtractor<K, V>,
    keySerializer: Serializer<K>,
    valueSerializer: Serializer<V>,
    partitioner: StreamPartitioner<K, V>,
    ...parentNames: string[]
  ): this;
  addSink(name: string, topic: string | TopicNameExtractor<unknown, unknown>, ...args: unknown[]): this {
    let keySerializer: Serializer<unknown> | undefined;
    let valueSerializer: Serializer<unknown> | undefined;
    let partitioner: StreamPartitioner<unknown, unknown> | undefined;
    if (isSerializer(args[0]) && isSerializer(args[1])) {
      keySerializer = args[0];
      valueSerializer = args[1];
      args = args.slice(2);
      if (typeof args[0] === 'function') {
        partitioner = args[0] as StreamPartitioner<unknown, unknown>;
        args = args.slice(1);
      }
    }
    return this.addSinkNode(name, topic, keySerializer, valueSerializer, partitioner, args as string[]);
  }

  /** `addSink` with optional serializers (undefined: the application's default serdes). */
  addSinkNode(
    name: string,
    topic: string | TopicNameExtractor<unknown, unknown>,
    keySerializer: Serializer<unknown> | undefined,
    valueSerializer: Serializer<unknown> | undefined,
    partitioner: StreamPartitioner<unknown, unknown> | undefined,
    parentNames: readonly string[],
  ): this {
    if (parentNames.length === 0) throw new TopologyException(`Sink ${name} must have at least one parent`);
    this.checkNewName(name);
    this.checkParents(name, parentNames);
    const node: SinkNode = {
      kind: 'sink',
      name,
      topic: typeof topic === 'string' ? topic : undefined,
      topicExtractor: typeof topic === 'string' ? undefined : topic,
      keySerializer,
      valueSerializer,
      partitioner,
      parents: parentNames,
    };
    this.nodes.set(name, node);
    return this;
  }

  addStateStore<K, V>(storeBuilder: KeyValueStoreBuilder<K, V>, ...processorNames: string[]): this {
    const name = storeBuilder.name();
    if (this.storeBuilders.has(name)) throw new TopologyException(`StateStore ${name} is already added.`);
    this.storeBuilders.set(name, storeBuilder as KeyValueStoreBuilder<unknown, unknown>);
    this.connectProcessorAndStateStores(processorNames, name);
    return this;
  }

  connectProcessorAndStateStores(processorName: string | readonly string[], ...storeNames: string[]): this {
    for (const p of typeof processorName === 'string' ? [processorName] : processorName) {
      const node = this.nodes.get(p);
      if (node === undefined) throw new TopologyException(`Processor ${p} is not added yet.`);
      if (node.kind !== 'processor') throw new TopologyException(`Node ${p} is not a processor.`);
      for (const store of storeNames) {
        if (!this.storeBuilders.has(store)) throw new TopologyException(`StateStore ${store} is not added yet.`);
        if (!node.stores.includes(store)) node.stores.push(store);
      }
    }
    return this;
  }

  /** Marks a topic as the application's own (a repartition topic), named without the application id. */
  addInternalTopic(topic: string, numberOfPartitions?: number): this {
    this.internalTopics.set(topic, numberOfPartitions);
    return this;
  }

  /**
   * Kafka Streams' `addGlobalStore`: a store fed by `processorName` from every partition of
   * `topic`, on every instance, outside any task. It has no changelog: the topic is its source
   * of truth, read to its end before processing starts. Other processors read it through
   * `getStateStore` without connecting it.
   */
  addGlobalStore<K, V>(
    storeBuilder: KeyValueStoreBuilder<K, V>,
    sourceName: string,
    keyDeserializer: Deserializer<unknown> | undefined,
    valueDeserializer: Deserializer<unknown> | undefined,
    topic: string,
    processorName: string,
    stateUpdateSupplier: ProcessorSupplier<unknown, unknown, unknown, unknown>,
  ): this {
    storeBuilder.withLoggingDisabled();
    this.addSourceNode(sourceName, [topic], keyDeserializer, valueDeserializer);
    this.addProcessor(processorName, stateUpdateSupplier, sourceName);
    this.addStateStore(storeBuilder, processorName);
    this.globalStores.add(storeBuilder.name());
    return this;
  }

  isGlobalStore(name: string): boolean {
    return this.globalStores.has(name);
  }

  /** Declares topics that must be co-partitioned (checked when the application starts). */
  addCopartitionGroup(topics: readonly string[]): this {
    if (topics.length > 1) this.copartitioned.push([...new Set(topics)]);
    return this;
  }

  copartitionGroups(): readonly (readonly string[])[] {
    return this.copartitioned;
  }

  describe(): TopologyDescription {
    return describeTopology(this);
  }

  // ---- read by the runtime and TopologyTestDriver ----

  node(name: string): TopologyNode | undefined {
    return this.nodes.get(name);
  }

  allNodes(): TopologyNode[] {
    return [...this.nodes.values()];
  }

  storeBuilder(name: string): KeyValueStoreBuilder<unknown, unknown> | undefined {
    return this.storeBuilders.get(name);
  }

  isInternalTopic(topic: string): boolean {
    return this.internalTopics.has(topic);
  }

  internalTopicNames(): string[] {
    return [...this.internalTopics.keys()];
  }

  /** The partition count `Repartitioned.withNumberOfPartitions` fixed, or undefined (the writer's). */
  internalTopicPartitions(topic: string): number | undefined {
    return this.internalTopics.get(topic);
  }

  childrenOf(name: string): string[] {
    const out: string[] = [];
    for (const node of this.nodes.values())
      if (node.kind !== 'source' && node.parents.includes(name)) out.push(node.name);
    return out;
  }

  /**
   * Sub-topologies as Java numbers them: nodes joined by parent edges or a shared store form a
   * group; groups are numbered in the order of their first source node name (sorted), then of
   * any remaining node name (sorted), so the numbering does not depend on insertion order.
   */
  subtopologies(): Subtopology[] {
    const root = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (root.get(r) !== r) r = root.get(r) as string;
      root.set(x, r);
      return r;
    };
    const union = (a: string, b: string) => root.set(find(a), find(b));
    for (const name of this.nodes.keys()) root.set(name, name);
    const storeOwner = new Map<string, string>();
    for (const node of this.nodes.values()) {
      if (node.kind !== 'source') for (const p of node.parents) union(node.name, p);
      if (node.kind === 'processor') {
        for (const store of node.stores) {
          const other = storeOwner.get(store);
          if (other === undefined) storeOwner.set(store, node.name);
          else union(node.name, other);
        }
      }
    }
    const sources = [...this.nodes.values()].filter((n) => n.kind === 'source').map((n) => n.name);
    const others = [...this.nodes.keys()].filter((n) => !sources.includes(n));
    const groupIds = new Map<string, number>();
    for (const name of [...sources.sort(), ...others.sort()]) {
      const r = find(name);
      if (!groupIds.has(r)) groupIds.set(r, groupIds.size);
    }
    const result: { id: number; nodes: string[]; sourceTopics: string[]; stores: string[]; global?: boolean }[] = [];
    for (let id = 0; id < groupIds.size; id++) result.push({ id, nodes: [], sourceTopics: [], stores: [] });
    for (const node of this.nodes.values()) {
      const group = result[groupIds.get(find(node.name)) as number];
      if (group === undefined) continue;
      group.nodes.push(node.name);
      if (node.kind === 'source') group.sourceTopics.push(...node.topics);
      if (node.kind === 'processor') for (const s of node.stores) if (!group.stores.includes(s)) group.stores.push(s);
    }
    for (const group of result) if (group.stores.some((s) => this.globalStores.has(s))) group.global = true;
    return result;
  }

  private checkNewName(name: string): void {
    if (this.nodes.has(name)) throw new TopologyException(`Processor ${name} is already added.`);
  }

  private checkParents(name: string, parents: readonly string[]): void {
    for (const parent of parents) {
      if (parent === name) throw new TopologyException(`Processor ${name} cannot be a predecessor of itself.`);
      const node = this.nodes.get(parent);
      if (node === undefined) throw new TopologyException(`Parent processor ${parent} is not added yet for ${name}`);
      if (node.kind === 'sink') throw new TopologyException(`Sink ${parent} cannot be used a parent.`);
    }
  }
}
