import type { RecordHeader } from '@samsa/client';
import {
  type DeserializationExceptionHandler,
  DeserializationHandlerResponse,
  deserializationFailureMessage,
  LogAndFailExceptionHandler,
} from '../errors/deserialization-exception-handler.js';
import { type ProcessingExceptionHandler, ProcessingHandlerResponse } from '../errors/processing-exception-handler.js';
import type { TopicPartitionMetadata } from '../runtime/topic-partition-metadata.js';
import type { WrappingSerde } from '../serde/changed-serde.js';
import type { Serde } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { ThreadCache } from '../state/record-cache.js';
import type { StateStore } from '../state/state-store.js';
import { ConfigException } from '../streams-config.js';
import { NodeRoute, SourceRoute } from './node-route.js';
import type { Processor } from './processor.js';
import type { ProcessorContext, RecordMetadata } from './processor-context.js';
import type { ProcessorMetadataAccess } from './processor-metadata.js';
import { PunctuationQueue } from './punctuation-queue.js';
import { type Cancellable, PunctuationType, type Punctuator } from './punctuation-type.js';
import { Record } from './record.js';
import type { RecordCollector } from './record-collector.js';
import { SourceRecordMetadata } from './source-record-metadata.js';
import type { TaskId } from './task-id.js';
import { ConsumerRecord, FailOnInvalidTimestamp, type TimestampExtractor } from './timestamp-extractor.js';
import { extractTopic, type TopicNameExtractor } from './topic-name-extractor.js';
import type { Topology } from './topology.js';
import { StreamsException } from './topology-exception.js';
import type { SinkNode, Subtopology, TopologyNode } from './topology-nodes.js';

export interface TaskConfig {
  readonly applicationId: string;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  /** The task's directory (`state.dir/<application.id>/<task id>`), for persistent stores. */
  readonly taskDir: string;
  readonly wallClock: () => number;
  /** The application's settings as given (`ProcessorContext.appConfigs()`). */
  readonly appConfigs?: Readonly<{ [key: string]: unknown }>;
  /** The record cache of the instance's stream thread; caching stores use it when it is enabled. */
  readonly threadCache?: ThreadCache;
  /** `default.timestamp.extractor` (unset: the record's timestamp, failing on a negative one). */
  readonly timestampExtractor?: TimestampExtractor;
  /** `default.deserialization.exception.handler` (unset: log and fail). */
  readonly deserializationExceptionHandler?: DeserializationExceptionHandler;
  /** `processing.exception.handler` (KIP-1033; unset: the error propagates, as with log and fail). */
  readonly processingExceptionHandler?: ProcessingExceptionHandler;
  /** The instance's global stores (read by any processor, connected to none). */
  readonly globalStore?: (name: string) => StateStore | undefined;
}

const defaultExtractor = new FailOnInvalidTimestamp();

/** Errors a processing exception handler already answered FAIL to (Java's FailedProcessingException). */
const failedProcessing = new WeakSet<Error>();

/** A topic as the broker knows it: the application's own topics carry its id. */
export function physicalTopic(topology: Topology, applicationId: string, topic: string): string {
  return topology.isInternalTopic(topic) ? `${applicationId}-${topic}` : topic;
}

export function changelogTopic(applicationId: string, store: string): string {
  return `${applicationId}-${store}-changelog`;
}

/**
 * Kafka Streams' `StreamTask`: one sub-topology's processors and stores for one partition. Records
 * are processed one at a time, depth-first through the nodes (a `forward` returns once every
 * descendant is done), so a store written by one record is read by the next in offset order.
 * Stream time is the largest record timestamp seen; stream-time punctuators fire as it moves.
 * Not reentrant: the owner calls one method at a time.
 */
