import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Consumer, RecordMetadata } from '@samsa/client';
import type { RecordMetadata as SourceMetadata } from '../processor/processor-context.js';
import { changelogTopic, StreamTask } from '../processor/stream-task.js';
import type { TaskId } from '../processor/task-id.js';
import type { Topology } from '../processor/topology.js';
import type { Subtopology } from '../processor/topology-nodes.js';
import type { ThreadCache } from '../state/record-cache.js';
import type { StateStore } from '../state/state-store.js';
import type { StreamsConfig } from '../streams-config.js';
import { isShutdownRequest } from './application-shutdown.js';
import { OffsetCheckpoint } from './offset-checkpoint.js';
import type { StateRestoreListener } from './state-restore-listener.js';
import { type Restoration, restoreStores } from './store-changelog-reader.js';
import type { StreamThreadMetrics } from './stream-thread-metrics.js';
import type { StreamsProducer } from './streams-producer.js';
import { decodeTopicPartitionMetadata, type TopicPartitionMetadata } from './topic-partition-metadata.js';

/** A task this instance runs, with what its commit and checkpoint need. */
export interface ActiveTask {
  readonly task: StreamTask;
  /** Next offset to consume per input `topic:partition` (what the group commit records). */
  readonly consumed: Map<string, bigint>;
  /** Last offset in each changelog `topic:partition` that the stores hold. */
  readonly changelogOffsets: Map<string, bigint>;
  readonly checkpoint: OffsetCheckpoint;
}

export const tpKey = (topic: string, partition: number) => `${topic}:${partition}`;

/** What creating and restoring tasks needs of the instance; it outlives a replaced stream thread. */
export interface TaskManagerContext {
  readonly topology: Topology;
  readonly config: StreamsConfig;
  readonly subtopologies: readonly Subtopology[];
  readonly eos: boolean;
  /** The record cache of the instance's stream thread, shared by its tasks' caching stores. */
  readonly threadCache: ThreadCache;
  readonly threadMetrics: StreamThreadMetrics;
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly signal: AbortSignal;
  globalStore(name: string): StateStore | undefined;
  /** Read at each restoration: the listener may be set after start(). */
  restoreListener(): StateRestoreListener | undefined;
}

/** The clients of the stream thread that runs the tasks (opened after the TaskManager exists). */
export interface TaskClients {
  /** The thread's consumer: new tasks read their input partitions' commit metadata with it. */
  consumer(): Consumer<Buffer, Buffer> | undefined;
  producer(): StreamsProducer | undefined;
  restoreConsumer(): Consumer<Buffer, Buffer> | undefined;
}

/** Writes the offsets of the task's persistent logged stores to its `.checkpoint`. */
export function writeCheckpoint(active: ActiveTask): void {
  const persistent = new Map<string, bigint>();
  for (const store of active.task.stores.values()) {
    if (!store.persistent() || !store.loggingEnabled) continue;
    const key = tpKey(store.changelogTopic, active.task.id.partition);
    const offset = active.changelogOffsets.get(key);
    if (offset !== undefined) persistent.set(key, offset);
  }
  if (persistent.size > 0) active.checkpoint.write(persistent);
}

/**
 * Kafka Streams' `TaskManager` of one stream thread: the tasks it runs (processing) and those
 * suspended by a revocation (kept, not processing, until the assignment says whether they come
 * back), how a task is created with its stores and checkpoint, and how new tasks are restored
 * from their changelogs before they process.
 */
export class TaskManager {
  private readonly running = new Map<string, ActiveTask>();
  private readonly suspended = new Map<string, ActiveTask>();

  constructor(
    private readonly ctx: TaskManagerContext,
    private readonly clients: TaskClients,
  ) {}

  /** The running task with this id (not a suspended one). */
  get(id: string): ActiveTask | undefined {
    return this.running.get(id);
  }

  /** A running or suspended task: both may still have records in flight. */
  find(id: string): ActiveTask | undefined {
    return this.running.get(id) ?? this.suspended.get(id);
  }

  has(id: string): boolean {
    return this.running.has(id);
  }

