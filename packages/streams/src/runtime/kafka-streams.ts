import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, OffsetSpec } from '@samsa/client';
import { physicalTopic } from '../processor/stream-task.js';
import type { Topology } from '../processor/topology.js';
import { StreamsException } from '../processor/topology-exception.js';
import type { StreamPartitioner, Subtopology } from '../processor/topology-nodes.js';
import type { Serializer } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { InvalidStateStoreException, type StoreQueryParameters } from '../state/queryable-store-types.js';
import { queryableView } from '../state/queryable-view.js';
import { ThreadCache } from '../state/record-cache.js';
import { ProcessingGuarantee, StreamsConfig, type StreamsConfigInput } from '../streams-config.js';
import { ShutdownRequestedException } from './application-shutdown.js';
import { GlobalStateUpdater } from './global-state-updater.js';
import { InteractiveQueryMetadata } from './interactive-query-metadata.js';
import { prepareInternalTopics } from './internal-topic-manager.js';
import { isValidTransition, State, type StateListener } from './kafka-streams-state.js';
import { StandbyTasks } from './standby-tasks.js';
import type { StateRestoreListener } from './state-restore-listener.js';
import { StreamThread, type StreamThreadContext } from './stream-thread.js';
import {
  type StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
  uncaughtExceptionResponse,
} from './stream-thread-exception-handler.js';
import { StreamThreadMetrics } from './stream-thread-metrics.js';
import type { KeyQueryMetadata, StreamsMetadata } from './streams-metadata.js';
import { type StreamsMetric, taskMetrics } from './streams-metric.js';
import { LATEST_OFFSET } from './streams-user-data.js';

/** How long the group leader waits for the changelogs' end offsets (KIP-441 lags), at most half a session. */
const END_OFFSETS_TIMEOUT_MS = 10_000;

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
 *
 * This class is the facade: state, handlers, start and close, interactive queries. The work is
 * the `StreamThread`'s (run loop, commits, rebalances) and its `TaskManager`'s (tasks, restoration).
 */
