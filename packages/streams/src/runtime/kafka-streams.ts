import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, Consumer, KafkaError, Producer, type TopicPartition } from '@samsa/client';
import { changelogTopic, physicalTopic, StreamTask } from '../processor/stream-task.js';
import { TaskId } from '../processor/task-id.js';
import type { Topology } from '../processor/topology.js';
import { StreamsException } from '../processor/topology-exception.js';
import type { StreamPartitioner, Subtopology } from '../processor/topology-nodes.js';
import type { Serializer } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { InvalidStateStoreException, type StoreQueryParameters } from '../state/queryable-store-types.js';
import { queryableView } from '../state/queryable-view.js';
import { ThreadCache } from '../state/record-cache.js';
import { ProcessingGuarantee, StreamsConfig, type StreamsConfigInput } from '../streams-config.js';
import {
  requestApplicationShutdown,
  ShutdownRequestedException,
  shutdownRequestedSince,
} from './application-shutdown.js';
import { GlobalStateUpdater } from './global-state-updater.js';
import { InteractiveQueryMetadata } from './interactive-query-metadata.js';
import { prepareInternalTopics } from './internal-topic-manager.js';
import { isValidTransition, State, type StateListener } from './kafka-streams-state.js';
import { OffsetCheckpoint } from './offset-checkpoint.js';
import { StandbyTasks } from './standby-tasks.js';
import type { StateRestoreListener } from './state-restore-listener.js';
import { type Restoration, restoreStores } from './store-changelog-reader.js';
import {
  type StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
  uncaughtExceptionResponse,
} from './stream-thread-exception-handler.js';
import { StreamThreadMetrics } from './stream-thread-metrics.js';
import type { KeyQueryMetadata, StreamsMetadata } from './streams-metadata.js';
import { type StreamsMetric, taskMetrics } from './streams-metric.js';
import { StreamsProducer } from './streams-producer.js';
import { inTimestampOrder } from './timestamp-order.js';

/** A task this instance runs, with what its commit and checkpoint need. */
/** What the run loop needs per input partition (see inputKeys). */
interface InputKeys {
  readonly task: string;
  readonly logical: string;
  readonly tp: string;
}

interface ActiveTask {
  readonly task: StreamTask;
  /** Next offset to consume per input `topic:partition` (what the group commit records). */
  readonly consumed: Map<string, bigint>;
  /** Last offset in each changelog `topic:partition` that the stores hold. */
  readonly changelogOffsets: Map<string, bigint>;
  readonly checkpoint: OffsetCheckpoint;
}

const TASK_MIGRATED = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

const tpKey = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * Kafka Streams' `KafkaStreams`: runs a topology as a member of the consumer group
 * `application.id`, one stream thread (one consumer, one producer) per instance. Run more
 * instances to scale out: the group spreads the input partitions and with them the tasks.
 *
 * - A task is a sub-topology × a partition. The range assignor gives partition p of every input
 *   topic to the same member, so the partitions of one task stay together (co-partitioning).
 * - Before a new task processes, its stores are restored from their changelogs: persistent
 *   stores from the offset in the task's `.checkpoint`, in-memory stores from the beginning.
 *   Tasks revoked in a rebalance and assigned back are resumed without restoring.
 * - Commit (every `commit.interval.ms`, on revocation and on close) = flush the stores, flush the
 *   producer, commit the consumed offsets, write the checkpoints. Under at_least_once a crash
 *   between two commits reprocesses what came after the last one.
 */
