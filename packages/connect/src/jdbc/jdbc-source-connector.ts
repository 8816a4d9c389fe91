import type { ConfigDef, ConfigValue } from '../config/config-def.js';
import { type Props, SourceConnector, type SourceTask } from '../connector/connector.js';
import { CONNECT_VERSION } from '../version.js';
import { openDialect } from './dialect/dialects.js';
import {
  DEFAULT_TABLE_POLL_INTERVAL_MS,
  type JdbcSourceConfig,
  parseSourceConfig,
  SOURCE_CONFIG_DEF,
  TABLE_POLL_INTERVAL_MS_CONFIG,
  TABLES_CONFIG,
} from './jdbc-source-connector-config.js';
import { JdbcSourceTask } from './jdbc-source-task.js';
import { type TableId, tableFqn } from './table-id.js';
import { TableMonitor } from './table-monitor.js';

/**
 * `io.confluent.connect.jdbc.JdbcSourceConnector`: copies tables (or the result of `query`) to
 * topics named `topic.prefix` + table name. The tables are listed when the connector starts, and
 * again every `table.poll.interval.ms` (a change reconfigures the tasks), and split across at
 * most `tasks.max` tasks, in contiguous groups as Kafka's `ConnectorUtils.groupPartitions` does;
 * query mode has one task.
 */
export class JdbcSourceConnector extends SourceConnector {
  static readonly CLASS = 'io.confluent.connect.jdbc.JdbcSourceConnector';
  private props: Props = {};
  private parsed: JdbcSourceConfig | undefined;
  private tables: TableId[] = [];
  private monitor: TableMonitor | undefined;

  version(): string {
    return CONNECT_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.parsed = parseSourceConfig(props);
    this.props = props;
    if (this.parsed.query !== '') return;
    this.tables = await this.listTables();
    this.monitor = new TableMonitor(
      this.tables,
      () => this.listTables(),
      Number(props[TABLE_POLL_INTERVAL_MS_CONFIG] ?? DEFAULT_TABLE_POLL_INTERVAL_MS),
      (tables) => {
        this.tables = tables;
        this.context?.requestTaskReconfiguration();
      },
    );
    this.monitor.start();
  }

  /** The tables the filters keep, with a connection of its own (closed after). */
  private async listTables(): Promise<TableId[]> {
    const dialect = openDialect(this.props);
    try {
      const all = await dialect.tableIds(this.parsed!.schemaPattern);
      return all.filter((t) => this.wanted(t));
    } finally {
      await dialect.close();
    }
  }

  private wanted(table: TableId): boolean {
    const c = this.parsed!;
    const names = [tableFqn(table), table.table];
    const listed = (list: readonly string[]) => list.some((entry) => names.includes(entry.trim()));
    const matched = (list: readonly RegExp[]) => list.some((re) => names.some((n) => re.test(n)));
    if (c.whitelist.length > 0 && !listed(c.whitelist)) return false;
    if (c.blacklist.length > 0 && listed(c.blacklist)) return false;
    if (c.includeList.length > 0 && !matched(c.includeList)) return false;
    if (c.excludeList.length > 0 && matched(c.excludeList)) return false;
    return true;
  }

  taskClass(): new () => SourceTask {
    return JdbcSourceTask;
  }

  taskConfigs(maxTasks: number): Props[] {
    if (this.parsed !== undefined && this.parsed.query !== '') return [{ ...this.props }];
    // No table (yet): one idle task, as Confluent keeps one until the monitor finds tables.
    if (this.tables.length === 0) return [{ ...this.props, [TABLES_CONFIG]: '[]' }];
    const groups = Math.min(Math.max(1, maxTasks), this.tables.length);
    const out: Props[] = [];
    // Contiguous groups, the first `extra` one table larger, as groupPartitions.
    const base = Math.floor(this.tables.length / Math.max(1, groups));
    const extra = this.tables.length % Math.max(1, groups);
    let at = 0;
    for (let i = 0; i < groups; i++) {
      const size = base + (i < extra ? 1 : 0);
      const group = this.tables.slice(at, at + size).map(tableFqn);
      at += size;
      out.push({ ...this.props, [TABLES_CONFIG]: JSON.stringify(group) });
    }
    return out;
  }

  stop(): void {
    this.monitor?.stop();
  }

  config(): ConfigDef {
    return SOURCE_CONFIG_DEF;
  }

  /** Per-key validation, then Confluent's checks across keys reported on the key they name. */
  override validate(props: Props): Map<string, ConfigValue> {
    const values = SOURCE_CONFIG_DEF.validate(props);
    if ([...values.values()].some((v) => v.errors.length > 0)) return values;
    try {
      parseSourceConfig(props);
    } catch (error) {
      const message = (error as Error).message;
      const named =
        [...values.keys()].find((k) => message.includes(`configuration ${k}:`)) ??
        [...values.keys()].find((k) => message.startsWith(k));
      values.get(named ?? 'mode')?.errors.push(message);
    }
    return values;
  }
}
