import type { Producer } from '@samsa/client';
import type { Connector, Props, SinkTask, SourceTask } from '../connector/connector.js';
import type { ConnectMetrics } from '../runtime/connect-metrics.js';
import { getLogger } from '../runtime/loggers.js';
import type { ConnectorPlugin, Plugins } from '../runtime/plugins.js';
import { connectorTaskConfigs, createWorkerTask, sourceProducer, stopWorkerTasks } from '../runtime/task-factory.js';
import type { WorkerConfig } from '../runtime/worker-config.js';
import { State, traceOf, type WorkerTask } from '../runtime/worker-task.js';
import type { KafkaConfigBackingStore } from '../storage/kafka-config-backing-store.js';
import type { OffsetStore } from '../storage/offset-store.js';

const log = getLogger('org.apache.kafka.connect.runtime.Worker');

/** A connector instance running on this worker. */
export interface LocalConnector {
  readonly name: string;
  /** Undefined when `connector.class` names no known plugin (the connector is FAILED). */
  readonly plugin: ConnectorPlugin | undefined;
  readonly config: Props;
  connector: Connector | undefined;
  state: State;
  trace: string | undefined;
}

/** A task running on this worker. */
export interface LocalTask {
  readonly connector: string;
  readonly id: number;
  readonly task: WorkerTask;
}

export interface WorkerRuntimeOptions {
  readonly worker: WorkerConfig;
  readonly plugins: Plugins;
  /** Read only: configs, task configs and target states as the config topic holds them. */
  readonly configs: KafkaConfigBackingStore;
  readonly offsets: OffsetStore;
  /** Sends buffered source offsets (after tasks stop). */
  readonly flushOffsets: () => Promise<void>;
  /** A running connector wants its task configs computed again (it started, or asked to). */
  readonly onReconfigure: (connector: string) => void;
  /** `exactly.once.source.support=enabled`: source tasks get transactional producers. */
  readonly exactlyOnce?: { readonly groupId: string; readonly offsetTopic: string };
  /** The worker's metrics: connector and task counts, startups, task metrics. */
  readonly metrics?: ConnectMetrics;
}

/**
 * The connectors and tasks this distributed worker runs (the part of Kafka's Worker the
 * DistributedHerder drives): it starts and stops them from the configs in the config topic,
 * shares one producer per source connector, and remembers the topics each connector used. It
 * decides nothing: what runs here is the group's assignment, applied by the herder, which also
 * serializes every call (none of these methods may run concurrently).
 */
export class WorkerRuntime {
  readonly connectors = new Map<string, LocalConnector>();
  readonly tasks = new Map<string, LocalTask>();
  private readonly producers = new Map<string, Producer<Buffer, Buffer>>();
  private readonly topicsUsed = new Map<string, Set<string>>();

  constructor(private readonly options: WorkerRuntimeOptions) {}

  /** Starts the connector instance (or records it STOPPED or FAILED). */
  async startConnector(name: string): Promise<void> {
    const { configs, plugins } = this.options;
    const config = configs.connectorConfigs.get(name);
    if (config === undefined) return;
    let plugin: ConnectorPlugin | undefined;
    let failure: unknown;
    try {
      plugin = plugins.require(config['connector.class'] ?? '');
    } catch (error) {
      failure = error;
    }
    const local: LocalConnector = {
      name,
      plugin,
      config,
      connector: undefined,
      state: State.UNASSIGNED,
      trace: undefined,
    };
    this.connectors.set(name, local);
    if (plugin === undefined) {
      local.state = State.FAILED;
      local.trace = traceOf(failure);
      return;
    }
    const target = configs.targetStates.get(name) ?? 'STARTED';
    if (target === 'STOPPED') {
      local.state = State.STOPPED;
      return;
    }
    const connector = new plugin.ctor();
    connector.initialize({
      requestTaskReconfiguration: () => {
        if (this.connectors.get(name) === local) this.options.onReconfigure(name);
      },
      raiseError: (error) => {
        local.state = State.FAILED;
        local.trace = traceOf(error);
      },
    });
    local.connector = connector;
    try {
      await connector.start(config);
    } catch (error) {
      local.state = State.FAILED;
      local.trace = traceOf(error);
      this.options.metrics?.connectorStartup(false);
      log.error(`connect: connector ${name} failed to start:`, error);
      return;
    }
    this.options.metrics?.connectorStartup(true);
    local.state = target === 'PAUSED' ? State.PAUSED : State.RUNNING;
    this.options.onReconfigure(name);
  }

  /**
   * Stops the connector instance only: its tasks keep running until new task configs replace
   * them, as in Kafka when a connector's config changes. Returns what was running.
   */
  async stopConnector(name: string): Promise<LocalConnector | undefined> {
    const local = this.connectors.get(name);
    if (local === undefined) return undefined;
    this.connectors.delete(name);
    try {
      await local.connector?.stop();
    } catch (error) {
      log.error(`connect: connector ${name} failed to stop:`, error);
    }
    return local;
  }