export class StreamTask {
  readonly stores = new Map<string, KeyValueStore<unknown, unknown>>();
  private readonly processors = new Map<string, Processor<unknown, unknown, unknown, unknown>>();
  private readonly contexts = new Map<string, NodeContext>();
  /** Input topic (topology name) → its source node and deserializers. */
  private readonly sources = new Map<string, SourceRoute>();
  /** Topology topic → physical name, once per topic (not a new string per record). */
  private readonly physicalTopics = new Map<string, string>();
  /** Each node with its children resolved, computed once: `forward` runs for every record at every node. */
  private readonly routes = new Map<string, NodeRoute>();
  private readonly streamTimePunctuations = new PunctuationQueue();
  private readonly wallClockPunctuations = new PunctuationQueue();
  private streamTime = -1;
  /** Records skipped by the deserialization handler or for a negative timestamp (Java's `dropped-records-total`). */
  droppedRecords = 0;
  /** Punctuator calls since the runtime last read this (its `punctuate-total`). */
  punctuations = 0;
  private metadata: RecordMetadata | null = null;
  commitRequested = false;
  /** Values processors keep across restarts (Java's ProcessorMetadata), committed with the input offsets. */
  readonly processorMetadata = new Map<string, number>();

  constructor(
    readonly id: TaskId,
    readonly topology: Topology,
    readonly subtopology: Subtopology,
    readonly config: TaskConfig,
    private readonly collector: RecordCollector,
  ) {
    for (const name of subtopology.stores) {
      const builder = topology.storeBuilder(name);
      if (builder === undefined) throw new StreamsException(`state store ${name} has no builder`);
      const store = builder.build(
        { keySerde: config.defaultKeySerde, valueSerde: config.defaultValueSerde },
        changelogTopic(config.applicationId, name),
      );
      if (builder.cachingEnabled() && config.threadCache?.enabled === true) {
        store.enableCache(config.threadCache, {
          current: () => ({
            timestamp: this.currentRecordTimestamp,
            headers: this.currentRecordHeaders,
            source: this.metadata,
          }),
          restore: (source, run) => {
            const previous = this.metadata;
            this.metadata = source as RecordMetadata | null;
            try {
              run();
            } finally {
              this.metadata = previous;
            }
          },
        });
      }
      this.stores.set(name, store);
    }
    for (const name of subtopology.nodes) {
      const node = topology.node(name);
      setWrappedDefaults(node, config);
      if (node === undefined) continue;
      const route = new NodeRoute(node);
      this.routes.set(name, route);
      if (node.kind !== 'source') continue;
      const extractor = node.timestampExtractor ?? config.timestampExtractor ?? defaultExtractor;
      // The task has one partition of each input topic, so the partition time is kept per topic.
      for (const t of node.topics) this.sources.set(t, new SourceRoute(route, node, this.physicalTopic(t), extractor));
    }
    for (const route of this.routes.values()) {
      route.children = topology
        .childrenOf(route.name)
        .map((child) => this.routes.get(child) ?? new NodeRoute(topology.node(child) as TopologyNode));
    }
  }

  /**
   * Opens the stores (persistent ones under the task directory); call before restoring. Stores
   * named in `wipe` start empty (a logged store whose checkpoint is missing: nothing says how
   * far its files got, so it is restored in full).
   */
  openStores(wipe: ReadonlySet<string> = new Set()): void {
    for (const store of this.stores.values()) {
      if (wipe.has(store.name())) store.inner.wipe(this.config.taskDir);
      store.inner.open(this.config.taskDir);
    }
  }

  /** Starts logging store writes and initializes the processors: the task then processes. */
  initializeTopology(): void {
    for (const store of this.stores.values()) {
      if (!store.loggingEnabled) continue;
      store.setChangeLogger((key, value, headers, timestamp) =>
        this.collector.send(
          store.changelogTopic,
          key,
          value,
          timestamp ?? this.currentTimestamp(),
          headers ?? [],
          this.id.partition,
          this.metadata,
          true,
        ),
      );
    }
    for (const route of this.routes.values()) {
      const context = new NodeContext(this, route);
      this.contexts.set(route.name, context);
      if (route.node.kind === 'processor') {
        route.processor = route.node.supplier();
        this.processors.set(route.name, route.processor);
      }
    }
    for (const [name, processor] of this.processors) processor.init?.(this.contexts.get(name) as NodeContext);
  }

