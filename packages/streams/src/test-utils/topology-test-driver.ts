import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordHeader } from '@samsa/client';
import { StreamTask } from '../processor/stream-task.js';
import { TaskId } from '../processor/task-id.js';
import type { Topology } from '../processor/topology.js';
import { type StreamsMetric, taskMetrics } from '../runtime/streams-metric.js';
import type { Deserializer, Serializer } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { ThreadCache } from '../state/record-cache.js';
import { SessionStore } from '../state/session-store.js';
import type { StateStore } from '../state/state-store.js';
import { WindowStore } from '../state/window-store.js';
import { StreamsConfig, type StreamsConfigInput } from '../streams-config.js';
import { TestInputTopic } from './test-input-topic.js';
import { type CapturedRecord, TestOutputTopic } from './test-output-topic.js';

interface Pending {
  topic: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  timestamp: number;
  headers: readonly RecordHeader[];
}

/**
 * Kafka Streams' `TopologyTestDriver`: runs a topology without a broker, one task per
 * sub-topology (every topic has one partition). A piped record is processed to completion
 * before `pipeInput` returns, including what it causes downstream through repartition topics, so
 * output topics can be read right after. Wall-clock time moves only with `advanceWallClockTime`.
 */
export class TopologyTestDriver {
  private readonly config: StreamsConfig;
  private readonly tasks: StreamTask[] = [];
  private readonly outputs = new Map<string, CapturedRecord[]>();
  private readonly pending: Pending[] = [];
  private readonly stateDir: string;
  private wallClockMs: number;
  private processing = false;
  private readonly offsets = new Map<string, bigint>();
  private readonly threadCache: ThreadCache;

  constructor(
    private readonly topology: Topology,
    config: StreamsConfigInput = {},
    initialWallClockTimeMs: number = Date.now(),
  ) {
    this.config = new StreamsConfig(config, { applicationId: 'dummy-topology-test-driver-app-id' });
    this.wallClockMs = initialWallClockTimeMs;
    this.threadCache = new ThreadCache(this.config.cacheMaxBytes);
    this.stateDir = mkdtempSync(join(tmpdir(), 'kafka-streams-test-driver-'));
    for (const sub of topology.subtopologies()) {
      const id = new TaskId(sub.id, 0);
      const task = new StreamTask(
        id,
        topology,
        sub,
        {
          applicationId: this.config.applicationId,
          defaultKeySerde: this.config.defaultKeySerde,
          defaultValueSerde: this.config.defaultValueSerde,
          taskDir: join(this.stateDir, String(id)),
          wallClock: () => this.wallClockMs,
          appConfigs: this.config.originals,
          threadCache: this.threadCache,
          timestampExtractor: this.config.defaultTimestampExtractor,
          deserializationExceptionHandler: this.config.defaultDeserializationExceptionHandler,
          processingExceptionHandler: this.config.processingExceptionHandler,
          globalStore: (name) => this.getStateStore(name),
        },
        {
          send: (topic, key, value, timestamp, headers) => this.capture(topic, key, value, timestamp, headers),
          partitionsFor: () => 1,
        },
      );
      task.openStores();
      task.initializeTopology();
      this.tasks.push(task);
    }
  }

  /** The task reading `topic` (a physical name: internal topics carry the application id). */
  private taskFor(topic: string): { task: StreamTask; logical: string } | undefined {
    for (const task of this.tasks) {
      for (const logical of task.subtopology.sourceTopics) {
        const physical = this.topology.isInternalTopic(logical) ? `${this.config.applicationId}-${logical}` : logical;
        if (physical === topic) return { task, logical };
      }
    }
    return undefined;
  }

  private capture(
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly RecordHeader[],
  ): void {
    // As Java's driver: every record sent is captured (repartition and changelog topics too), and
    // one sent to a topic the topology reads (repartition, through) is also processed again.
    let queue = this.outputs.get(topic);
    if (queue === undefined) this.outputs.set(topic, (queue = []));
    queue.push({ key, value, timestamp, headers });
    if (this.taskFor(topic) !== undefined) this.pending.push({ topic, key, value, timestamp, headers });
  }

