import type { Props } from '../connector/connector.js';
import type { ConfigKeyInfo } from './config-infos.js';
import type { ConnectMetrics } from './connect-metrics.js';
import type { ConnectorOffset, ConnectorOffsets } from './connector-offsets.js';
import type { ConnectorType, Plugins } from './plugins.js';
import type { State } from './worker-task.js';

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

export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/**
 * What the REST API asks of a worker (Kafka's Herder interface): the standalone herder answers
 * from memory, the distributed one from the cluster's topics (forwarding writes to the leader).
 * Failures are ConnectRestExceptions carrying Kafka's status code and message.
 */
export interface Herder {
  readonly plugins: Plugins;
  readonly kafkaClusterId: string;
  /** Kafka Connect's metrics, served as Prometheus text on `GET /metrics`. */
  readonly metrics: ConnectMetrics;
  connectorNames(): string[];
  info(name: string): ConnectorInfo;
  status(name: string): ConnectorStateInfo;
  taskStatus(name: string, id: number): StateInfo & { id: number };
  taskConfigs(name: string): { id: { connector: string; task: number }; config: Props }[];
  topics(name: string): string[];
  validate(config: Props, pluginName?: string): ConfigInfos;
  putConnectorConfig(
    name: string,
    config: Props,
    allowReplace: boolean,
    initialState?: InitialState,
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  resetTopics(name: string): void;
  stopConnectorCommand(name: string): Promise<void>;
  restartConnector(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<ConnectorStateInfo>;
  restartTask(name: string, id: number): Promise<void>;
  /** KIP-875's `GET …/offsets`: source offsets from the offset store, sink ones from the consumer group. */
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /**
   * KIP-875's `PATCH …/offsets` (`offsets` given, a null offset resets one partition) and `DELETE
   * …/offsets` (`offsets` null: reset all). Only for a STOPPED connector; resolves with Kafka's message.
   */
  modifyConnectorOffsets(name: string, offsets: readonly ConnectorOffset[] | null): Promise<string>;
  /**
   * Distributed only: Kafka's internal endpoint for a connector's new task configs, with the
   * request's signature headers (`X-Connect-Authorization`…) and the body they sign.
   */
  putTaskConfigs?(
    name: string,
    configs: Props[],
    signature: { algorithm: string | undefined; signature: string | undefined; body: string },
  ): Promise<void>;
  /**
   * Distributed only (KIP-976): writes a logging level for every worker of the cluster. Without
   * it (standalone, where the worker is the cluster) `scope=cluster` sets this worker's level.
   */
  setClusterLoggerLevel?(namespace: string, level: string): Promise<void>;
}