  private currentRecordTimestamp = 0;
  private currentRecordHeaders: readonly RecordHeader[] = [];

  private currentTimestamp(): number {
    return this.currentRecordTimestamp;
  }

  /** The task's input partitions as the broker knows them. */
  inputPartitions(): { topic: string; partition: number }[] {
    return [...this.sources.values()].map((input) => ({ topic: input.physical, partition: this.id.partition }));
  }

  /** The highest timestamp processed from the input topic `physical` (-1 if none). */
  partitionTimeOf(physical: string): number {
    for (const input of this.sources.values()) if (input.physical === physical) return input.partitionTime;
    return -1;
  }

  /**
   * Java's `initializeTaskTime` and processor metadata, from what the last commit left in the
   * offsets' metadata: partition times (and so stream time) go on from there, and processors
   * find their values (a window store's last emission) in their `init`. `committed` is keyed by
   * `topic:partition` (the physical topic). Call before `initializeTopology`.
   */
  initializeTaskTime(committed: ReadonlyMap<string, TopicPartitionMetadata>): void {
    for (const input of this.sources.values()) {
      const metadata = committed.get(`${input.physical}:${this.id.partition}`);
      if (metadata === undefined) continue;
      if (metadata.partitionTime > input.partitionTime) input.partitionTime = metadata.partitionTime;
      if (metadata.partitionTime > this.streamTime) this.streamTime = metadata.partitionTime;
      for (const [key, value] of metadata.processorMetadata) {
        const current = this.processorMetadata.get(key);
        if (current === undefined || current < value) this.processorMetadata.set(key, value);
      }
    }
  }

  /** Processes one input record of `topic` (the topology's name for it, without application id). */
  process(
    topic: string,
    partition: number,
    offset: bigint,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly RecordHeader[],
  ): void {
    const input = this.sources.get(topic);
    if (input === undefined) throw new StreamsException(`task ${this.id} has no source for topic ${topic}`);
    const { source, physical } = input;
    let k: unknown;
    let v: unknown;
    try {
      input.keyDeserializer ??= source.keyDeserializer ?? this.config.defaultKeySerde.deserializer();
      k = input.keyDeserializer.deserialize(physical, key);
      input.valueDeserializer ??= source.valueDeserializer ?? this.config.defaultValueSerde.deserializer();
      v = input.valueDeserializer.deserialize(physical, value);
    } catch (error) {
      if (error instanceof ConfigException) throw error; // no default serde: not the record's fault
      const context = { taskId: this.id, topic: physical, partition, offset };
      const handler = this.config.deserializationExceptionHandler ?? new LogAndFailExceptionHandler();
      const response = handler.handle(context, { key, value, timestamp }, error as Error);
      if (response === DeserializationHandlerResponse.CONTINUE) {
        this.droppedRecords++;
        return;
      }
      throw new StreamsException(deserializationFailureMessage(context), { cause: error });
    }
    // Java extracts the timestamp from the deserialized record; a negative one drops it.
    const partitionTime = input.partitionTime;
    // The default extractor returns a valid timestamp as it is: no ConsumerRecord to build for it.
    if (!(input.recordTimestampOnly && timestamp >= 0)) {
      timestamp = input.extractor.extract(
        new ConsumerRecord(physical, partition, offset, k, v, timestamp, headers),
        partitionTime,
      );
      if (!(timestamp >= 0)) {
        this.droppedRecords++;
        return;
      }
    }
    if (timestamp > partitionTime) input.partitionTime = timestamp;
    this.metadata = new SourceRecordMetadata(physical, partition, offset);
    if (timestamp > this.streamTime) this.streamTime = timestamp;
    try {
      this.forwardFrom(input.route, new Record(k, v, timestamp, headers), undefined);
    } finally {
      this.metadata = null;
    }
    this.streamTimePunctuations.mayPunctuate(this.streamTime, (n, p, t) => this.punctuate(n, p, t));
  }