  private pipe(
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly RecordHeader[],
  ): void {
    if (this.taskFor(topic) === undefined) {
      throw new Error(`IllegalArgumentException: Unknown topic: ${topic}`);
    }
    this.pending.push({ topic, key, value, timestamp, headers });
    this.drain(false);
  }

  /**
   * Processes queued records (input, then whatever they send to repartition topics) until none
   * are left; punctuation may queue more. Not reentrant: a record piped from inside processing
   * (a punctuator writing to a repartition topic) joins the queue.
   */
  private drain(punctuateFirst: boolean): void {
    if (this.processing) return;
    this.processing = true;
    try {
      if (punctuateFirst) for (const task of this.tasks) task.maybePunctuateSystemTime();
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
        const target = this.taskFor(next.topic);
        if (target === undefined) continue;
        const offset = this.offsets.get(next.topic) ?? 0n;
        this.offsets.set(next.topic, offset + 1n);
        target.task.process(target.logical, 0, offset, next.key, next.value, next.timestamp, next.headers);
        // Java's driver commits after every record, which writes the record caches through.
        target.task.flushCaches();
        if (this.pending.length === 0) for (const task of this.tasks) task.maybePunctuateSystemTime();
      }
    } finally {
      this.processing = false;
    }
  }

  createInputTopic<K, V>(
    topic: string,
    keySerializer: Serializer<K>,
    valueSerializer: Serializer<V>,
    startTimestampMs: number = this.wallClockMs,
    autoAdvanceMs = 0,
  ): TestInputTopic<K, V> {
    return new TestInputTopic(
      topic,
      keySerializer,
      valueSerializer,
      (t, k, v, ts, h) => this.pipe(t, k, v, ts, h),
      startTimestampMs,
      autoAdvanceMs,
    );
  }

  createOutputTopic<K, V>(
    topic: string,
    keyDeserializer: Deserializer<K>,
    valueDeserializer: Deserializer<V>,
  ): TestOutputTopic<K, V> {
    let queue = this.outputs.get(topic);
    if (queue === undefined) this.outputs.set(topic, (queue = []));
    return new TestOutputTopic(topic, keyDeserializer, valueDeserializer, queue);
  }

  /** Topics written so far, changelogs included. */
  producedTopicNames(): Set<string> {
    return new Set([...this.outputs].filter(([, q]) => q.length > 0).map(([t]) => t));
  }

  /** Java's `metrics()`, as far as Samsa keeps them (`dropped-records-total` per task). */
  metrics(): StreamsMetric[] {
    return taskMetrics('topology-test-driver', this.tasks);
  }

  advanceWallClockTime(ms: number): void {
    this.wallClockMs += ms;
    this.drain(true);
  }

  getStateStore(name: string): StateStore | undefined {
    for (const task of this.tasks) {
      const store = task.stores.get(name);
      if (store !== undefined) return store;
    }
    return undefined;
  }

  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    const store = this.getStateStore(name);
    if (store === undefined) throw new Error(`IllegalArgumentException: no state store named ${name}`);
    return store as KeyValueStore<K, V>;
  }

  /** A session store (Java's `getSessionStore`), as session-windowed aggregations make them. */
  getSessionStore<K, V>(name: string): SessionStore<K, V> {
    const store = this.getStateStore(name);
    if (!(store instanceof SessionStore)) throw new Error(`IllegalArgumentException: no session store named ${name}`);
    return store as SessionStore<K, V>;
  }

  /** A window store (Java's `getWindowStore`), as time- and sliding-windowed aggregations make them. */
  getWindowStore<K, V>(name: string): WindowStore<K, V> {
    const store = this.getStateStore(name);
    if (!(store instanceof WindowStore)) throw new Error(`IllegalArgumentException: no window store named ${name}`);
    return store as WindowStore<K, V>;
  }

  getAllStateStores(): Map<string, StateStore> {
    const out = new Map<string, StateStore>();
    for (const task of this.tasks) for (const [name, store] of task.stores) out.set(name, store);
    return out;
  }

  close(): void {
    for (const task of this.tasks) task.close();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
