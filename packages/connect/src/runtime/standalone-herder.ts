import { Consumer, Producer } from '@samsa/client';
import { ConfigException, type ConfigKey, type ConfigValue, convertToString } from '../config/config-def.js';
import type { SinkRecord, SourceRecord } from '../connector/connect-record.js';
import type { Connector, Props, SinkTask, SourceTask } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import { createConverter } from '../converters/converters.js';
import { buildTransformationChain, validateTransformations } from '../transforms/transformation-chain.js';
import { type ConfigKeyInfo, configKeyInfo } from './config-infos.js';
import { alreadyExists, badRequest, notFound } from './connect-errors.js';
import { connectorConfigDef, validateSinkTopics } from './connector-config.js';
import { DeadLetterQueue, ErrorReporter, errorHandlingConfig } from './error-handling.js';
import { FileOffsetStore } from './file-offset-store.js';
import type { ConnectorPlugin, ConnectorType, Plugins } from './plugins.js';
import type { WorkerConfig } from './worker-config.js';
import { WorkerSinkTask } from './worker-sink-task.js';
import { WorkerSourceTask } from './worker-source-task.js';
import { State, traceOf, type WorkerTask } from './worker-task.js';

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

export interface ConnectorInfo {
  name: string;
  config: Props;
  tasks: { connector: string; task: number }[];
  type: ConnectorType;
}

export interface StateInfo {
  state: State;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStateInfo {
  name: string;
  connector: StateInfo;
  tasks: (StateInfo & { id: number })[];
  type: ConnectorType;
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: {
    definition: ConfigKeyInfo;
    value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
  }[];
}

/**
 * The standalone worker's brain (Kafka's StandaloneHerder + Worker): connectors and their tasks in
 * this process, configs in memory (the files given on the command line and REST calls; gone on
 * restart, as in Kafka's standalone mode), source offsets in a file. Operations on one connector
 * are serialized by a per-worker queue so a restart never interleaves with a delete.
 */
export class StandaloneHerder {
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly offsets: FileOffsetStore;
  private flushTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  workerId = '';
  kafkaClusterId = '';