  /** Stops the connector and its tasks here (revocation, deletion); offsets are flushed. */
  async stopConnectorAndTasks(name: string): Promise<LocalConnector | undefined> {
    const localTasks = [...this.tasks.values()].filter((t) => t.connector === name);
    await stopWorkerTasks(
      name,
      localTasks.map((t) => t.task),
      this.options.worker.taskShutdownTimeoutMs,
    );
    for (const t of localTasks) this.tasks.delete(`${name}-${t.id}`);
    await this.closeProducer(name);
    await this.options.flushOffsets();
    return this.stopConnector(name);
  }

  /** Every connector with something running here. */
  names(): Set<string> {
    return new Set([...this.connectors.keys(), ...[...this.tasks.values()].map((t) => t.connector)]);
  }

  async startTask(name: string, id: number): Promise<void> {
    const { configs, plugins, worker } = this.options;
    const connectorConfig = configs.connectorConfigs.get(name);
    const taskConfig = configs.taskConfigs.get(name)?.[id];
    if (connectorConfig === undefined || taskConfig === undefined) return;
    let plugin: ConnectorPlugin;
    try {
      plugin = plugins.require(connectorConfig['connector.class'] ?? '');
    } catch (error) {
      log.error(`connect: task ${name}-${id} cannot start:`, error);
      return;
    }
    const task = createWorkerTask(
      {
        worker,
        connector: name,
        connectorConfig,
        type: plugin.type,
        taskClass: new plugin.ctor().taskClass() as new () => SourceTask | SinkTask,
        offsets: this.options.offsets,
        producer: () => {
          let producer = this.producers.get(name);
          if (producer === undefined) this.producers.set(name, (producer = sourceProducer(worker, name)));
          return producer;
        },
        ...(this.options.exactlyOnce === undefined ? {} : { exactlyOnce: this.options.exactlyOnce }),
        ...(this.options.metrics === undefined ? {} : { metrics: this.options.metrics }),
        onTopic: (topic) => {
          let set = this.topicsUsed.get(name);
          if (set === undefined) this.topicsUsed.set(name, (set = new Set()));
          set.add(topic);
        },
      },
      id,
      taskConfig,
    );
    this.tasks.set(`${name}-${id}`, { connector: name, id, task });
    await task.start(configs.targetStates.get(name) === 'PAUSED');
  }

  async stopTask(name: string, id: number): Promise<void> {
    const local = this.tasks.get(`${name}-${id}`);
    if (local === undefined) return;
    await stopWorkerTasks(name, [local.task], this.options.worker.taskShutdownTimeoutMs);
    this.tasks.delete(`${name}-${id}`);
    if (![...this.tasks.values()].some((t) => t.connector === name)) await this.closeProducer(name);
  }

  /** Stops the task if it runs here and starts it with its current config (if it still has one). */
  async restartTask(name: string, id: number): Promise<void> {
    const local = this.tasks.get(`${name}-${id}`);
    if (local !== undefined) {
      await stopWorkerTasks(name, [local.task], this.options.worker.taskShutdownTimeoutMs);
      this.tasks.delete(`${name}-${id}`);
    }
    await this.startTask(name, id);
  }

  private async closeProducer(name: string): Promise<void> {
    const producer = this.producers.get(name);
    this.producers.delete(name);
    await producer?.close().catch(() => {});
  }

  /** Applies a new target state to what runs here (KIP-875's STOPPED included). */
  async applyTargetState(name: string): Promise<void> {
    const target = this.options.configs.targetStates.get(name) ?? 'STARTED';
    const local = this.connectors.get(name);
    if (target === 'STOPPED') {
      if (local !== undefined && local.state !== State.STOPPED) {
        await this.stopConnector(name);
        await this.startConnector(name);
      }
      return;
    }
    if (local !== undefined && local.state === State.STOPPED) {
      // Resumed from STOPPED: start it, its tasks come back with the task configs it publishes.
      await this.stopConnector(name);
      await this.startConnector(name);
      return;
    }
    if (local !== undefined && local.state !== State.FAILED) {
      local.state = target === 'PAUSED' ? State.PAUSED : State.RUNNING;
    }
    for (const t of this.tasks.values()) {
      if (t.connector !== name) continue;
      if (target === 'PAUSED') t.task.pause();
      else t.task.resume();
    }
  }

  /**
   * The task configs the running connector asks for now, or undefined when it does not run here
   * (or is failed or stopped). A connector failing to produce them becomes FAILED.
   */
  taskConfigs(name: string): Props[] | undefined {
    const local = this.connectors.get(name);
    if (local?.connector === undefined || local.plugin === undefined) return undefined;
    if (local.state === State.FAILED || local.state === State.STOPPED) return undefined;
    try {
      return connectorTaskConfigs(local.connector, local.plugin.type, local.config);
    } catch (error) {
      local.state = State.FAILED;
      local.trace = traceOf(error);
      return undefined;
    }
  }

  topics(name: string): string[] {
    return [...(this.topicsUsed.get(name) ?? [])].sort();
  }

  resetTopics(name: string): void {
    this.topicsUsed.delete(name);
  }
}
