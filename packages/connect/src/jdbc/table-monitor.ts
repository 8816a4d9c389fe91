import { getLogger } from '../runtime/loggers.js';
import { type TableId, tableFqn } from './table-id.js';

const log = getLogger('io.confluent.connect.jdbc.source.TableMonitorThread');

/**
 * Confluent's TableMonitorThread: lists the tables every `table.poll.interval.ms` and calls
 * `onChange` when the set differs from the last one, so the connector asks the worker for new
 * task configs (a table created or dropped after the connector started). A failed listing is
 * reported and retried at the next interval: a database restart must not fail the connector.
 */
export class TableMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private tables: readonly TableId[],
    private readonly list: () => Promise<TableId[]>,
    private readonly intervalMs: number,
    private readonly onChange: (tables: TableId[]) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.running || this.timer === undefined) return; // a slow listing is not run twice at once
    this.running = true;
    try {
      const tables = await this.list();
      const key = (list: readonly TableId[]) => list.map(tableFqn).sort().join('\n');
      if (this.timer !== undefined && key(tables) !== key(this.tables)) {
        this.tables = tables;
        this.onChange(tables);
      }
    } catch (error) {
      log.error('connect: JDBC source could not list the tables:', (error as Error).message);
    } finally {
      this.running = false;
    }
  }
}
