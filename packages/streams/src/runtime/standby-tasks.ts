import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Consumer, type TopicPartition } from '@samsa/client';
import type { StreamTask } from '../processor/stream-task.js';
import { TaskId } from '../processor/task-id.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { OffsetCheckpoint } from './offset-checkpoint.js';

/** A task's stores with their checkpoint, as `KafkaStreams` creates them (without processing). */
export interface TaskState {
  readonly task: StreamTask;
  /** Last offset in each changelog `topic:partition` that the stores hold. */
  readonly changelogOffsets: Map<string, bigint>;
  readonly checkpoint: OffsetCheckpoint;
}

const tpKey = (topic: string, partition: number) => `${topic}:${partition}`;

/** `<subtopology>_<partition>` back to a TaskId. */
function parseTaskId(id: string): TaskId {
  const [subtopology, partition] = id.split('_').map(Number) as [number, number];
  return new TaskId(subtopology, partition);
}

/**
 * Kafka Streams' standby tasks (`num.standby.replicas`): copies of other instances' task state,
 * kept warm by reading the stores' changelogs, so that when the task fails over here its
 * restoration starts at the standby's checkpoint and reads only the tail.
 *
 * Only persistent logged stores are kept: a standby hands its state to the active task through
 * the state directory and its `.checkpoint` (an in-memory store would be rebuilt anyway).
 * Changelog records are applied as restoration does (bytes straight into the byte store); the
 * checkpoint is written on every commit of the instance and when the standby closes.
 */
export class StandbyTasks {
  private readonly standbys = new Map<
    string,
    { state: TaskState; stores: Map<string, KeyValueStore<unknown, unknown>> }
  >();
  /** Changelog `topic:partition` → the standby task reading it. */
  private readonly byChangelog = new Map<string, string>();
  private consumer: Consumer<Buffer, Buffer> | undefined;

  constructor(
    private readonly createTask: (id: TaskId) => TaskState,
    private readonly consumerConfig: () => Record<string, unknown>,
    /** `state.dir/<application.id>`: task directories with a checkpoint count as warm state here. */
    private readonly appStateDir: string,
  ) {}

  /** The standby task ids this instance keeps now. */
  ids(): string[] {
    return [...this.standbys.keys()];
  }

  /**
   * KIP-441's task offset sums of the state this instance holds besides its active tasks: per
   * standby (or warm-up) task and per task directory with a checkpoint, the sum over its
   * changelog partitions of the next offset its stores lack. The leader weighs them against the
   * changelogs' ends to find who is caught up.
   */
  taskOffsetSums(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    const sum = (offsets: Iterable<bigint>) => {
      let total = 0n;
      for (const offset of offsets) total += offset + 1n;
      return total;
    };
    for (const [id, { state }] of this.standbys) out.set(id, sum(state.changelogOffsets.values()));
    if (!existsSync(this.appStateDir)) return out;
    for (const entry of readdirSync(this.appStateDir)) {
      if (out.has(entry) || !/^\d+_\d+$/.test(entry)) continue;
      const file = join(this.appStateDir, entry, '.checkpoint');
      if (!existsSync(file)) continue;
      try {
        out.set(entry, sum(new OffsetCheckpoint(file).read().values()));
      } catch {
        // An unreadable checkpoint is no state: the task restores in full wherever it goes.
      }
    }
    return out;
  }

  /** Before tasks become active here: their standbys close, leaving a checkpoint for the restoration. */
  release(ids: Iterable<string>): void {
    for (const id of ids) {
      const standby = this.standbys.get(id);
      if (standby === undefined) continue;
      this.closeOne(id);
    }
  }

  /** Keeps exactly these standby tasks (after a rebalance), then follows their changelogs. */
  assign(ids: readonly string[]): void {
    const wanted = new Set(ids);
    for (const id of [...this.standbys.keys()]) if (!wanted.has(id)) this.closeOne(id);
    for (const id of wanted) {
      if (this.standbys.has(id)) continue;
      const state = this.createTask(parseTaskId(id));
      const stores = new Map<string, KeyValueStore<unknown, unknown>>();
      for (const store of state.task.stores.values()) {
        if (store.persistent() && store.loggingEnabled)
          stores.set(tpKey(store.changelogTopic, state.task.id.partition), store);
      }
      if (stores.size === 0) {
        state.task.close();
        continue;
      }
      for (const [key, offset] of state.checkpoint.read()) if (stores.has(key)) state.changelogOffsets.set(key, offset);
      this.standbys.set(id, { state, stores });
    }
    this.reassign();
  }

  private reassign(): void {
    const tps: TopicPartition[] = [];
    const next = new Map<string, bigint>();
    this.byChangelog.clear();
    for (const [id, { state, stores }] of this.standbys) {
      for (const [key, store] of stores) {
        this.byChangelog.set(key, id);
        tps.push({ topic: store.changelogTopic, partition: state.task.id.partition });
        next.set(key, (state.changelogOffsets.get(key) ?? -1n) + 1n);
      }
    }
    if (tps.length === 0 && this.consumer === undefined) return;
    this.consumer ??= new Consumer<Buffer, Buffer>(this.consumerConfig() as never);
    this.consumer.assign(tps);
    for (const tp of tps) this.consumer.seek(tp, next.get(tpKey(tp.topic, tp.partition)) as bigint);
  }

  /** Applies what the changelogs have; returns at once when there is nothing. */
  async poll(): Promise<void> {
    if (this.consumer === undefined || this.standbys.size === 0) return;
    for (const record of await this.consumer.poll({ timeoutMs: 0 })) {
      const key = tpKey(record.topic, record.partition);
      const id = this.byChangelog.get(key);
      const standby = id === undefined ? undefined : this.standbys.get(id);
      const store = standby?.stores.get(key);
      if (standby === undefined || store === undefined || record.key === null) continue;
      store.inner.put(record.key, record.value);
      standby.state.changelogOffsets.set(key, record.offset);
    }
  }

  /** Flushes the standby stores and writes their checkpoints (on every commit of the instance). */
  checkpoint(): void {
    for (const { state, stores } of this.standbys.values()) {
      const offsets = new Map<string, bigint>();
      for (const [key, store] of stores) {
        store.flush();
        const offset = state.changelogOffsets.get(key);
        if (offset !== undefined) offsets.set(key, offset);
      }
      if (offsets.size > 0) state.checkpoint.write(offsets);
    }
  }

  private closeOne(id: string): void {
    const standby = this.standbys.get(id);
    if (standby === undefined) return;
    this.standbys.delete(id);
    const offsets = new Map<string, bigint>();
    for (const [key, store] of standby.stores) {
      store.flush();
      const offset = standby.state.changelogOffsets.get(key);
      if (offset !== undefined) offsets.set(key, offset);
    }
    if (offsets.size > 0) standby.state.checkpoint.write(offsets);
    standby.state.task.close();
    this.reassign();
  }

  async close(): Promise<void> {
    for (const id of [...this.standbys.keys()]) this.closeOne(id);
    await this.consumer?.close();
    this.consumer = undefined;
  }
}