export class KafkaStreams {
  /** Java's nested enum: `KafkaStreams.State.RUNNING`. */
  static readonly State = State;
  readonly config: StreamsConfig;
  private stateValue: State = State.CREATED;
  private stateListener: StateListener | undefined;
  private uncaughtExceptionHandler: StreamsUncaughtExceptionHandler | undefined;
  /** The stream thread's number in its client ids (`…-StreamThread-<n>`); a replacement thread takes the next. */
  private threadIndex = 1;
  private readonly threadMetrics = new StreamThreadMetrics();
  /** When start() was called: only SHUTDOWN_APPLICATION requests made since then stop this instance. */
  private startedAtMs = 0;
  private readonly subtopologies: Subtopology[];
  /** Physical input topic → its sub-topology and the topology's name for it. */
  private readonly inputs = new Map<string, { sub: Subtopology; logical: string }>();
  private readonly tasks = new Map<string, ActiveTask>();
  private readonly suspended = new Map<string, ActiveTask>();
  private admin: Admin | undefined;
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private restoreConsumer: Consumer<Buffer, Buffer> | undefined;
  private producer: StreamsProducer | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly eos: boolean;
  /** Records were processed since the last commit (exactly_once_v2 commits only then). */
  private processedSinceCommit = false;
  private lastCommitMs = 0;
  private partitionCounts = new Map<string, number>();
  private readonly inputKeyCache = new Map<string, (InputKeys | undefined)[]>();
  /** The record cache of this instance's one stream thread, shared by its tasks' caching stores. */
  private readonly threadCache: ThreadCache;
  /** The global stores (GlobalKTables), fed from every partition of their topics. */
  private readonly globals: GlobalStateUpdater;
  /** Where the stores and keys are across instances (`application.server`, the group's assignment). */
  private readonly queryMetadata: InteractiveQueryMetadata;
  /** `num.standby.replicas`: other instances' tasks whose stores this one keeps warm. */
  private readonly standbys: StandbyTasks;

  constructor(
    private readonly topology: Topology,
    config: StreamsConfigInput,
  ) {
    this.config = new StreamsConfig(config);
    this.eos = this.config.processingGuarantee === ProcessingGuarantee.EXACTLY_ONCE_V2;
    this.threadCache = new ThreadCache(this.config.cacheMaxBytes);
    this.subtopologies = topology.subtopologies();
    this.globals = new GlobalStateUpdater(
      topology,
      this.config,
      this.subtopologies.filter((s) => s.global === true),
    );
    this.standbys = new StandbyTasks(
      (id) => this.createTask(id),
      () => ({
        'bootstrap.servers': this.config.bootstrapServers,
        'client.id': `${this.config.applicationId}-StreamThread-1-standby-consumer`,
        'enable.auto.commit': false,
        'auto.offset.reset': 'earliest',
        ...(this.eos ? { 'isolation.level': 'read_committed' } : {}),
        ...this.config.clientOverrides.consumer,
      }),
      join(this.config.stateDir, this.config.applicationId),
    );
    this.queryMetadata = new InteractiveQueryMetadata(
      topology,
      this.config,
      (topic) => this.partitionCounts.get(topic),
      () => ({ active: [...this.tasks.keys(), ...this.suspended.keys()], standby: this.standbys.warmTaskIds() }),
    );
    for (const sub of this.subtopologies) {
      if (sub.global === true) continue;
      for (const logical of sub.sourceTopics) {
        this.inputs.set(physicalTopic(topology, this.config.applicationId, logical), { sub, logical });
      }
    }
  }

  /**
   * Java's `metrics()`, as far as Samsa keeps them: the stream thread's `stream-thread-metrics`
   * (process, poll, commit, punctuate, task-created/closed) and, per task this instance runs,
   * `dropped-records-total`, `process-total`/`-rate` and `record-lateness-avg`/`-max`.
   */
  metrics(): StreamsMetric[] {
    const tasks = [...this.tasks.values(), ...this.suspended.values()].map((active) => active.task);
    const threadId = `${this.config.applicationId}-StreamThread-${this.threadIndex}`;
    return [
      ...this.threadMetrics.threadMetrics(threadId, tasks.length),
      ...taskMetrics(threadId, tasks),
      ...tasks.flatMap((task) => this.threadMetrics.taskMetrics(threadId, String(task.id))),
    ];
  }

  state(): State {
    return this.stateValue;
  }

  setStateListener(listener: StateListener): void {
    if (this.stateValue !== State.CREATED) {
      throw new StreamsException(
        'IllegalStateException: Can only set StateListener before calling start(). Current state is: ' +
          this.stateValue,
      );
    }
    this.stateListener = listener;
  }

  private restoreListener: StateRestoreListener | undefined;

  /** Told about every store restoration (Java's global StateRestoreListener). */
  setGlobalStateRestoreListener(listener: StateRestoreListener): void {
    this.restoreListener = listener;
  }