  constructor(
    readonly config: WorkerConfig,
    readonly plugins: Plugins,
  ) {
    this.offsets = new FileOffsetStore(config.offsetFile);
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
      console.error('connect: writing the offset file failed:', error);
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
    const className = config['connector.class'];
    if (className === undefined || className.trim() === '') {
      throw badRequest(`Connector config ${javaMap(config)} contains no connector type`);
    }
    let plugin: ConnectorPlugin;
    try {
      plugin = this.plugins.require(className);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    if (pluginName !== undefined && this.plugins.find(pluginName) !== plugin) {
      throw badRequest(`Included connector type ${className} does not match request type ${pluginName}`);
    }
    const common = connectorConfigDef(plugin.type);
    const commonValues = common.validate(config);
    for (const key of ['key.converter', 'value.converter'] as const) {
      const value = config[key];
      if (value === undefined) continue;
      try {
        createConverter(key, value, config, key === 'key.converter');
      } catch (error) {
        commonValues.get(key)?.errors.push((error as Error).message);
      }
    }
    if (plugin.type === 'sink') validateSinkTopics(commonValues, config);
    const transforms = validateTransformations(config);
    commonValues.get('transforms')?.errors.push(...transforms.listErrors.transforms);
    commonValues.get('predicates')?.errors.push(...transforms.listErrors.predicates);
    const connector = new plugin.ctor();
    const own = connector.config();
    let ownValues: Map<string, ConfigValue>;
    try {
      ownValues = connector.validate(config);
    } catch (error) {
      ownValues = new Map();
      commonValues.get('connector.class')?.errors.push((error as Error).message);
    }
    const groups: string[] = [];
    const configs: ConfigInfos['configs'] = [];
    let errorCount = 0;
    const add = (key: ConfigKey, value: ConfigValue | undefined) => {
      if (key.group !== undefined && !groups.includes(key.group)) groups.push(key.group);
      const errors = value?.errors ?? [];
      errorCount += errors.length;
      configs.push({
        definition: configKeyInfo(key),
        value: {
          name: key.name,
          value: value === undefined ? null : valueString(value.value, key),
          recommended_values: (value?.recommendedValues ?? []).map(String),
          errors: [...errors],
          visible: value?.visible ?? true,
        },
      });
    };
    for (const key of common.keys()) add(key, commonValues.get(key.name));
    for (const key of transforms.keys) add(key, transforms.values.get(key.name));
    for (const key of own.keys()) if (common.key(key.name) === undefined) add(key, ownValues.get(key.name));
    return { name: plugin.className, error_count: errorCount, groups, configs };
  }

  /**
   * Creates or replaces a connector (POST /connectors, PUT …/config, the command-line files).
   * Invalid configs are refused with Kafka's 400 message listing every error.
   */
  putConnectorConfig(
    name: string,
    config: Props,
    allowReplace: boolean,
    initialState: 'RUNNING' | 'PAUSED' | 'STOPPED' = 'RUNNING',
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      const existing = this.connectors.get(name);
      if (existing !== undefined && !allowReplace) throw alreadyExists(`Connector ${name} already exists`);
      const full: Record<string, string> = { ...config, name };
      const result = this.validate(full);
      if (result.error_count > 0) {
        const messages = result.configs.flatMap((c) => c.value.errors);
        throw badRequest(
          `Connector configuration is invalid and contains the following ${result.error_count} error(s):\n${messages.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
        );
      }
      const plugin = this.plugins.require(full['connector.class']!);
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
      console.error(`connect: connector ${entry.name} failed to start:`, error);
      return false;
    }
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
    const tasksMax = Number(entry.config['tasks.max'] ?? '1');
    let configs: Props[];
    try {
      configs = entry.connector!.taskConfigs(tasksMax).slice(0, tasksMax);
    } catch (error) {
      entry.state = State.FAILED;
      entry.trace = traceOf(error);
      return;
    }
    const taskClass = entry.connector!.taskClass();
    const taskClassName = (taskClass as unknown as { CLASS?: string }).CLASS ?? taskClass.name;
    entry.taskConfigs = configs.map((c) => {
      const config: Record<string, string> = { ...c, 'task.class': taskClassName };
      if (entry.plugin.type === 'sink') {
        if (entry.config.topics !== undefined) config.topics = entry.config.topics;
        if (entry.config['topics.regex'] !== undefined) config['topics.regex'] = entry.config['topics.regex'];
      }
      return config;
    });
    entry.tasks = entry.taskConfigs.map((config, id) => this.createTask(entry, id, config));
    for (const task of entry.tasks) await task.start(entry.target === 'PAUSED');
  }

  private converters(entry: ConnectorEntry): {
    key: Converter;
    value: Converter;
    keyClass: string;
    valueClass: string;
  } {
    const className = (key: 'key.converter' | 'value.converter'): string =>
      (entry.config[key] ?? this.config.props[key]!).trim();
    const pick = (key: 'key.converter' | 'value.converter'): Converter => {
      const own = entry.config[key];
      const source = own !== undefined ? entry.config : this.config.props;
      return createConverter(key, className(key), source, key === 'key.converter');
    };
    return {
      key: pick('key.converter'),
      value: pick('value.converter'),
      keyClass: className('key.converter'),
      valueClass: className('value.converter'),
    };
  }

  private createTask(entry: ConnectorEntry, id: number, config: Props): WorkerTask {
    const { key, value, keyClass, valueClass } = this.converters(entry);
    const onTopic = (topic: string) => entry.topics.add(topic);
    const errorConfig = errorHandlingConfig(entry.config);
    const common = {
      connector: entry.name,
      id,
      config,
      keyConverter: key,
      valueConverter: value,
      keyConverterClass: keyClass,
      valueConverterClass: valueClass,
      onTopic,
    };
    const taskClass = entry.connector!.taskClass();
    if (entry.plugin.type === 'source') {
      entry.producer ??= new Producer<Buffer, Buffer>({
        ...this.config.producerProps,
        'bootstrap.servers': this.config.bootstrapServers,
        'client.id': `connector-producer-${entry.name}-0`,
        keySerializer: 'buffer',
        valueSerializer: 'buffer',
      });
      return new WorkerSourceTask({
        ...common,
        taskClass: taskClass as new () => SourceTask,
        producer: entry.producer,
        offsets: this.offsets,
        transformations: buildTransformationChain<SourceRecord>(entry.config),
        // Kafka's source tasks have no dead letter queue.
        errors: new ErrorReporter(entry.name, id, errorConfig, undefined),
      });
    }
    const regex = (config['topics.regex'] ?? '').trim();
    const topics =
      regex !== '' ? new RegExp(`^(?:${regex})$`) : (config.topics ?? '').split(/\s*,\s*/).filter((t) => t !== '');
    const consumer = new Consumer<Buffer, Buffer>({
      'auto.offset.reset': 'earliest',
      ...this.config.consumerProps,
      'bootstrap.servers': this.config.bootstrapServers,
      'group.id': `connect-${entry.name}`,
      'client.id': `connector-consumer-${entry.name}-${id}`,
      'enable.auto.commit': false,
      keyDeserializer: 'buffer',
      valueDeserializer: 'buffer',
    });
    const clientProps: Record<string, string> = { 'bootstrap.servers': this.config.bootstrapServers };
    for (const [k, v] of Object.entries(this.config.props)) {
      if (/^(security\.protocol|sasl\.|ssl\.)/.test(k)) clientProps[k] = v;
    }
    const dlq =
      errorConfig.dlqTopic === ''
        ? undefined
        : new DeadLetterQueue(errorConfig.dlqTopic, errorConfig.dlqReplicationFactor, clientProps, {
            ...this.config.producerProps,
            'client.id': `connector-dlq-producer-${entry.name}-${id}`,
          });
    return new WorkerSinkTask({
      ...common,
      taskClass: taskClass as new () => SinkTask,
      consumer,
      topics,
      offsetFlushIntervalMs: this.config.offsetFlushIntervalMs,
      transformations: buildTransformationChain<SinkRecord>(entry.config),
      errors: new ErrorReporter(entry.name, id, errorConfig, dlq),
    });
  }

  private async stopTasks(entry: ConnectorEntry): Promise<void> {
    const timeoutMs = this.config.taskShutdownTimeoutMs;
    await Promise.all(
      entry.tasks.map((task) =>
        Promise.race([
          task.stop(),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()).then(() =>
            console.error(`connect: task ${entry.name}-${task.id} did not stop within ${timeoutMs} ms`),
          ),
        ]),
      ),
    );
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
      console.error(`connect: connector ${entry.name} failed to stop:`, error);
    }
    entry.connector = undefined;
    if (entry.state !== State.FAILED) entry.state = State.UNASSIGNED;
  }
}

function valueString(value: unknown, key: ConfigKey): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return key.type === 'PASSWORD' ? '[hidden]' : value;
  return convertToString(value, key.type);
}

/** Java's `Map.toString`: `{a=1, b=2}`, for Kafka's messages that quote a config. */
function javaMap(config: Props): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

export { ConfigException };
