import type { Props } from '../connector/connector.js';
import { notFound } from '../runtime/connect-errors.js';
import type { ConnectorInfo, ConnectorStateInfo, StateInfo } from '../runtime/herder.js';
import type { Plugins } from '../runtime/plugins.js';
import { State } from '../runtime/worker-task.js';
import type { KafkaConfigBackingStore } from '../storage/kafka-config-backing-store.js';
import type { KafkaStatusBackingStore } from '../storage/kafka-status-backing-store.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * The REST API's reads on a distributed worker: connectors and task configs from the config
 * topic, states of this worker's own connectors and tasks from its runtime (fresher than its
 * last status record), and everyone else's from the status topic. A 404 carries the message
 * Kafka gives for that call.
 */
export class ClusterView {
  constructor(
    private readonly configs: KafkaConfigBackingStore,
    private readonly statuses: KafkaStatusBackingStore,
    private readonly runtime: WorkerRuntime,
    private readonly plugins: Plugins,
    private readonly workerId: () => string,
  ) {}

  connectorNames(): string[] {
    return [...this.configs.connectorConfigs.keys()].sort();
  }

  /** The connector's config, or a 404 with `message`. */
  connectorConfig(name: string, message = `Connector ${name} not found`): Props {
    const config = this.configs.connectorConfigs.get(name);
    if (config === undefined) throw notFound(message);
    return config;
  }

  private typeOf(config: Props): 'source' | 'sink' {
    return this.plugins.find(config['connector.class'] ?? '')?.type ?? 'source';
  }

  info(name: string): ConnectorInfo {
    const config = this.connectorConfig(name);
    const tasks = this.configs.taskConfigs.get(name) ?? [];
    return {
      name,
      config: { ...config },
      tasks: tasks.map((_, task) => ({ connector: name, task })),
      type: this.typeOf(config),
    };
  }

  status(name: string): ConnectorStateInfo {
    const config = this.connectorConfig(name, `No status found for connector ${name}`);
    const local = this.runtime.connectors.get(name);
    const stored = this.statuses.connectors.get(name);
    const connector: StateInfo =
      local !== undefined
        ? stateInfo(local.state, local.trace, this.workerId())
        : stored !== undefined
          ? stateInfo(stored.state as State, stored.trace ?? undefined, stored.worker_id)
          : { state: State.UNASSIGNED, worker_id: '' };
    const count = this.configs.taskConfigs.get(name)?.length ?? 0;
    const tasks: (StateInfo & { id: number })[] = [];
    for (let id = 0; id < count; id++) {
      const info = this.taskStateInfo(name, id);
      if (info !== undefined) tasks.push({ id, ...info });
    }
    return { name, connector, tasks, type: this.typeOf(config) };
  }

  private taskStateInfo(name: string, id: number): StateInfo | undefined {
    const local = this.runtime.tasks.get(`${name}-${id}`);
    if (local !== undefined) return stateInfo(local.task.state, local.task.trace, this.workerId());
    const stored = this.statuses.tasks.get(name)?.get(id);
    if (stored === undefined) return undefined;
    return stateInfo(stored.state as State, stored.trace ?? undefined, stored.worker_id);
  }

  taskStatus(name: string, id: number): StateInfo & { id: number } {
    const info = this.configs.connectorConfigs.has(name) ? this.taskStateInfo(name, id) : undefined;
    if (info === undefined) throw notFound(`No status found for task ${name}-${id}`);
    return { id, ...info };
  }

  taskConfigs(name: string): { id: { connector: string; task: number }; config: Props }[] {
    this.connectorConfig(name);
    return (this.configs.taskConfigs.get(name) ?? []).map((config, task) => ({
      id: { connector: name, task },
      config: { ...config },
    }));
  }
}

function stateInfo(state: State, trace: string | undefined, workerId: string): StateInfo {
  const info: StateInfo = { state, worker_id: workerId };
  if (state === State.FAILED && trace !== undefined) info.trace = trace;
  return info;
}