  /**
   * Java's `setUncaughtExceptionHandler(StreamsUncaughtExceptionHandler)`: called with the error
   * that killed the stream thread; its `StreamThreadExceptionResponse` says what follows
   * (REPLACE_THREAD, SHUTDOWN_CLIENT — the default, also for a handler returning nothing —
   * or SHUTDOWN_APPLICATION).
   */
  setUncaughtExceptionHandler(handler: StreamsUncaughtExceptionHandler): void {
    this.uncaughtExceptionHandler = handler;
  }

  private setState(next: State): void {
    const old = this.stateValue;
    if (old === next && next !== State.REBALANCING) return;
    if (!isValidTransition(old, next)) return;
    this.stateValue = next;
    this.stateListener?.(next, old);
  }

  /**
   * Creates the internal topics, joins the group and starts processing in the background. The
   * promise resolves once the instance has subscribed (state REBALANCING); it rejects, and
   * nothing runs, on a configuration the runtime does not implement or a missing input topic.
   */
  async start(): Promise<void> {
    if (this.stateValue !== State.CREATED) {
      throw new StreamsException(
        `IllegalStateException: The client is either already started or already stopped (state ${this.stateValue}).`,
      );
    }
    if (
      this.config.processingGuarantee !== ProcessingGuarantee.AT_LEAST_ONCE &&
      this.config.processingGuarantee !== ProcessingGuarantee.EXACTLY_ONCE_V2
    ) {
      throw new StreamsException(
        `processing.guarantee=${this.config.processingGuarantee} is not implemented by @samsa/streams; ` +
          'use exactly_once_v2 or at_least_once. Refusing to start rather than run with other guarantees than configured.',
      );
    }
    this.startedAtMs = Date.now();
    const bootstrap = this.config.bootstrapServers;
    if (bootstrap === undefined)
      throw new StreamsException('Missing required configuration "bootstrap.servers" which has no default value.');
    const appId = this.config.applicationId;
    const common = { 'bootstrap.servers': bootstrap };
    this.admin = new Admin({ ...common, 'client.id': `${appId}-admin`, ...this.config.clientOverrides.admin } as never);
    try {
      const plan = await prepareInternalTopics(this.admin, this.topology, appId, this.config.replicationFactor);
      for (const sub of this.subtopologies) {
        if (sub.global === true) continue;
        for (const t of sub.sourceTopics) {
          this.partitionCounts.set(
            physicalTopic(this.topology, appId, t),
            plan.partitionsBySubtopology.get(sub.id) ?? 1,
          );
        }
      }
    } catch (error) {
      await this.admin.close();
      throw error;
    }
    try {
      await this.openThreadClients();
    } catch (error) {
      await this.closeClients();
      throw error;
    }
    const isolation = this.eos ? { 'isolation.level': 'read_committed' } : {};
    try {
      await this.globals.start(
        this.admin,
        { ...common, ...isolation, ...this.config.clientOverrides.consumer },
        this.abort.signal,
      );
    } catch (error) {
      await this.closeClients();
      throw error;
    }
    this.setState(State.REBALANCING);
    this.subscribe();
    this.lastCommitMs = Date.now();
    this.loop = this.runLoop();
  }

  private subscribe(): void {
    (this.consumer as Consumer<Buffer, Buffer>).subscribe([...this.inputs.keys()], {
      onPartitionsRevoked: (partitions) => this.onRevoked(partitions),
      onPartitionsAssigned: (partitions) => this.onAssigned(partitions),
      onPartitionsLost: (partitions) => this.onLost(partitions),
    });
  }

