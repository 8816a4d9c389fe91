import type { Producer } from '@samsa/client';
import { ConfigException } from '../config/config-def.js';
import type { Connector, Props, SinkTask, SourceTask } from '../connector/connector.js';
import { alreadyExists, badRequest, notFound } from './connect-errors.js';
import { ConnectMetrics } from './connect-metrics.js';
import { type ConnectorOffset, type ConnectorOffsets, notStoppedMessage } from './connector-offsets.js';
import { ensureValidConnectorConfig, validateConnectorConfig } from './connector-validator.js';
import { FileOffsetStore } from './file-offset-store.js';
import type { ConfigInfos, ConnectorInfo, ConnectorStateInfo, Herder, InitialState, StateInfo } from './herder.js';
import { getLogger } from './loggers.js';
import {
  type ConnectorOffsetsContext,
  modifyConnectorOffsets,
  readConnectorOffsets,
} from './modify-connector-offsets.js';
import type { ConnectorPlugin, Plugins } from './plugins.js';
import {
  adminClientProps,
  connectorTaskConfigs,
  createWorkerTask,
  sourceProducer,
  stopWorkerTasks,
} from './task-factory.js';
import type { WorkerConfig } from './worker-config.js';
import { State, traceOf, type WorkerTask } from './worker-task.js';

const log = getLogger('org.apache.kafka.connect.runtime.standalone.StandaloneHerder');

export type { ConfigInfos, ConnectorInfo, ConnectorStateInfo, StateInfo } from './herder.js';

/** What the user asked for: STARTED, PAUSED or STOPPED (KIP-875), as Kafka's TargetState. */
type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

interface ConnectorEntry {
  readonly name: string;
  config: Props;
  plugin: ConnectorPlugin;
  connector: Connector | undefined;
  state: State;
  trace: string | undefined;
  target: TargetState;
  taskConfigs: Props[];
  tasks: WorkerTask[];
  readonly topics: Set<string>;
  producer: Producer<Buffer, Buffer> | undefined;
}

/**
 * The standalone worker's brain (Kafka's StandaloneHerder + Worker): connectors and their tasks in
 * this process, configs in memory (the files given on the command line and REST calls; gone on
 * restart, as in Kafka's standalone mode), source offsets in a file. Operations on one connector
 * are serialized by a per-worker queue so a restart never interleaves with a delete.
 */
export class StandaloneHerder implements Herder {
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly offsets: FileOffsetStore;
  readonly metrics: ConnectMetrics;
  private flushTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  workerId = '';
  kafkaClusterId = '';

  constructor(
    readonly config: WorkerConfig,
    readonly plugins: Plugins,
  ) {
    this.offsets = new FileOffsetStore(config.offsetFile);
    this.metrics = new ConnectMetrics({
      connectorCount: () => [...this.connectors.values()].filter((e) => e.connector !== undefined).length,
      taskCount: () => [...this.connectors.values()].reduce((n, e) => n + e.tasks.length, 0),
    });
  }

