import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ConnectException } from '../connect-exception.js';

export interface PostgresConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly quoteIdentifiers: boolean;
  readonly connectionAttempts: number;
  readonly connectionBackoffMs: number;
}

/** pg's per-client type parser hook: how the text of a column of type `oid` becomes a JS value. */
export type TypeParser = (oid: number, format?: 'text' | 'binary') => (text: string) => unknown;

/**
 * A task's PostgreSQL session, as Confluent's CachedConnectionProvider: opened on first use, and
 * opened again on the first use after it was lost (a FATAL or class-08 error, a reset socket, pg's
 * `error`/`end` event), each time with up to `connection.attempts` tries `connection.backoff.ms`
 * apart; when they all fail, a ConnectException fails the task.
 *
 * Invariant: a connection lost between `begin` and `commit`/`rollback` is not replaced until
 * the transaction ends. Its statements went with it, so going on with the next statement on a
 * new connection would commit only the rest of the transaction; instead every statement fails
 * until the caller rolls back (a no-op: the server ended the transaction with the session) and
 * retries from BEGIN. Not reentrant: one task uses it at a time.
 */
export class PostgresConnection {
  private client: pg.Client | undefined;
  private connected: Promise<pg.Client> | undefined;
  /** The current client's connection is gone: the next use outside a transaction opens a new one. */
  private lost = false;
  /** Between BEGIN and COMMIT/ROLLBACK. */
  private inTransaction = false;
  private closed = false;
  private readonly backoff = new AbortController();

  constructor(
    private readonly options: PostgresConnectionOptions,
    private readonly typeParser: TypeParser,
  ) {}

  /** The client's `query`, marking the connection lost when a query fails because of it. */
  async session(): Promise<Pick<pg.Client, 'query'>> {
    const client = await this.ready();
    const query = (...args: unknown[]) =>
      (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args).catch((error: unknown) => {
        if (isConnectionLoss(error)) this.markLost(client);
        throw error;
      });
    return { query: query as unknown as pg.Client['query'] };
  }

  async begin(): Promise<void> {
    await (await this.session()).query('BEGIN');
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    try {
      await (await this.session()).query('COMMIT');
    } finally {
      this.inTransaction = false;
    }
  }

  async rollback(): Promise<void> {
    this.inTransaction = false;
    // A lost connection's transaction was rolled back by the server when the session ended.
    if (this.lost || this.client === undefined) return;
    await (await this.session()).query('ROLLBACK');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.backoff.abort();
    await this.client?.end().catch(() => {});
  }

  private ready(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new ConnectException('The JDBC connection is closed'));
    if (this.lost && this.inTransaction) {
      return Promise.reject(new Error('Connection terminated during a transaction'));
    }
    if (this.lost) {
      this.lost = false;
      void this.client?.end().catch(() => {});
      this.client = undefined;
      this.connected = undefined;
    }
    this.connected ??= this.connect().catch((error: unknown) => {
      // Not cached: a later use (a sink retry) tries `connection.attempts` times again.
      this.connected = undefined;
      throw error instanceof ConnectException
        ? error
        : new ConnectException((error as Error).message, { cause: error });
    });
    return this.connected;
  }

  private markLost(client: pg.Client): void {
    if (this.client === client) this.lost = true;
  }

  private async connect(): Promise<pg.Client> {
    const o = this.options;
    for (let attempt = 1; ; attempt++) {
      // A pg.Client cannot connect twice: each attempt has its own.
      const client = new pg.Client({
        host: o.host,
        port: o.port,
        database: o.database,
        ...(o.user === undefined ? {} : { user: o.user }),
        ...(o.password === undefined ? {} : { password: o.password }),
        options: '-c TimeZone=UTC',
        types: { getTypeParser: this.typeParser as typeof pg.types.getTypeParser },
      });
      // A connection dropped while idle: the next use reconnects. Without an 'error' listener
      // pg would crash the worker.
      client.on('error', () => this.markLost(client));
      client.on('end', () => this.markLost(client));
      try {
        await client.connect();
        if (this.closed) {
          // close() ran while connecting: nobody will end this client otherwise.
          await client.end().catch(() => {});
          throw new Error('connection closed');
        }
        this.client = client;
        return client;
      } catch (error) {
        await client.end().catch(() => {});
        if (attempt >= o.connectionAttempts || this.closed) throw error;
        await sleep(o.connectionBackoffMs, undefined, { signal: this.backoff.signal }).catch(() => {});
        if (this.closed) throw error;
      }
    }
  }
}

/**
 * An error of the connection rather than of the statement: a socket error, pg's "Connection
 * terminated", a FATAL/PANIC from the server (`pg_terminate_backend`: 57P01), or SQLSTATE class 08.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ConnectException) return false;
  if (error instanceof pg.DatabaseError) {
    return error.severity === 'FATAL' || error.severity === 'PANIC' || (error.code ?? '').startsWith('08');
  }
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return (
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    /Connection terminated|not queryable|connection error/i.test(error.message)
  );
}
