import type { ConsumerRecord } from '@samsa/client';
import { ConfigException } from '../config/config-def.js';
import type { Props } from '../connector/connector.js';
import { getLogger } from '../runtime/loggers.js';
import { KafkaBasedLog, type TopicSettings } from './kafka-based-log.js';

const log = getLogger('org.apache.kafka.connect.storage.KafkaConfigBackingStore');

/** What the user asked a connector to be (Kafka's TargetState; STOPPED is KIP-875's). */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** The cluster's key for signing internal requests (KIP-507), as the leader last wrote it. */
export interface SessionKey {
  readonly key: Buffer;
  readonly algorithm: string;
  readonly creationTimestampMs: number;
}

/** What changed in the config topic, told to the herder after each record is applied. */
export interface ConfigUpdateListener {
  onConnectorConfigUpdate(connector: string): void;
  onConnectorConfigRemove(connector: string): void;
  onTaskConfigUpdate(connector: string): void;
  onConnectorTargetStateChange(connector: string): void;
  /** KIP-976: a cluster-wide level for a logging namespace, written after this worker started. */
  onLoggingLevelUpdate?(namespace: string, level: string): void;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/**
 * The cluster's connector configs in `config.storage.topic` (Kafka's KafkaConfigBackingStore),
 * in Kafka's record formats so Java and Samsa workers read each other's topic. Every value is
 * JSON as Kafka's JsonConverter writes it with `schemas.enable=false`:
 *
 * | key | value |
 * | --- | --- |
 * | `connector-<name>` | `{"properties":{…}}`, tombstone on delete |
 * | `target-state-<name>` | `{"state":"PAUSED","state.v2":"STOPPED"}` (`state` is PAUSED for STOPPED, for pre-KIP-875 readers), tombstone on delete |
 * | `task-<name>-<n>` | `{"properties":{…}}` |
 * | `commit-<name>` | `{"tasks":<count>}`: the task records before it become the connector's tasks |
 * | `session-key` | `{"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":<ms>}` (sessioned protocol) |
 * | `logger-cluster-<namespace>` | `{"level":"DEBUG"}` (KIP-976) |
 *
 * Task configs are applied only when their commit arrives and every task below the count has
 * been seen, so a worker that crashed between task records never leaves a half-written set.
 * State changes only by replaying records (`apply`), so a worker's own writes take effect when
 * it reads them back, in the same order as on every other worker.
 */
export class KafkaConfigBackingStore {
  readonly connectorConfigs = new Map<string, Props>();
  readonly targetStates = new Map<string, TargetState>();
  readonly taskConfigs = new Map<string, Props[]>();
  private readonly deferredTasks = new Map<string, Map<number, Props>>();
  sessionKey: SessionKey | undefined;
  /** Offset of the last record applied, -1n before any (the protocol's config offset). */
  offset = -1n;
  /**
   * Set once the topic has been read to its end at startup. Logger levels written before that
   * are not applied: as in Kafka, a cluster-wide level reaches the workers running when it is
   * set, not those that join later (which start from their own logging configuration).
   */
  private started = false;
  private readonly log: KafkaBasedLog;

  constructor(
    topic: TopicSettings,
    clientProps: Readonly<Record<string, string>>,
    clientIdPrefix: string,
    private readonly listener: ConfigUpdateListener,
    readCommitted = false,
  ) {
    this.log = new KafkaBasedLog({
      topic,
      clientProps,
      clientIdPrefix: `${clientIdPrefix}-configs`,
      consume: (record) => this.apply(record),
      readCommitted,
    });
  }