  maybePunctuateSystemTime(): boolean {
    return this.wallClockPunctuations.mayPunctuate(this.config.wallClock(), (n, p, t) => this.punctuate(n, p, t));
  }

  /** Runs a punctuator; its `forward`s leave from the node that scheduled it (its context's node). */
  private punctuate(_nodeName: string, punctuator: Punctuator, timestamp: number): void {
    this.currentRecordTimestamp = timestamp;
    this.punctuations++;
    punctuator(timestamp);
  }

  /** Hands `record` to the children of `from` (or only `childName`), depth-first. */
  forwardFrom(from: NodeRoute, record: Record<unknown, unknown>, childName: string | undefined): void {
    if (childName !== undefined) {
      const child = from.child(childName);
      if (child === undefined) {
        throw new StreamsException(
          `Unknown downstream node: ${childName} either does not exist or is not connected to ${from.name}`,
        );
      }
      this.deliver(child, record);
      return;
    }
    const children = from.children;
    for (let i = 0; i < children.length; i++) this.deliver(children[i] as NodeRoute, record);
  }

  private deliver(child: NodeRoute, record: Record<unknown, unknown>): void {
    this.currentRecordTimestamp = record.timestamp();
    this.currentRecordHeaders = record.headers();
    if (child.processor !== undefined) this.processAt(child, record);
    else if (child.node.kind === 'sink') this.sink(child, child.node, record);
  }

  /**
   * One processor's `process`, under the processing exception handler: a CONTINUE drops the
   * record at this node; a FAIL rethrows the error, marked so that the nodes above it do not ask
   * the handler again. Framework errors (StreamsException, ConfigException) are never handled.
   */
  private processAt(route: NodeRoute, record: Record<unknown, unknown>): void {
    const processor = route.processor as Processor<unknown, unknown>;
    const handler = this.config.processingExceptionHandler;
    if (handler === undefined) {
      processor.process(record);
      return;
    }
    try {
      processor.process(record);
    } catch (error) {
      if (!(error instanceof Error) || error instanceof StreamsException || error instanceof ConfigException)
        throw error;
      if (failedProcessing.has(error)) throw error;
      const metadata = this.metadata;
      const context = {
        taskId: this.id,
        topic: metadata?.topic() ?? '',
        partition: metadata?.partition() ?? -1,
        offset: metadata?.offset() ?? -1n,
        processorNodeId: route.name,
        timestamp: record.timestamp(),
      };
      if (handler.handle(context, record, error) === ProcessingHandlerResponse.CONTINUE) {
        this.droppedRecords++;
        return;
      }
      failedProcessing.add(error);
      throw error;
    }
  }

  private physicalTopic(topic: string): string {
    let physical = this.physicalTopics.get(topic);
    if (physical === undefined) {
      physical = physicalTopic(this.topology, this.config.applicationId, topic);
      this.physicalTopics.set(topic, physical);
    }
    return physical;
  }

  private sink(route: NodeRoute, node: SinkNode, record: Record<unknown, unknown>): void {
    if (node.topic !== undefined) route.sinkTopic ??= this.physicalTopic(node.topic);
    const topic =
      route.sinkTopic !== undefined
        ? route.sinkTopic
        : extractTopic(node.topicExtractor as TopicNameExtractor<unknown, unknown>, record.key(), record.value(), {
            topic: () => this.metadata?.topic() ?? '',
            partition: () => this.metadata?.partition() ?? -1,
            offset: () => this.metadata?.offset() ?? -1n,
            timestamp: () => record.timestamp(),
            headers: () => record.headers(),
          });
    route.keySerializer ??= node.keySerializer ?? this.config.defaultKeySerde.serializer();
    const key = route.keySerializer.serialize(topic, record.key());
    route.valueSerializer ??= node.valueSerializer ?? this.config.defaultValueSerde.serializer();
    const value = route.valueSerializer.serialize(topic, record.value());
    let partition: number | undefined;
    if (node.partitioner !== undefined) {
      const count = this.collector.partitionsFor(topic);
      if (count !== undefined) partition = node.partitioner(topic, record.key(), record.value(), count);
    }
    this.collector.send(topic, key, value, record.timestamp(), record.headers(), partition, this.metadata, false);
  }