export class KafkaStreams {
  /** Java's nested enum: `KafkaStreams.State.RUNNING`. */
  static readonly State = State;
  readonly config: StreamsConfig;
  private stateValue: State = State.CREATED;
  private stateListener: StateListener | undefined;
  private restoreListener: StateRestoreListener | undefined;
  private uncaughtExceptionHandler: StreamsUncaughtExceptionHandler | undefined;
  /** The stream thread's number in its client ids (`…-StreamThread-<n>`); a replacement thread takes the next. */
  private threadIndex = 1;
  /** One set for the instance: a replacement thread's counts go on from the dead one's. */
  private readonly threadMetrics = new StreamThreadMetrics();
  /** When start() was called: only SHUTDOWN_APPLICATION requests made since then stop this instance. */
  private startedAtMs = 0;
  private readonly subtopologies: Subtopology[];
  private admin: Admin | undefined;
  private thread: StreamThread | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly eos: boolean;
  private readonly partitionCounts = new Map<string, number>();
  /** The record cache of this instance's one stream thread, shared by its tasks' caching stores. */
  private readonly threadCache: ThreadCache;
  /** The global stores (GlobalKTables), fed from every partition of their topics. */
  private readonly globals: GlobalStateUpdater;
  /** Where the stores and keys are across instances (`application.server`, the group's assignment). */
  private readonly queryMetadata: InteractiveQueryMetadata;
  /** `num.standby.replicas`: other instances' tasks whose stores this one keeps warm. */
  private readonly standbys: StandbyTasks;
  /** KIP-441: when the last assignment asked this instance to rejoin (warm-ups to check), or -1. */
  private nextProbingRebalanceMs = -1;

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
      // Standbys are assigned only from the stream thread's rebalance callback: the thread exists.
      (id) => (this.thread as StreamThread).createStandbyTask(id),
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
      {
        taskOffsetSums: () => {
          const sums = this.standbys.taskOffsetSums();
          for (const id of this.thread?.taskIds() ?? []) sums.set(id, LATEST_OFFSET);
          return sums;
        },
        endOffsets: async (partitions) => {
          // The group leader waits for this between JoinGroup and SyncGroup, without heartbeats:
          // give up well before a session timeout (the assignor then keeps tasks where they ran).
          const sessionTimeoutMs = Number(this.config.clientOverrides.consumer['session.timeout.ms'] ?? 45_000);
          const waitMs = Math.min(END_OFFSETS_TIMEOUT_MS, sessionTimeoutMs / 2);
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${waitMs} ms`)), waitMs);
          });
          try {
            const listed = await Promise.race([
              (this.admin as Admin).listOffsets(partitions.map((tp) => ({ ...tp, timestamp: OffsetSpec.LATEST }))),
              timeout,
            ]);
            return new Map(listed.map((l) => [`${l.topic}:${l.partition}`, l.offset]));
          } finally {
            clearTimeout(timer);
          }
        },
        onAssignmentInfo: (info) => {
          this.nextProbingRebalanceMs = info.nextProbingRebalanceMs;
        },
      },
    );
  }

  /**
   * Java's `metrics()`, as far as Samsa keeps them: the stream thread's `stream-thread-metrics`
   * (process, poll, commit, punctuate, task-created/closed) and, per task this instance runs,
   * `dropped-records-total`, `process-total`/`-rate` and `record-lateness-avg`/`-max`.
   */
  metrics(): StreamsMetric[] {
    const tasks = this.thread?.allTasks() ?? [];
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
    const thread = new StreamThread(this.threadContext(), this.threadIndex);
    this.thread = thread;
    try {
      await thread.openClients();
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
    this.loop = this.run(thread);
  }

  /** What every stream thread of this instance shares with it. */
  private threadContext(): StreamThreadContext {
    return {
      topology: this.topology,
      config: this.config,
      subtopologies: this.subtopologies,
      eos: this.eos,
      threadCache: this.threadCache,
      threadMetrics: this.threadMetrics,
      partitionCounts: this.partitionCounts,
      signal: this.abort.signal,
      globals: this.globals,
      standbys: this.standbys,
      startedAtMs: this.startedAtMs,
      globalStore: (name) => this.globals.store(name),
      restoreListener: () => this.restoreListener,
      assignors: () => this.queryMetadata.assignors(),
      refreshMetadata: async () => {
        if (this.admin !== undefined) await this.queryMetadata.refresh(this.admin);
        return this.queryMetadata.state.standbyTasks();
      },
      setState: (next) => this.setState(next),
      probingRebalanceDue: (nowMs) => {
        if (this.nextProbingRebalanceMs < 0 || nowMs < this.nextProbingRebalanceMs) return false;
        this.nextProbingRebalanceMs = -1;
        return true;
      },
    };
  }

  /** Subscribes the thread and runs it; an error that kills it goes to the uncaught exception handler. */
  private run(thread: StreamThread): Promise<void> {
    return thread.start().catch((error: unknown) => this.fail(error as Error));
  }

  private async fail(error: Error): Promise<void> {
    // Java asks the handler first, then acts on its answer.
    // Another instance's SHUTDOWN_APPLICATION is not this thread's error: no handler, as in Java.
    const response =
      error instanceof ShutdownRequestedException
        ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
        : uncaughtExceptionResponse(this.uncaughtExceptionHandler, error);
    if (response === StreamThreadExceptionResponse.SHUTDOWN_APPLICATION) {
      await this.thread?.requestApplicationShutdown();
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
    await this.thread?.abandonTasks(false);
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
    const dead = this.thread as StreamThread;
    await dead.abandonTasks(this.eos);
    await dead.closeClients();
    this.threadIndex++;
    const thread = new StreamThread(this.threadContext(), this.threadIndex);
    this.thread = thread;
    await thread.openClients();
    this.setState(State.REBALANCING);
    this.loop = this.run(thread);
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
      for (const task of this.thread?.activeTasks() ?? []) {
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
    const thread = this.thread;
    if (started && thread !== undefined) {
      try {
        await thread.commit();
      } finally {
        thread.closeTasks();
        await this.standbys.close();
        await this.closeClients();
      }
    }
    this.setState(State.NOT_RUNNING);
  }

  private async closeClients(): Promise<void> {
    await Promise.allSettled([this.thread?.closeClients(), this.admin?.close(), this.globals.close()]);
  }

  /** Deletes this application's local state (`state.dir/<application.id>`); only while not running. */
  cleanUp(): void {
    if (this.stateValue !== State.CREATED && this.stateValue !== State.NOT_RUNNING && this.stateValue !== State.ERROR) {
      throw new StreamsException('IllegalStateException: Cannot clean up while running.');
    }
    rmSync(join(this.config.stateDir, this.config.applicationId), { recursive: true, force: true });
  }
}