  /** The running tasks, live (the map's iterator): a task closed meanwhile is not visited. */
  runningTasks(): IterableIterator<ActiveTask> {
    return this.running.values();
  }

  /** Running then suspended. */
  allTasks(): ActiveTask[] {
    return [...this.running.values(), ...this.suspended.values()];
  }

  /** Running then suspended: the tasks this thread holds state for. */
  ids(): string[] {
    return [...this.running.keys(), ...this.suspended.keys()];
  }

  /** Revoked tasks stop processing but keep their stores until the assignment is known. */
  suspend(ids: Iterable<string>): void {
    for (const id of ids) {
      const active = this.running.get(id);
      if (active === undefined) continue;
      this.running.delete(id);
      this.suspended.set(id, active);
    }
  }

  /** Lost tasks close without a commit: someone else owns them now. */
  closeLost(ids: Iterable<string>): void {
    for (const id of ids) {
      this.running.get(id)?.task.close();
      this.running.delete(id);
    }
  }

  /**
   * Suspended tasks assigned back resume without restoring; the others close with a checkpoint.
   * The wanted tasks not here yet are created, restored, and then start processing.
   */
  async handleAssignment(wanted: ReadonlyMap<string, TaskId>): Promise<void> {
    for (const [id, active] of this.suspended) {
      if (wanted.has(id)) {
        this.running.set(id, active);
      } else {
        writeCheckpoint(active);
        active.task.close();
      }
    }
    this.suspended.clear();
    const created: ActiveTask[] = [];
    for (const [key, id] of wanted) {
      if (this.running.has(key)) continue;
      created.push(this.createTask(id));
    }
    await this.restore(created);
    const committed = await this.committedMetadata(created);
    for (const active of created) {
      active.task.initializeTaskTime(committed);
      active.task.initializeTopology();
      this.running.set(String(active.task.id), active);
    }
  }

  /**
   * The metadata of the group's committed offsets for the new tasks' input partitions, by
   * `topic:partition` (tasks of one assignment share topics). Without it the tasks start with
   * unknown partition times, as on a first run: the application goes on, with a warning.
   */
  private async committedMetadata(created: readonly ActiveTask[]): Promise<Map<string, TopicPartitionMetadata>> {
    const out = new Map<string, TopicPartitionMetadata>();
    const consumer = this.clients.consumer();
    const partitions = created.flatMap((active) => active.task.inputPartitions());
    if (consumer === undefined || partitions.length === 0) return out;
    try {
      for (const c of await consumer.committed(partitions, { signal: this.ctx.signal })) {
        if (c.metadata === null || c.metadata === '' || isShutdownRequest(c.metadata)) continue;
        out.set(tpKey(c.topic, c.partition), decodeTopicPartitionMetadata(c.metadata));
      }
    } catch (error) {
      if (!this.ctx.signal.aborted) {
        console.warn(`[samsa-streams] could not read the committed offsets' metadata: ${(error as Error).message}`);
      }
    }
    return out;
  }

  /** On a clean close (after the last commit): every task closes with its checkpoint. */
  closeClean(): void {
    for (const active of this.allTasks()) {
      writeCheckpoint(active);
      active.task.close();
    }
    this.clear();
  }

  /** The stores may hold aborted writes: no checkpoint survives, the next owner restores in full. */
  closeDirty(): void {
    for (const active of this.allTasks()) {
      active.checkpoint.delete();
      active.task.close();
    }
    this.clear();
  }

  /** After the thread died: close what can be closed, ignoring further errors. */
  closeQuietly(deleteCheckpoints: boolean): void {
    for (const active of this.allTasks()) {
      try {
        if (deleteCheckpoints) active.checkpoint.delete();
        active.task.close();
      } catch {}
    }
    this.clear();
  }

  private clear(): void {
    this.running.clear();
    this.suspended.clear();
  }

