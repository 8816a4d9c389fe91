import { setTimeout as sleep } from 'node:timers/promises';
import type { SinkRecord } from '../connector/connect-record.js';
import { type Props, SinkTask } from '../connector/connector.js';
import { getLogger } from '../runtime/loggers.js';
import { CONNECT_VERSION } from '../version.js';
import { ConnectException } from './connect-exception.js';
import type { DatabaseDialect } from './dialect/database-dialect.js';
import { openDialect } from './dialect/dialects.js';
import { JdbcDbWriter } from './jdbc-db-writer.js';
import { type JdbcSinkConfig, parseSinkConfig } from './jdbc-sink-config.js';

const log = getLogger('io.confluent.connect.jdbc.sink.JdbcSinkTask');

/**
 * `io.confluent.connect.jdbc.sink.JdbcSinkTask`: each `put` is written and committed in one
 * database transaction before it returns. A failed write is rolled back and retried
 * `max.retries` times, `retry.backoff.ms` apart (Confluent throws a RetriableException and lets
 * the worker redeliver; retrying in place writes the same rows in the same order); then the task
 * fails with the database's message. A lost PostgreSQL connection is one such failure: its
 * transaction is gone with it, and the retry opens a new connection (`connection.attempts`).
 * `flush` has nothing left to do.
 */
export class JdbcSinkTask extends SinkTask {
  static readonly CLASS = 'io.confluent.connect.jdbc.sink.JdbcSinkTask';
  private config: JdbcSinkConfig | undefined;
  private dialect: DatabaseDialect | undefined;
  private writer: JdbcDbWriter | undefined;
  private stopped = false;

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    this.config = parseSinkConfig(props);
    this.dialect = openDialect(props);
    this.writer = new JdbcDbWriter(this.config, this.dialect, props.name ?? '');
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.writer!.write(records);
        return;
      } catch (error) {
        // A record the connector cannot map will not write on a retry either.
        if (error instanceof ConnectException || attempt >= this.config!.maxRetries || this.stopped) {
          throw error instanceof ConnectException
            ? error
            : new ConnectException(`Exception chain:\n${(error as Error).message}`, { cause: error });
        }
        const remaining = this.config!.maxRetries - attempt;
        log.error(
          `connect: JDBC sink write of ${records.length} records failed, remainingRetries=${remaining}:`,
          (error as Error).message,
        );
        await sleep(this.config!.retryBackoffMs);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dialect?.close();
  }
}