  /** The clients of this instance's stream thread (`…-StreamThread-<n>`): consumer, restore consumer, producer. */
  private async openThreadClients(): Promise<void> {
    const appId = this.config.applicationId;
    const common = { 'bootstrap.servers': this.config.bootstrapServers };
    const isolation = this.eos ? { 'isolation.level': 'read_committed' } : {};
    this.consumer = new Consumer<Buffer, Buffer>({
      ...common,
      ...isolation,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-consumer`,
      'group.id': appId,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'partition.assignment.strategy': this.queryMetadata.assignors(),
      'max.poll.records': 1000,
      ...this.config.clientOverrides.consumer,
    } as never);
    this.restoreConsumer = new Consumer<Buffer, Buffer>({
      ...common,
      ...isolation,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-restore-consumer`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'none',
      ...this.config.clientOverrides.consumer,
    } as never);
    const producer = new Producer<Uint8Array, Uint8Array>({
      ...common,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-producer`,
      'linger.ms': 100,
      // exactly_once_v2: one transactional producer per stream thread, fenced through the
      // consumer group's generation (KIP-447), so the id only has to be unique per instance.
      ...(this.eos
        ? { 'transactional.id': `${appId}-${randomUUID()}-${this.threadIndex}`, 'transaction.timeout.ms': 10000 }
        : {}),
      ...this.config.clientOverrides.producer,
    } as never);
    this.producer = new StreamsProducer(
      producer,
      this.eos,
      this.config.defaultProductionExceptionHandler,
      (context) => {
        const active = this.tasks.get(String(context.taskId)) ?? this.suspended.get(String(context.taskId));
        if (active !== undefined) active.task.droppedRecords++;
      },
    );
    await this.producer.initTransactions();
  }

  private async runLoop(): Promise<void> {
    const consumer = this.consumer as Consumer<Buffer, Buffer>;
    try {
      while (!this.abort.signal.aborted) {
        await this.globals.poll();
        const pollStartMs = performance.now();
        const records = await consumer.poll({ timeoutMs: 100, signal: this.abort.signal }).catch((error: unknown) => {
          if (this.abort.signal.aborted) return [];
          throw error;
        });
        this.threadMetrics.poll.record();
        this.threadMetrics.pollLatency.record(performance.now() - pollStartMs);
        for (const r of inTimestampOrder(records, (x) => this.inputKeys(x.topic, x.partition)?.task)) {
          const keys = this.inputKeys(r.topic, r.partition);
          const active = keys && this.tasks.get(keys.task);
          if (keys === undefined || active === undefined) continue;
          this.threadMetrics.recordProcess(keys.task, active.task.currentStreamTime() - r.timestamp);
          active.task.process(keys.logical, r.partition, r.offset, r.key, r.value, r.timestamp, r.headers);
          active.consumed.set(keys.tp, r.offset + 1n);
          this.processedSinceCommit = true;
        }
        await this.standbys.poll();
        let commitRequested = false;
        for (const { task } of this.tasks.values()) {
          task.maybePunctuateSystemTime();
          if (task.punctuations > 0) this.threadMetrics.punctuate.record(task.punctuations);
          task.punctuations = 0;
          commitRequested ||= task.commitRequested;
        }
        if (commitRequested || Date.now() - this.lastCommitMs >= this.config.commitIntervalMs) {
          const requestedAtMs = await shutdownRequestedSince(consumer, this.inputPartitions(), this.startedAtMs);
          if (requestedAtMs !== undefined) throw new ShutdownRequestedException(requestedAtMs);
          await this.commit();
        }
      }
    } catch (error) {
      await this.fail(error as Error);
    }
  }

  /** Every partition of the application's input topics (where the other instances' shutdown requests are). */
  private inputPartitions(): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const [topic, count] of this.partitionCounts) {
      for (let partition = 0; partition < count; partition++) out.push({ topic, partition });
    }
    return out;
  }

  /**
   * An input partition's task id, logical topic and `topic:partition` key, computed once per
   * partition rather than per record (undefined for a topic that is not an input).
   */
  private inputKeys(topic: string, partition: number): InputKeys | undefined {
    let byPartition = this.inputKeyCache.get(topic);
    if (byPartition === undefined) this.inputKeyCache.set(topic, (byPartition = []));
    let keys = byPartition[partition];
    if (keys === undefined) {
      const input = this.inputs.get(topic);
      if (input === undefined) return undefined;
      keys = {
        task: String(new TaskId(input.sub.id, partition)),
        logical: input.logical,
        tp: tpKey(topic, partition),
      };
      byPartition[partition] = keys;
    }
    return keys;
  }

  private async fail(error: Error): Promise<void> {
    // Java asks the handler first, then acts on its answer.
    // Another instance's SHUTDOWN_APPLICATION is not this thread's error: no handler, as in Java.
    const response =
      error instanceof ShutdownRequestedException
        ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
        : uncaughtExceptionResponse(this.uncaughtExceptionHandler, error);
    if (response === StreamThreadExceptionResponse.SHUTDOWN_APPLICATION && this.consumer !== undefined) {
      const consumer = this.consumer;
      await requestApplicationShutdown(consumer, consumer.assignment(), Date.now()).catch((e: unknown) =>
        console.error('Could not send the SHUTDOWN_APPLICATION request to the other instances.', e),
      );
    }
    if (response === StreamThreadExceptionResponse.REPLACE_THREAD && !this.abort.signal.aborted) {
      try {
        await this.replaceThread();
        return;
      } catch (replaceError) {
        console.error('Could not replace the stream thread; shutting the client down.', replaceError);
      }
    }
    this.setState(State.PENDING_ERROR);
    this.abort.abort();
    // Under exactly_once_v2 whatever this instance wrote since its last commit is aborted: the
    // next owner restores the stores from committed changelog records (no checkpoint was kept
    // while running, so the state is rebuilt) and reprocesses from the committed offsets.
    await this.producer?.abortTransaction().catch(() => {});
    for (const active of [...this.tasks.values(), ...this.suspended.values()]) {
      try {
        active.task.close();
      } catch {}
    }
    this.tasks.clear();
    this.suspended.clear();
    await this.standbys.close().catch(() => {});
    await this.closeClients();
    this.setState(State.ERROR);
  }

  /**
   * REPLACE_THREAD: the dead thread's tasks are closed without a commit (their checkpoints stay
   * those of the last commit), its clients close and leave the group, and a new thread's clients
   * join it. The tasks come back through the rebalance, restored from the changelogs and resumed
   * from the committed offsets, as Java's replacement StreamThread does.
   */
  private async replaceThread(): Promise<void> {
    await this.producer?.abortTransaction().catch(() => {});
    for (const active of [...this.tasks.values(), ...this.suspended.values()]) {
      try {
        if (this.eos) active.checkpoint.delete();
        active.task.close();
      } catch {}
    }
    this.tasks.clear();
    this.suspended.clear();
    this.processedSinceCommit = false;
    await Promise.allSettled([this.consumer?.close(), this.restoreConsumer?.close(), this.producer?.close()]);
    this.threadIndex++;
    await this.openThreadClients();
    this.setState(State.REBALANCING);
    this.subscribe();
    this.lastCommitMs = Date.now();
    this.loop = this.runLoop();
  }

  /**
   * at_least_once: flush the stores and the producer, commit the consumed offsets, write the
   * checkpoints. exactly_once_v2: flush the stores, add the consumed offsets to the open
   * transaction and commit it, so outputs, changelog writes and input offsets become visible
   * together; checkpoints are written only when a task closes cleanly.
   */
  private async commit(): Promise<void> {
    const startMs = performance.now();
    await this.commitTasks();
    this.threadMetrics.commit.record();
    this.threadMetrics.commitLatency.record(performance.now() - startMs);
  }

  private async commitTasks(): Promise<void> {
    for (const { task } of this.tasks.values()) task.flush();
    const offsets: { topic: string; partition: number; offset: bigint }[] = [];
    for (const active of this.tasks.values()) {
      for (const [key, offset] of active.consumed) {
        const at = key.lastIndexOf(':');
        offsets.push({ topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset });
      }
    }
    if (this.eos) {
      await this.commitTransaction(offsets);
      for (const active of this.tasks.values()) active.task.commitRequested = false;
      this.standbys.checkpoint();
      this.lastCommitMs = Date.now();
      return;
    }
    await this.producer?.flush();
    if (offsets.length > 0) {
      try {
        await this.consumer?.commitSync(offsets);
      } catch (error) {
        // Java's TaskMigratedException: the group has moved on (a rebalance started, or this
        // member was fenced). The consumer rejoins at its next poll and the tasks are revoked
        // or lost there; under at_least_once their new owner reprocesses from the last commit.
        if (!(error instanceof KafkaError && TASK_MIGRATED.has(error.errorName))) throw error;
      }
    }
    for (const active of this.tasks.values()) {
      active.task.commitRequested = false;
      this.writeCheckpoint(active);
    }
    this.standbys.checkpoint();
    this.lastCommitMs = Date.now();
  }

  private async commitTransaction(offsets: { topic: string; partition: number; offset: bigint }[]): Promise<void> {
    const producer = this.producer as StreamsProducer;
    const consumer = this.consumer as Consumer<Buffer, Buffer>;
    if (!producer.inTransaction && !this.processedSinceCommit) return;
    try {
      await producer.commitTransaction(offsets, consumer.groupMetadata());
    } catch (error) {
      if (!(error instanceof KafkaError && TASK_MIGRATED.has(error.errorName))) throw error;
      // The group moved on: nothing of this transaction may become visible. The next
      // rebalance hands the partitions out again and their owners restore and reprocess.
      await this.closeDirty();
      return;
    }
    this.processedSinceCommit = false;
  }

  /**
   * exactly_once_v2 after an aborted transaction: every task's stores may hold writes that were
   * just aborted, so all tasks are closed without checkpoints and will be restored from the
   * committed changelog records when they are assigned again.
   */
  private async closeDirty(): Promise<void> {
    await this.producer?.abortTransaction();
    this.processedSinceCommit = false;
    for (const active of [...this.tasks.values(), ...this.suspended.values()]) {
      active.checkpoint.delete();
      active.task.close();
    }
    this.tasks.clear();
    this.suspended.clear();
  }

  private writeCheckpoint(active: ActiveTask): void {
    const persistent = new Map<string, bigint>();
    for (const store of active.task.stores.values()) {
      if (!store.persistent() || !store.loggingEnabled) continue;
      const key = tpKey(store.changelogTopic, active.task.id.partition);
      const offset = active.changelogOffsets.get(key);
      if (offset !== undefined) persistent.set(key, offset);
    }
    if (persistent.size > 0) active.checkpoint.write(persistent);
  }

  private taskIdsOf(partitions: readonly TopicPartition[]): Map<string, TaskId> {
    const ids = new Map<string, TaskId>();
    for (const tp of partitions) {
      const input = this.inputs.get(tp.topic);
      if (input === undefined) continue;
      const id = new TaskId(input.sub.id, tp.partition);
      ids.set(String(id), id);
    }
    return ids;
  }

  private async onRevoked(partitions: TopicPartition[]): Promise<void> {
    this.setState(State.REBALANCING);
    if (this.abort.signal.aborted) return;
    await this.commit();
    for (const id of this.taskIdsOf(partitions).keys()) {
      const active = this.tasks.get(id);
      if (active === undefined) continue;
      this.tasks.delete(id);
      this.suspended.set(id, active);
    }
  }

  private async onLost(partitions: TopicPartition[]): Promise<void> {
    this.setState(State.REBALANCING);
    if (this.eos) {
      // One transaction spans all tasks: losing some makes all of them dirty.
      await this.closeDirty();
      return;
    }
    // Someone else owns these now: close without committing (under at_least_once the new
    // owner reprocesses from the last commit).
    for (const id of this.taskIdsOf(partitions).keys()) {
      this.tasks.get(id)?.task.close();
      this.tasks.delete(id);
    }
  }

  private async onAssigned(partitions: TopicPartition[]): Promise<void> {
    const wanted = this.taskIdsOf([...partitions, ...(this.consumer?.assignment() ?? [])]);
    this.standbys.release(wanted.keys());
    for (const [id, active] of this.suspended) {
      if (wanted.has(id)) {
        this.tasks.set(id, active);
      } else {
        this.writeCheckpoint(active);
        active.task.close();
      }
    }
    this.suspended.clear();
    const created: ActiveTask[] = [];
    for (const [key, id] of wanted) {
      if (this.tasks.has(key)) continue;
      created.push(this.createTask(id));
    }
    await this.restore(created);
    for (const active of created) {
      active.task.initializeTopology();
      this.tasks.set(String(active.task.id), active);
    }
    if (this.admin !== undefined) await this.queryMetadata.refresh(this.admin);
    this.standbys.assign(this.queryMetadata.state.standbyTasks().filter((id) => !this.tasks.has(id)));
    if (!this.abort.signal.aborted) this.setState(State.RUNNING);
  }

  private createTask(id: TaskId): ActiveTask {
    const sub = this.subtopologies[id.subtopology] as Subtopology;
    const taskDir = join(this.config.stateDir, this.config.applicationId, String(id));
    mkdirSync(taskDir, { recursive: true });
    const checkpoint = new OffsetCheckpoint(join(taskDir, '.checkpoint'));
    this.threadMetrics.taskCreated.record();
    const task = new StreamTask(
      id,
      this.topology,
      sub,
      {
        applicationId: this.config.applicationId,
        defaultKeySerde: this.config.defaultKeySerde,
        defaultValueSerde: this.config.defaultValueSerde,
        taskDir,
        wallClock: () => Date.now(),
        threadCache: this.threadCache,
        timestampExtractor: this.config.defaultTimestampExtractor,
        deserializationExceptionHandler: this.config.defaultDeserializationExceptionHandler,
        processingExceptionHandler: this.config.processingExceptionHandler,
        globalStore: (name) => this.globals.store(name),
      },
      {
        send: (topic, key, value, timestamp, headers, partition) =>
          this.send(id, topic, key, value, timestamp, headers, partition),
        partitionsFor: (topic) => this.partitionCounts.get(topic),
      },
    );
    // A logged persistent store without a checkpointed offset may hold anything (a crash before
    // the first checkpoint): it starts empty and is restored in full. Unlogged stores keep their
    // files — there is no changelog to rebuild them from.
    const checkpointed = checkpoint.read();
    const wipe = new Set<string>();
    for (const store of task.stores.values()) {
      const key = tpKey(changelogTopic(this.config.applicationId, store.name()), id.partition);
      if (store.persistent() && store.loggingEnabled && !checkpointed.has(key)) wipe.add(store.name());
    }
    task.openStores(wipe);
    return { task, consumed: new Map(), changelogOffsets: new Map(), checkpoint };
  }

  private send(
    id: TaskId,
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly { key: string; value: Buffer | null }[],
    partition: number | undefined,
  ): void {
    const source = this.tasks.get(String(id))?.task.recordMetadata();
    const context = {
      taskId: id,
      topic: source?.topic() ?? null,
      partition: source?.partition() ?? -1,
      offset: source?.offset() ?? -1n,
    };
    this.producer?.send(
      { topic, key, value, timestamp, headers, partition },
      (metadata) => {
        // Changelog offsets go into the checkpoint: the highest acknowledged per partition.
        const active = this.tasks.get(String(id)) ?? this.suspended.get(String(id));
        const k = tpKey(metadata.topic, metadata.partition);
        if (
          active !== undefined &&
          topic.endsWith('-changelog') &&
          (active.changelogOffsets.get(k) ?? -1n) < metadata.offset
        ) {
          active.changelogOffsets.set(k, metadata.offset);
        }
      },
      context,
    );
  }

  private async restore(created: readonly ActiveTask[]): Promise<void> {
    const restorations: (Restoration & { active: ActiveTask })[] = [];
    for (const active of created) {
      const checkpointed = active.checkpoint.read();
      for (const store of active.task.stores.values()) {
        if (!store.loggingEnabled) continue;
        const topic = changelogTopic(this.config.applicationId, store.name());
        const partition = active.task.id.partition;
        const last = store.persistent() ? checkpointed.get(tpKey(topic, partition)) : undefined;
        if (last !== undefined) active.changelogOffsets.set(tpKey(topic, partition), last);
        restorations.push({ active, store, topic, partition, startOffset: last === undefined ? 0n : last + 1n });
      }
    }
    const restored = await restoreStores(
      this.restoreConsumer as Consumer<Buffer, Buffer>,
      restorations,
      this.abort.signal,
      this.restoreListener,
    );
    for (const r of restorations) {
      const offset = restored.get(tpKey(r.topic, r.partition));
      if (offset !== undefined) r.active.changelogOffsets.set(tpKey(r.topic, r.partition), offset);
    }
    // Under exactly_once_v2 a checkpoint is valid only while the task is closed: a crash leaves
    // stores with uncommitted writes, so the file goes while the task runs (as in Java).
    for (const active of created) {
      if (this.eos) active.checkpoint.delete();
      else this.writeCheckpoint(active);
    }
  }

  /**
   * Interactive queries on this instance's part of a store (Java's `KafkaStreams.store`): the
   * tasks it runs now. Only while RUNNING, as Java (during a rebalance the store's tasks move).
   * Keys owned by other instances are not found here; there is no metadata API to locate them.
   */
  store<T>(parameters: StoreQueryParameters<T>): T {
    const name = parameters.storeName;
    if (this.topology.storeBuilder(name) === undefined) {
      throw new InvalidStateStoreException(
        `Cannot get state store ${name} because no such store is registered in the topology.`,
      );
    }
    const check = () => {
      if (this.stateValue !== State.RUNNING) {
        throw new InvalidStateStoreException(
          `Cannot get state store ${name} because the stream thread is ${this.stateValue}, not RUNNING`,
        );
      }
    };
    check();
    const stores = (): KeyValueStore<unknown, unknown>[] => {
      check();
      const out: KeyValueStore<unknown, unknown>[] = [];
      for (const { task } of this.tasks.values()) {
        const store = task.stores.get(name);
        if (store !== undefined) out.push(store);
      }
      // A global store is whole on every instance.
      const global = this.globals.store(name);
      if (global !== undefined) out.push(global as KeyValueStore<unknown, unknown>);
      return out;
    };
    return queryableView(name, parameters.queryableStoreType.kind, stores) as T;
  }

  /** Java's `metadataForAllStreamsClients()`: every instance with an `application.server`, its stores and partitions. */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    this.validateIsRunningOrRebalancing();
    return this.queryMetadata.state.allMetadata();
  }

  /** Java's `streamsMetadataForStore(storeName)`: the instances that hold part of the store. */
  streamsMetadataForStore(storeName: string): StreamsMetadata[] {
    this.validateIsRunningOrRebalancing();
    return this.queryMetadata.state.allMetadataForStore(storeName);
  }

  /**
   * Java's `queryMetadataForKey(storeName, key, keySerializer | partitioner)`: the instance to
   * ask for `key` (the transport is the application's). Undefined (Java: null) for an unknown store.
   */
  queryMetadataForKey<K>(
    storeName: string,
    key: K,
    keySerializer: Serializer<K> | StreamPartitioner<K, unknown>,
  ): KeyQueryMetadata | undefined {
    this.validateIsRunningOrRebalancing();
    return this.queryMetadata.state.keyQueryMetadata(storeName, key, keySerializer);
  }

  private validateIsRunningOrRebalancing(): void {
    if (this.stateValue === State.CREATED) {
      throw new StreamsException(
        'StreamsNotStartedException: KafkaStreams has not been started, you can retry after calling start()',
      );
    }
    if (this.stateValue !== State.RUNNING && this.stateValue !== State.REBALANCING) {
      throw new StreamsException(`IllegalStateException: KafkaStreams is not running. State is ${this.stateValue}.`);
    }
  }

  /** Commits, closes the tasks (writing checkpoints), leaves the group and closes the clients. */
  async close(): Promise<void> {
    if (this.stateValue === State.NOT_RUNNING || this.stateValue === State.ERROR) return;
    const started = this.loop !== undefined;
    this.setState(State.PENDING_SHUTDOWN);
    this.abort.abort();
    // A thread being replaced sets a new loop while the old one ends.
    for (let loop = this.loop; ; loop = this.loop) {
      await loop;
      if (loop === this.loop) break;
    }
    if (started) {
      try {
        await this.commit();
      } finally {
        for (const active of [...this.tasks.values(), ...this.suspended.values()]) {
          this.writeCheckpoint(active);
          active.task.close();
        }
        this.tasks.clear();
        this.suspended.clear();
        await this.standbys.close();
        await this.closeClients();
      }
    }
    this.setState(State.NOT_RUNNING);
  }

  private async closeClients(): Promise<void> {
    await Promise.allSettled([
      this.consumer?.close(),
      this.restoreConsumer?.close(),
      this.producer?.close(),
      this.admin?.close(),
      this.globals.close(),
    ]);
  }

  /** Deletes this application's local state (`state.dir/<application.id>`); only while not running. */
  cleanUp(): void {
    if (this.stateValue !== State.CREATED && this.stateValue !== State.NOT_RUNNING && this.stateValue !== State.ERROR) {
      throw new StreamsException('IllegalStateException: Cannot clean up while running.');
    }
    rmSync(join(this.config.stateDir, this.config.applicationId), { recursive: true, force: true });
  }
}