  /** A task of `id` with its stores open (standby tasks are created here too, without processing). */
  createTask(id: TaskId): ActiveTask {
    const { config } = this.ctx;
    const sub = this.ctx.subtopologies[id.subtopology] as Subtopology;
    const taskDir = join(config.stateDir, config.applicationId, String(id));
    mkdirSync(taskDir, { recursive: true });
    const checkpoint = new OffsetCheckpoint(join(taskDir, '.checkpoint'));
    this.ctx.threadMetrics.taskCreated.record();
    const sender = { id, key: String(id) };
    const task = new StreamTask(
      id,
      this.ctx.topology,
      sub,
      {
        applicationId: config.applicationId,
        defaultKeySerde: config.defaultKeySerde,
        defaultValueSerde: config.defaultValueSerde,
        taskDir,
        wallClock: () => Date.now(),
        appConfigs: config.originals,
        threadCache: this.ctx.threadCache,
        timestampExtractor: config.defaultTimestampExtractor,
        deserializationExceptionHandler: config.defaultDeserializationExceptionHandler,
        processingExceptionHandler: config.processingExceptionHandler,
        globalStore: (name) => this.ctx.globalStore(name),
      },
      {
        send: (topic, key, value, timestamp, headers, partition, source, changelog) =>
          this.send(sender, topic, key, value, timestamp, headers, partition, source ?? null, changelog === true),
        partitionsFor: (topic) => this.ctx.partitionCounts.get(topic),
      },
    );
    // A logged persistent store without a checkpointed offset may hold anything (a crash before
    // the first checkpoint): it starts empty and is restored in full. Unlogged stores keep their
    // files — there is no changelog to rebuild them from.
    const checkpointed = checkpoint.read();
    const wipe = new Set<string>();
    for (const store of task.stores.values()) {
      const key = tpKey(changelogTopic(config.applicationId, store.name()), id.partition);
      if (store.persistent() && store.loggingEnabled && !checkpointed.has(key)) wipe.add(store.name());
    }
    task.openStores(wipe);
    return { task, consumed: new Map(), changelogOffsets: new Map(), checkpoint };
  }

  private send(
    task: { id: TaskId; key: string },
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly { key: string; value: Buffer | null }[],
    partition: number | undefined,
    source: SourceMetadata | null,
    changelog: boolean,
  ): void {
    // Only changelog offsets are needed back (for the checkpoint).
    const onDelivered = changelog
      ? (metadata: RecordMetadata) => {
          // The highest acknowledged offset per changelog partition.
          const active = this.find(task.key);
          const k = tpKey(metadata.topic, metadata.partition);
          if (active !== undefined && (active.changelogOffsets.get(k) ?? -1n) < metadata.offset) {
            active.changelogOffsets.set(k, metadata.offset);
          }
        }
      : undefined;
    this.clients
      .producer()
      ?.send({ topic, key, value, timestamp, headers, partition, taskId: task.id, source, onDelivered });
  }

  private async restore(created: readonly ActiveTask[]): Promise<void> {
    const { applicationId } = this.ctx.config;
    const restorations: (Restoration & { active: ActiveTask })[] = [];
    for (const active of created) {
      const checkpointed = active.checkpoint.read();
      for (const store of active.task.stores.values()) {
        if (!store.loggingEnabled) continue;
        const topic = changelogTopic(applicationId, store.name());
        const partition = active.task.id.partition;
        const last = store.persistent() ? checkpointed.get(tpKey(topic, partition)) : undefined;
        if (last !== undefined) active.changelogOffsets.set(tpKey(topic, partition), last);
        restorations.push({ active, store, topic, partition, startOffset: last === undefined ? 0n : last + 1n });
      }
    }
    const restored = await restoreStores(
      this.clients.restoreConsumer() as Consumer<Buffer, Buffer>,
      restorations,
      this.ctx.signal,
      this.ctx.restoreListener(),
    );
    for (const r of restorations) {
      const offset = restored.get(tpKey(r.topic, r.partition));
      if (offset !== undefined) r.active.changelogOffsets.set(tpKey(r.topic, r.partition), offset);
    }
    // Under exactly_once_v2 a checkpoint is valid only while the task is closed: a crash leaves
    // stores with uncommitted writes, so the file goes while the task runs (as in Java).
    for (const active of created) {
      if (this.ctx.eos) active.checkpoint.delete();
      else writeCheckpoint(active);
    }
  }
}
