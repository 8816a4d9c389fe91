import { randomUUID } from 'node:crypto';
import {
  Consumer,
  type ConsumerRecord,
  KafkaError,
  type PartitionAssignor,
  Producer,
  type ProducerListener,
  type TopicPartition,
} from '@samsa/client';
import { physicalTopic, type StreamTask } from '../processor/stream-task.js';
import { TaskId } from '../processor/task-id.js';
import type { Subtopology } from '../processor/topology-nodes.js';
import {
  requestApplicationShutdown,
  ShutdownRequestedException,
  shutdownRequestedSince,
} from './application-shutdown.js';
import type { GlobalStateUpdater } from './global-state-updater.js';
import { State } from './kafka-streams-state.js';
import type { StandbyTasks } from './standby-tasks.js';
import { StreamsProducer } from './streams-producer.js';
import { type ActiveTask, TaskManager, type TaskManagerContext, tpKey, writeCheckpoint } from './task-manager.js';
import { inTimestampOrder, partitionRunEnd } from './timestamp-order.js';
import { encodeTopicPartitionMetadata } from './topic-partition-metadata.js';

/** An input partition's offset to commit, with Java's offset metadata. */
interface CommittedInput {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata: string;
}

/** What the run loop needs per input partition (see inputKeys). */
interface InputKeys {
  readonly task: string;
  readonly logical: string;
  readonly tp: string;
}

const TASK_MIGRATED = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

/** What a stream thread shares with its `KafkaStreams`; all of it outlives a replaced thread. */
export interface StreamThreadContext extends TaskManagerContext {
  readonly globals: GlobalStateUpdater;
  /** `num.standby.replicas`: other instances' tasks whose stores this one keeps warm. */
  readonly standbys: StandbyTasks;
  /** When start() was called: only SHUTDOWN_APPLICATION requests made since then stop this instance. */
  readonly startedAtMs: number;
  /** The group's assignors, which carry this instance's metadata (`application.server`, owned tasks). */
  assignors(): (PartitionAssignor | string)[];
  /** Re-reads where the tasks are after a rebalance; returns the standby tasks this instance is to keep. */
  refreshMetadata(): Promise<readonly string[]>;
  /** The instance's state follows the thread's rebalances. */
  setState(next: State): void;
  /** True once when the probing rebalance the last assignment scheduled is due (KIP-441). */
  probingRebalanceDue(nowMs: number): boolean;
}

/**
 * Kafka Streams' `StreamThread`: one consumer in the group `application.id`, a restore consumer
 * and a producer (all `…-StreamThread-<n>`), and the loop that polls, processes the records in
 * timestamp order, punctuates and commits. Its rebalance callbacks suspend, close, resume and
 * create the tasks, kept by its `TaskManager`. A thread that died is not restarted: `KafkaStreams`
 * replaces it with a new one (the next `<n>`).
 */
export class StreamThread {
  /** Physical input topic → its sub-topology and the topology's name for it. */
  private readonly inputs = new Map<string, { sub: Subtopology; logical: string }>();
  private readonly inputKeyCache = new Map<string, (InputKeys | undefined)[]>();
  private readonly taskManager: TaskManager;
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private restoreConsumer: Consumer<Buffer, Buffer> | undefined;
  private producer: StreamsProducer | undefined;
  /** Records were processed since the last commit (exactly_once_v2 commits only then). */
  private processedSinceCommit = false;
  private lastCommitMs = 0;

  constructor(
    private readonly ctx: StreamThreadContext,
    /** The thread's number in its client ids (`…-StreamThread-<n>`). */
    private readonly threadIndex: number,
  ) {
    for (const sub of ctx.subtopologies) {
      if (sub.global === true) continue;
      for (const logical of sub.sourceTopics) {
        this.inputs.set(physicalTopic(ctx.topology, ctx.config.applicationId, logical), { sub, logical });
      }
    }
    this.taskManager = new TaskManager(ctx, {
      consumer: () => this.consumer,
      producer: () => this.producer,
      restoreConsumer: () => this.restoreConsumer,
    });
  }

  /** The running tasks (what interactive queries read). */
  activeTasks(): StreamTask[] {
    return [...this.taskManager.runningTasks()].map((active) => active.task);
  }

  /** Running and suspended tasks. */
  allTasks(): StreamTask[] {
    return this.taskManager.allTasks().map((active) => active.task);
  }

  /** The tasks this thread holds state for, running then suspended. */
  taskIds(): string[] {
    return this.taskManager.ids();
  }

  /** Standby tasks are assigned only from this thread's rebalance callback, and created as its tasks are. */
  createStandbyTask(id: TaskId): ActiveTask {
    return this.taskManager.createTask(id);
  }

