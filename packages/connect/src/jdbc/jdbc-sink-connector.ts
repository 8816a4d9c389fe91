import type { ConfigDef, ConfigValue } from '../config/config-def.js';
import { type Props, SinkConnector, type SinkTask } from '../connector/connector.js';
import { CONNECT_VERSION } from '../version.js';
import { DELETE_ENABLED_CONFIG, parseSinkConfig, SINK_CONFIG_DEF } from './jdbc-sink-config.js';
import { JdbcSinkTask } from './jdbc-sink-task.js';

/**
 * `io.confluent.connect.jdbc.JdbcSinkConnector`: writes records with a STRUCT value schema to the
 * table `table.name.format` names. Every task gets the same config; the worker's consumer group
 * spreads the partitions between them.
 */
export class JdbcSinkConnector extends SinkConnector {
  static readonly CLASS = 'io.confluent.connect.jdbc.JdbcSinkConnector';
  private props: Props = {};

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    parseSinkConfig(props);
    this.props = props;
  }

  taskClass(): new () => SinkTask {
    return JdbcSinkTask;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  stop(): void {}

  config(): ConfigDef {
    return SINK_CONFIG_DEF;
  }

  /** Per-key validation, then `delete.enabled` against `pk.mode` (reported on `delete.enabled`). */
  override validate(props: Props): Map<string, ConfigValue> {
    const values = SINK_CONFIG_DEF.validate(props);
    if ([...values.values()].some((v) => v.errors.length > 0)) return values;
    try {
      parseSinkConfig(props);
    } catch (error) {
      values.get(DELETE_ENABLED_CONFIG)?.errors.push((error as Error).message);
    }
    return values;
  }
}