  start(workerId: string): void {
    this.workerId = workerId;
    if (this.config.offsetFlushIntervalMs > 0) {
      this.flushTimer = setInterval(() => this.flushOffsets(), this.config.offsetFlushIntervalMs);
      this.flushTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    await this.serial(async () => {
      for (const entry of this.connectors.values()) await this.stopConnector(entry);
    });
    this.flushOffsets();
  }

  private flushOffsets(): void {
    try {
      this.offsets.flush();
    } catch (error) {
      log.error('connect: writing the offset file failed:', error);
    }
  }

  /** Runs `op` after every operation queued before it. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  /**
   * The connector, or a 404 with the message Kafka's standalone herder gives for that call
   * (scripts match on them): `Connector X not found` by default, `No status found for connector
   * X` for status, `Unknown connector X` for pause/resume/stop, `Unknown connector: X` for a
   * restart with includeTasks/onlyFailed.
   */
  private entry(name: string, message = `Connector ${name} not found`): ConnectorEntry {
    const entry = this.connectors.get(name);
    if (entry === undefined) throw notFound(message);
    return entry;
  }

  info(name: string): ConnectorInfo {
    const entry = this.entry(name);
    return {
      name,
      config: { ...entry.config },
      tasks: entry.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: entry.plugin.type,
    };
  }

  status(name: string): ConnectorStateInfo {
    const entry = this.entry(name, `No status found for connector ${name}`);
    return {
      name,
      connector: this.stateInfo(entry.state, entry.trace),
      tasks: entry.tasks.map((t) => ({ id: t.id, ...this.stateInfo(t.state, t.trace) })),
      type: entry.plugin.type,
    };
  }

  taskStatus(name: string, id: number): StateInfo & { id: number } {
    const task = this.entry(name, `No status found for task ${name}-${id}`).tasks.find((t) => t.id === id);
    if (task === undefined) throw notFound(`No status found for task ${name}-${id}`);
    return { id, ...this.stateInfo(task.state, task.trace) };
  }

  taskConfigs(name: string): { id: { connector: string; task: number }; config: Props }[] {
    return this.entry(name).taskConfigs.map((config, task) => ({
      id: { connector: name, task },
      config: { ...config },
    }));
  }

  topics(name: string): string[] {
    // Kafka reads active topics from its status store without checking the connector exists.
    const entry = this.connectors.get(name);
    return entry === undefined ? [] : [...entry.topics].sort();
  }

  private stateInfo(state: State, trace: string | undefined): StateInfo {
    const info: StateInfo = { state, worker_id: this.workerId };
    if (state === State.FAILED && trace !== undefined) info.trace = trace;
    return info;
  }

  /** Kafka's `validateConnectorConfig`: every key of ConnectorConfig and of the connector, with errors. */
  validate(config: Props, pluginName?: string): ConfigInfos {
    return validateConnectorConfig(this.plugins, config, pluginName);
  }

  /**
   * Creates or replaces a connector (POST /connectors, PUT …/config, the command-line files).
   * Invalid configs are refused with Kafka's 400 message listing every error.
   */
  putConnectorConfig(
    name: string,
    config: Props,
    allowReplace: boolean,
    initialState: InitialState = 'RUNNING',
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      const existing = this.connectors.get(name);
      if (existing !== undefined && !allowReplace) throw alreadyExists(`Connector ${name} already exists`);
      const full: Record<string, string> = { ...config, name };
      const plugin = ensureValidConnectorConfig(this.plugins, full);
      if (existing !== undefined) {
        await this.stopConnector(existing);
        existing.config = full;
        existing.plugin = plugin;
        await this.startConnector(existing);
        return { created: false, info: this.info(name) };
      }
      const entry: ConnectorEntry = {
        name,
        config: full,
        plugin,
        connector: undefined,
        state: State.UNASSIGNED,
        trace: undefined,
        target: initialState === 'RUNNING' ? 'STARTED' : initialState,
        taskConfigs: [],
        tasks: [],
        topics: new Set(),
        producer: undefined,
      };
      this.connectors.set(name, entry);
      await this.startConnector(entry);
      return { created: true, info: this.info(name) };
    });
  }

  /** PATCH …/config (KIP-477): keys with a value are set, keys with null removed; 404 if absent. */
  patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo> {
    const merged: Record<string, string> = { ...this.entry(name).config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    return this.putConnectorConfig(name, merged, true).then((r) => r.info);
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name);
      await this.stopConnector(entry);
      this.connectors.delete(name);
      this.flushOffsets();
    });
  }

  pause(name: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name, `Unknown connector ${name}`);
      if (entry.target === 'STOPPED') return;
      entry.target = 'PAUSED';
      if (entry.state === State.RUNNING) entry.state = State.PAUSED;
      for (const task of entry.tasks) task.pause();
    });
  }

  resume(name: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name, `Unknown connector ${name}`);
      const wasStopped = entry.target === 'STOPPED';
      entry.target = 'STARTED';
      if (wasStopped) {
        await this.startConnector(entry);
        return;
      }
      if (entry.state === State.PAUSED) entry.state = State.RUNNING;
      for (const task of entry.tasks) task.resume();
    });
  }

  /** Forgets the topics a connector used (PUT …/topics/reset). */
  resetTopics(name: string): void {
    this.entry(name, `Unknown connector ${name}`).topics.clear();
  }

  /** KIP-875's stop: the connector and its tasks shut down, the task configs are dropped. */
  stopConnectorCommand(name: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name, `Unknown connector ${name}`);
      await this.stopConnector(entry);
      entry.target = 'STOPPED';
      entry.state = State.STOPPED;
      entry.taskConfigs = [];
      this.flushOffsets();
    });
  }

  /**
   * POST …/restart. Without options, the connector instance only (Kafka's old behaviour). With
   * `includeTasks`/`onlyFailed`, the status returned shows RESTARTING for what is restarted.
   */
  restartConnector(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<ConnectorStateInfo> {
    return this.serial(async () => {
      const entry = this.entry(name, includeTasks || onlyFailed ? `Unknown connector: ${name}` : undefined);
      const restartConnector = !onlyFailed || entry.state === State.FAILED;
      const restartTasks = includeTasks ? entry.tasks.filter((t) => !onlyFailed || t.state === State.FAILED) : [];
      const plan = this.status(name);
      if (restartConnector) plan.connector.state = State.RESTARTING;
      for (const t of plan.tasks) if (restartTasks.some((r) => r.id === t.id)) t.state = State.RESTARTING;
      if (entry.target === 'STOPPED') return plan;
      // A connector that failed to start has no tasks: restarting it starts them too.
      if (restartConnector && restartTasks.length === entry.tasks.length) {
        await this.stopConnector(entry);
        await this.startConnector(entry);
      } else {
        if (restartConnector) await this.restartConnectorInstance(entry);
        for (const task of restartTasks) await this.restartTaskOf(entry, task.id);
      }
      return plan;
    });
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name);
      if (entry.taskConfigs[id] === undefined) throw notFound(`Task ${name}-${id} not found`);
      await this.restartTaskOf(entry, id);
    });
  }

  connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return readConnectorOffsets(this.offsetsContext(this.entry(name)));
  }

  /** Serialized with the other operations, so a resume cannot start tasks halfway through. */
  modifyConnectorOffsets(name: string, offsets: readonly ConnectorOffset[] | null): Promise<string> {
    return this.serial(async () => {
      const entry = this.entry(name);
      if (entry.target !== 'STOPPED') throw badRequest(notStoppedMessage(name));
      return modifyConnectorOffsets(this.offsetsContext(entry), offsets);
    });
  }

  private offsetsContext(entry: ConnectorEntry): ConnectorOffsetsContext {
    return {
      name: entry.name,
      config: entry.config,
      plugin: entry.plugin,
      offsets: this.offsets,
      flush: () => this.offsets.flush(),
      adminProps: adminClientProps(this.config),
    };
  }

  private async restartConnectorInstance(entry: ConnectorEntry): Promise<void> {
    try {
      await entry.connector?.stop();
    } catch {
      // a connector failing to stop is restarted anyway
    }
    entry.connector = undefined;
    await this.createConnectorInstance(entry);
  }

  private async restartTaskOf(entry: ConnectorEntry, id: number): Promise<void> {
    const index = entry.tasks.findIndex((t) => t.id === id);
    if (index >= 0) await entry.tasks[index]!.stop();
    const config = entry.taskConfigs[id];
    if (config === undefined || entry.target === 'STOPPED') return;
    const task = this.createTask(entry, id, config);
    if (index >= 0) entry.tasks[index] = task;
    else entry.tasks.push(task);
    await task.start(entry.target === 'PAUSED');
  }

  /** Starts the connector instance; false when it failed (state FAILED with its trace). */
  private async createConnectorInstance(entry: ConnectorEntry): Promise<boolean> {
    const connector = new entry.plugin.ctor();
    connector.initialize({
      requestTaskReconfiguration: () => {
        void this.serial(async () => {
          if (this.connectors.get(entry.name) !== entry || entry.target === 'STOPPED') return;
          await this.stopTasks(entry);
          await this.startTasks(entry);
        });
      },
      raiseError: (error) => {
        entry.state = State.FAILED;
        entry.trace = traceOf(error);
      },
    });
    entry.connector = connector;
    entry.trace = undefined;
    try {
      await connector.start(entry.config);
    } catch (error) {
      entry.state = State.FAILED;
      entry.trace = traceOf(error);
      this.metrics.connectorStartup(false);
      log.error(`connect: connector ${entry.name} failed to start:`, error);
      return false;
    }
    this.metrics.connectorStartup(true);
    entry.state = entry.target === 'PAUSED' ? State.PAUSED : State.RUNNING;
    return true;
  }

  private async startConnector(entry: ConnectorEntry): Promise<void> {
    if (entry.target === 'STOPPED') {
      entry.state = State.STOPPED;
      return;
    }
    if (!(await this.createConnectorInstance(entry))) return;
    await this.startTasks(entry);
  }

  private async startTasks(entry: ConnectorEntry): Promise<void> {
    try {
      entry.taskConfigs = connectorTaskConfigs(entry.connector!, entry.plugin.type, entry.config);
    } catch (error) {
      entry.state = State.FAILED;
      entry.trace = traceOf(error);
      return;
    }
    entry.tasks = entry.taskConfigs.map((config, id) => this.createTask(entry, id, config));
    for (const task of entry.tasks) await task.start(entry.target === 'PAUSED');
  }

  private createTask(entry: ConnectorEntry, id: number, config: Props): WorkerTask {
    return createWorkerTask(
      {
        worker: this.config,
        connector: entry.name,
        connectorConfig: entry.config,
        type: entry.plugin.type,
        taskClass: entry.connector!.taskClass() as new () => SourceTask | SinkTask,
        offsets: this.offsets,
        producer: () => {
          entry.producer ??= sourceProducer(this.config, entry.name);
          return entry.producer;
        },
        onTopic: (topic) => entry.topics.add(topic),
        metrics: this.metrics,
      },
      id,
      config,
    );
  }

  private async stopTasks(entry: ConnectorEntry): Promise<void> {
    await stopWorkerTasks(entry.name, entry.tasks, this.config.taskShutdownTimeoutMs);
    entry.tasks = [];
    if (entry.producer !== undefined) {
      await entry.producer.close().catch(() => {});
      entry.producer = undefined;
    }
    this.flushOffsets();
  }

  private async stopConnector(entry: ConnectorEntry): Promise<void> {
    await this.stopTasks(entry);
    try {
      await entry.connector?.stop();
    } catch (error) {
      log.error(`connect: connector ${entry.name} failed to stop:`, error);
    }
    entry.connector = undefined;
    if (entry.state !== State.FAILED) entry.state = State.UNASSIGNED;
  }
}

export { ConfigException };