  /** Creates the clients; on failure the caller closes those already created (closeClients). */
  async openClients(): Promise<void> {
    const { config, eos } = this.ctx;
    const appId = config.applicationId;
    const common = { 'bootstrap.servers': config.bootstrapServers };
    const isolation = eos ? { 'isolation.level': 'read_committed' } : {};
    this.consumer = new Consumer<Buffer, Buffer>({
      ...common,
      ...isolation,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-consumer`,
      'group.id': appId,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'partition.assignment.strategy': this.ctx.assignors(),
      'max.poll.records': 1000,
      ...config.clientOverrides.consumer,
    } as never);
    this.restoreConsumer = new Consumer<Buffer, Buffer>({
      ...common,
      ...isolation,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-restore-consumer`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'none',
      ...config.clientOverrides.consumer,
    } as never);
    const producerConfig = {
      ...common,
      'client.id': `${appId}-StreamThread-${this.threadIndex}-producer`,
      'linger.ms': 100,
      // exactly_once_v2: one transactional producer per stream thread, fenced through the
      // consumer group's generation (KIP-447), so the id only has to be unique per instance.
      ...(eos
        ? { 'transactional.id': `${appId}-${randomUUID()}-${this.threadIndex}`, 'transaction.timeout.ms': 10000 }
        : {}),
      ...config.clientOverrides.producer,
    };
    this.producer = new StreamsProducer(
      (producerListener) => new Producer<Uint8Array, Uint8Array>({ ...producerConfig, producerListener } as never),
      eos,
      config.defaultProductionExceptionHandler,
      (context) => {
        const active = this.taskManager.find(String(context.taskId));
        if (active !== undefined) active.task.droppedRecords++;
      },
      config.clientOverrides.producer.producerListener as ProducerListener<Uint8Array, Uint8Array> | undefined,
    );
    await this.producer.initTransactions();
  }

  async closeClients(): Promise<void> {
    await Promise.allSettled([this.consumer?.close(), this.restoreConsumer?.close(), this.producer?.close()]);
  }

  /** Subscribes (at once, so that a failure is the caller's) and runs the loop until aborted or failed. */
  start(): Promise<void> {
    (this.consumer as Consumer<Buffer, Buffer>).subscribe([...this.inputs.keys()], {
      onPartitionsRevoked: (partitions) => this.onRevoked(partitions),
      onPartitionsAssigned: (partitions) => this.onAssigned(partitions),
      onPartitionsLost: (partitions) => this.onLost(partitions),
    });
    this.lastCommitMs = Date.now();
    return this.runLoop();
  }

  private async runLoop(): Promise<void> {
    const { signal, threadMetrics } = this.ctx;
    const consumer = this.consumer as Consumer<Buffer, Buffer>;
    while (!signal.aborted) {
      await this.ctx.globals.poll();
      const pollStartMs = performance.now();
      const records = await consumer.poll({ timeoutMs: 100, signal }).catch((error: unknown) => {
        if (signal.aborted) return [];
        throw error;
      });
      threadMetrics.poll.record();
      threadMetrics.pollLatency.record(performance.now() - pollStartMs);
      const ordered = inTimestampOrder(records, (x) => this.inputKeys(x.topic, x.partition)?.task);
      for (let from = 0; from < ordered.length; ) {
        const to = partitionRunEnd(ordered, from);
        this.processRun(ordered, from, to);
        from = to;
      }
      await this.ctx.standbys.poll();
      if (this.ctx.probingRebalanceDue(Date.now())) {
        console.info('[samsa-streams] triggering the probing rebalance scheduled to check on warm-up tasks');
        consumer.enforceRebalance('scheduled probing rebalance');
      }
      let commitRequested = false;
      for (const { task } of this.taskManager.runningTasks()) {
        task.maybePunctuateSystemTime();
        if (task.punctuations > 0) threadMetrics.punctuate.record(task.punctuations);
        task.punctuations = 0;
        commitRequested ||= task.commitRequested;
      }
      if (commitRequested || Date.now() - this.lastCommitMs >= this.ctx.config.commitIntervalMs) {
        const requestedAtMs = await shutdownRequestedSince(consumer, this.inputPartitions(), this.ctx.startedAtMs);
        if (requestedAtMs !== undefined) throw new ShutdownRequestedException(requestedAtMs);
        await this.commit();
      }
    }
  }

  /**
   * Processes `records[from..to)`, a run of one partition's records: the task, its metrics and
   * its consumed offset are looked up and updated once per run rather than per record.
   */
  private processRun(records: readonly ConsumerRecord<Buffer, Buffer>[], from: number, to: number): void {
    const first = records[from] as ConsumerRecord<Buffer, Buffer>;
    const keys = this.inputKeys(first.topic, first.partition);
    const active = keys && this.taskManager.get(keys.task);
    if (keys === undefined || active === undefined) return;
    const { task } = active;
    const metrics = this.ctx.threadMetrics.ofTask(keys.task);
    let done = from;
    try {
      for (let i = from; i < to; i++) {
        const r = records[i] as ConsumerRecord<Buffer, Buffer>;
        metrics.lateness.record(Math.max(0, task.currentStreamTime() - r.timestamp));
        task.process(keys.logical, r.partition, r.offset, r.key, r.value, r.timestamp, r.headers);
        done = i + 1;
      }
    } finally {
      if (done > from) {
        this.ctx.threadMetrics.process.record(done - from);
        metrics.process.record(done - from);
        active.consumed.set(keys.tp, (records[done - 1] as ConsumerRecord<Buffer, Buffer>).offset + 1n);
        this.processedSinceCommit = true;
      }
    }
  }

