import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord } from '../connector/connect-record.js';
import { type Props, SourceTask } from '../connector/connector.js';
import { getLogger } from '../runtime/loggers.js';
import { CONNECT_VERSION } from '../version.js';
import type { DatabaseDialect } from './dialect/database-dialect.js';
import { openDialect } from './dialect/dialects.js';
import { type JdbcSourceConfig, parseSourceConfig, TABLES_CONFIG } from './jdbc-source-connector-config.js';
import { parseTableId } from './table-id.js';
import { TableQuerier } from './table-querier.js';

const log = getLogger('io.confluent.connect.jdbc.source.JdbcSourceTask');

/**
 * `io.confluent.connect.jdbc.source.JdbcSourceTask`: polls its tables (or the query) in turn,
 * each no more often than `poll.interval.ms` unless it still has rows to hand out. Offsets are
 * read once, on start, from the worker's offset store: for each table the V1 partition
 * (`{"protocol":"1","table":fqn}`) and, failing that, Confluent's older `{"table":name}`; after
 * that each querier keeps its position in memory, so a query cut by a lost connection is run
 * again on a new connection from the last row returned.
 */
export class JdbcSourceTask extends SourceTask {
  static readonly CLASS = 'io.confluent.connect.jdbc.source.JdbcSourceTask';
  private config: JdbcSourceConfig | undefined;
  private dialect: DatabaseDialect | undefined;
  private queriers: TableQuerier[] = [];
  private stopped = false;
  private wake: AbortController | undefined;

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    this.config = parseSourceConfig(props);
    this.dialect = openDialect(props);
    const reader = this.context.offsetStorageReader;
    if (this.config.query !== '') {
      this.queriers = [new TableQuerier(this.config, null, reader.offset({ query: 'query' }))];
      return;
    }
    const tables = JSON.parse(props[TABLES_CONFIG] ?? '[]') as string[];
    this.queriers = tables.map((name) => {
      const table = parseTableId(name);
      const probe = new TableQuerier(this.config!, table, null);
      const stored = reader.offset(probe.partition) ?? reader.offset({ table: table.table });
      return new TableQuerier(this.config!, table, stored);
    });
  }

  async poll(): Promise<SourceRecord[] | null> {
    while (!this.stopped) {
      const now = Date.now();
      const due = this.queriers
        .filter((q) => q.hasPending || q.nextQueryAt <= now)
        .sort((a, b) => a.nextQueryAt - b.nextQueryAt)[0];
      if (due === undefined) {
        const next = Math.min(...this.queriers.map((q) => q.nextQueryAt), now + 1000);
        this.wake = new AbortController();
        await sleep(Math.max(1, next - now), undefined, { signal: this.wake.signal }).catch(() => {});
        continue;
      }
      try {
        const records = await due.poll(this.dialect!, now);
        if (records.length > 0) return records;
      } catch (error) {
        if (this.stopped) return null; // the connection was closed under the query by stop()
        // A lost connection: the querier's state moved only for rows already returned, so the
        // same query runs again on a new connection (opened with connection.attempts), from the
        // last row handed out — as Confluent retries a query after an SQLException.
        if (this.dialect!.isConnectionError(error)) {
          log.error(
            `connect: JDBC source lost its connection while querying ${due.name}, reconnecting:`,
            (error as Error).message,
          );
          continue;
        }
        throw error;
      }
    }
    return null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.abort();
    await this.dialect?.close();
  }
}