  async start(): Promise<void> {
    await this.log.start();
    const count = this.log.partitionCount;
    if (count !== 1) {
      await this.log.stop();
      // Kafka's message: records of one connector must stay in order.
      throw new ConfigException(
        `Topic '${this.log.topic}' supplied via the 'config.storage.topic' property is required to have a single partition in order to guarantee consistency of connector configurations, but found ${count} partitions.`,
      );
    }
    this.started = true;
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  /** Waits until this worker has read every config written so far (Kafka's `refresh`). */
  refresh(): Promise<void> {
    return this.log.readToEnd();
  }

  async putConnectorConfig(connector: string, properties: Props, targetState?: TargetState): Promise<void> {
    if (targetState !== undefined) await this.putTargetState(connector, targetState);
    await this.log.send(utf8(`connector-${connector}`), utf8(JSON.stringify({ properties })));
  }

  async removeConnectorConfig(connector: string): Promise<void> {
    await this.log.send(utf8(`connector-${connector}`), null);
    await this.log.send(utf8(`target-state-${connector}`), null);
  }

  async putTargetState(connector: string, state: TargetState): Promise<void> {
    const value = { state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state };
    await this.log.send(utf8(`target-state-${connector}`), utf8(JSON.stringify(value)));
  }

  async putSessionKey(sessionKey: SessionKey): Promise<void> {
    const value = {
      key: sessionKey.key.toString('base64'),
      algorithm: sessionKey.algorithm,
      'creation-timestamp': sessionKey.creationTimestampMs,
    };
    await this.log.send(utf8('session-key'), utf8(JSON.stringify(value)));
  }

  /** KIP-976's cluster-scoped level: any worker writes it, every running worker applies it on reading it back. */
  async putLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.log.send(utf8(`logger-cluster-${namespace}`), utf8(JSON.stringify({ level })));
  }

  /** Writes the task records then the commit that makes them current. */
  async putTaskConfigs(connector: string, configs: readonly Props[]): Promise<void> {
    for (const [index, properties] of configs.entries()) {
      await this.log.send(utf8(`task-${connector}-${index}`), utf8(JSON.stringify({ properties })));
    }
    await this.log.send(utf8(`commit-${connector}`), utf8(JSON.stringify({ tasks: configs.length })));
  }

  /** Replays one record of the topic. Unknown keys are skipped, as a newer Kafka's would be. */
  private apply(record: ConsumerRecord<Buffer, Buffer>): void {
    this.offset = record.offset;
    const key = record.key?.toString('utf8') ?? '';
    const value = record.value === null ? null : (JSON.parse(record.value.toString('utf8')) as Record<string, unknown>);
    if (key === 'session-key') {
      if (value === null) return;
      this.sessionKey = {
        key: Buffer.from(String(value.key), 'base64'),
        algorithm: String(value.algorithm),
        creationTimestampMs: Number(value['creation-timestamp']),
      };
    } else if (key.startsWith('logger-cluster-')) {
      if (value === null || typeof value.level !== 'string') return;
      if (this.started) this.listener.onLoggingLevelUpdate?.(key.slice('logger-cluster-'.length), value.level);
    } else if (key.startsWith('connector-')) {
      const name = key.slice('connector-'.length);
      if (value === null) {
        this.connectorConfigs.delete(name);
        this.taskConfigs.delete(name);
        this.deferredTasks.delete(name);
        this.targetStates.delete(name);
        this.listener.onConnectorConfigRemove(name);
        return;
      }
      this.connectorConfigs.set(name, propertiesOf(value));
      if (!this.targetStates.has(name)) this.targetStates.set(name, 'STARTED');
      this.listener.onConnectorConfigUpdate(name);
    } else if (key.startsWith('target-state-')) {
      const name = key.slice('target-state-'.length);
      if (value === null) return;
      const state = (value['state.v2'] ?? value.state) as string;
      if (state !== 'STARTED' && state !== 'PAUSED' && state !== 'STOPPED') return;
      this.targetStates.set(name, state);
      this.listener.onConnectorTargetStateChange(name);
    } else if (key.startsWith('task-')) {
      const match = /^task-(.*)-(\d+)$/.exec(key);
      if (match === null || value === null) return;
      const name = match[1]!;
      let deferred = this.deferredTasks.get(name);
      if (deferred === undefined) this.deferredTasks.set(name, (deferred = new Map()));
      deferred.set(Number(match[2]), propertiesOf(value));
    } else if (key.startsWith('commit-')) {
      const name = key.slice('commit-'.length);
      if (value === null) return;
      const count = Number(value.tasks);
      const deferred = this.deferredTasks.get(name) ?? new Map<number, Props>();
      const configs: Props[] = [];
      for (let i = 0; i < count; i++) {
        const config = deferred.get(i);
        if (config === undefined) {
          log.error(`connect: ignoring commit of ${count} task(s) for ${name}: task ${i} is missing`);
          return;
        }
        configs.push(config);
      }
      this.deferredTasks.delete(name);
      this.taskConfigs.set(name, configs);
      this.listener.onTaskConfigUpdate(name);
    }
  }
}

function propertiesOf(value: Record<string, unknown>): Props {
  const properties = value.properties;
  if (typeof properties !== 'object' || properties === null) throw new Error('no "properties" map');
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)]));
}