  /** Every partition of the application's input topics (where the other instances' shutdown requests are). */
  private inputPartitions(): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const [topic, count] of this.ctx.partitionCounts) {
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

  /** SHUTDOWN_APPLICATION: tells the other instances through the group (see application-shutdown). */
  async requestApplicationShutdown(): Promise<void> {
    if (this.consumer === undefined) return;
    const consumer = this.consumer;
    await requestApplicationShutdown(consumer, consumer.assignment(), Date.now()).catch((e: unknown) =>
      console.error('Could not send the SHUTDOWN_APPLICATION request to the other instances.', e),
    );
  }

  /**
   * The thread died: whatever it wrote since its last commit is aborted (exactly_once_v2), its
   * tasks close without a commit (their checkpoints stay those of the last commit, unless
   * `deleteCheckpoints`), ignoring further errors.
   */
  async abandonTasks(deleteCheckpoints: boolean): Promise<void> {
    await this.producer?.abortTransaction().catch(() => {});
    this.taskManager.closeQuietly(deleteCheckpoints);
    this.processedSinceCommit = false;
  }

  /** After the loop ended on close: the tasks close with their checkpoints (after the last commit). */
  closeTasks(): void {
    this.taskManager.closeClean();
  }

  /**
   * at_least_once: flush the stores and the producer, commit the consumed offsets, write the
   * checkpoints. exactly_once_v2: flush the stores, add the consumed offsets to the open
   * transaction and commit it, so outputs, changelog writes and input offsets become visible
   * together; checkpoints are written only when a task closes cleanly.
   */
  async commit(): Promise<void> {
    const startMs = performance.now();
    await this.commitTasks();
    this.ctx.threadMetrics.commit.record();
    this.ctx.threadMetrics.commitLatency.record(performance.now() - startMs);
  }

  private async commitTasks(): Promise<void> {
    for (const { task } of this.taskManager.runningTasks()) task.flush();
    const offsets: CommittedInput[] = [];
    for (const active of this.taskManager.runningTasks()) {
      for (const [key, offset] of active.consumed) {
        const at = key.lastIndexOf(':');
        const topic = key.slice(0, at);
        // Java's TopicPartitionMetadata: the partition time and the processors' metadata.
        const metadata = encodeTopicPartitionMetadata(
          active.task.partitionTimeOf(topic),
          active.task.processorMetadata,
        );
        offsets.push({ topic, partition: Number(key.slice(at + 1)), offset, metadata });
      }
    }
    if (this.ctx.eos) {
      await this.commitTransaction(offsets);
      for (const active of this.taskManager.runningTasks()) active.task.commitRequested = false;
      this.ctx.standbys.checkpoint();
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
    for (const active of this.taskManager.runningTasks()) {
      active.task.commitRequested = false;
      writeCheckpoint(active);
    }
    this.ctx.standbys.checkpoint();
    this.lastCommitMs = Date.now();
  }

  private async commitTransaction(offsets: CommittedInput[]): Promise<void> {
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
    this.taskManager.closeDirty();
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
    this.ctx.setState(State.REBALANCING);
    if (this.ctx.signal.aborted) return;
    await this.commit();
    this.taskManager.suspend(this.taskIdsOf(partitions).keys());
  }

  private async onLost(partitions: TopicPartition[]): Promise<void> {
    this.ctx.setState(State.REBALANCING);
    if (this.ctx.eos) {
      // One transaction spans all tasks: losing some makes all of them dirty.
      await this.closeDirty();
      return;
    }
    // Someone else owns these now: close without committing (under at_least_once the new
    // owner reprocesses from the last commit).
    this.taskManager.closeLost(this.taskIdsOf(partitions).keys());
  }

  private async onAssigned(partitions: TopicPartition[]): Promise<void> {
    const wanted = this.taskIdsOf([...partitions, ...(this.consumer?.assignment() ?? [])]);
    this.ctx.standbys.release(wanted.keys());
    await this.taskManager.handleAssignment(wanted);
    const standbys = await this.ctx.refreshMetadata();
    this.ctx.standbys.assign(standbys.filter((id) => !this.taskManager.has(id)));
    if (!this.ctx.signal.aborted) this.ctx.setState(State.RUNNING);
  }
}