  schedule(nodeName: string, intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable {
    // Java aligns stream-time punctuation to 0 (it fires as soon as there is data) and
    // wall-clock punctuation to now + interval.
    if (type === PunctuationType.STREAM_TIME)
      return this.streamTimePunctuations.schedule(0, intervalMs, nodeName, callback);
    return this.wallClockPunctuations.schedule(this.config.wallClock() + intervalMs, intervalMs, nodeName, callback);
  }

  recordMetadata(): RecordMetadata | null {
    return this.metadata;
  }

  currentStreamTime(): number {
    return this.streamTime;
  }

  flush(): void {
    for (const store of this.stores.values()) store.flush();
  }

  /** Writes the record caches through, forwarding what they held (TopologyTestDriver: after each record). */
  flushCaches(): void {
    for (const store of this.stores.values()) store.flushCache();
  }

  close(): void {
    for (const processor of this.processors.values()) processor.close?.();
    for (const store of this.stores.values()) if (store.isOpen()) store.close();
  }

  getStore(processorName: string, storeName: string): StateStore {
    const node = this.topology.node(processorName);
    if (this.topology.isGlobalStore(storeName) && !this.subtopology.global) {
      const global = this.config.globalStore?.(storeName);
      if (global !== undefined) return global;
    }
    const store = this.stores.get(storeName);
    if (store === undefined || node?.kind !== 'processor' || !node.stores.includes(storeName)) {
      throw new StreamsException(
        `Processor ${processorName} has no access to StateStore ${storeName} as the store is not connected to the processor. ` +
          "If you add stores manually via '.addStateStore()' make sure to connect the added store to the processor by providing the processor name to '.addStateStore()'.",
      );
    }
    return store;
  }
}

/** Serdes that wrap the application's default serde (a KTable re-grouping's Change serde) learn it here. */
function setWrappedDefaults(node: TopologyNode | undefined, config: TaskConfig): void {
  const wrapped =
    node?.kind === 'source'
      ? [node.keyDeserializer, node.valueDeserializer]
      : node?.kind === 'sink'
        ? [node.keySerializer, node.valueSerializer]
        : [];
  for (const serde of wrapped) (serde as Partial<WrappingSerde> | undefined)?.setIfUnset?.(config);
}

/** The `ProcessorContext` handed to one node of a task. */
class NodeContext implements ProcessorContext, ProcessorMetadataAccess {
  private readonly nodeName: string;

  constructor(
    private readonly task: StreamTask,
    private readonly route: NodeRoute,
  ) {
    this.nodeName = route.name;
  }

  applicationId(): string {
    return this.task.config.applicationId;
  }

  taskId(): TaskId {
    return this.task.id;
  }

  recordMetadata(): RecordMetadata | null {
    return this.task.recordMetadata();
  }

  currentStreamTimeMs(): number {
    return this.task.currentStreamTime();
  }

  currentSystemTimeMs(): number {
    return this.task.config.wallClock();
  }

  appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.task.config.appConfigs ?? {};
  }

  forward<K, V>(record: Record<K, V>, childName?: string): void {
    this.task.forwardFrom(this.route, record as Record<unknown, unknown>, childName);
  }

  schedule(intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable {
    return this.task.schedule(this.nodeName, intervalMs, type, callback);
  }

  getStateStore<S extends StateStore>(name: string): S {
    return this.task.getStore(this.nodeName, name) as S;
  }

  commit(): void {
    this.task.commitRequested = true;
  }

  processorMetadataForKey(key: string): number | undefined {
    return this.task.processorMetadata.get(key);
  }

  addProcessorMetadataKeyValue(key: string, value: number): void {
    this.task.processorMetadata.set(key, value);
  }

  keySerde(): Serde<unknown> {
    return this.task.config.defaultKeySerde;
  }

  valueSerde(): Serde<unknown> {
    return this.task.config.defaultValueSerde;
  }
}
