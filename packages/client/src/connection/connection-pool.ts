import { ClientError, ClientErrorCode, closedError, isAuthenticationError } from '../errors/client-errors.js';
import type { ClientSecurity } from '../security/client-security.js';
import { Connection } from './connection.js';

export interface ConnectionPoolOptions {
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly socketConnectionSetupTimeoutMs: number;
  readonly reconnectBackoffMs: number;
  readonly reconnectBackoffMaxMs: number;
  readonly connectionsMaxIdleMs: number;
  /** TLS and SASL of every connection (see clientSecurityOf); absent for PLAINTEXT. */
  readonly security?: ClientSecurity | undefined;
}

interface Backoff {
  failures: number;
  nextAttemptMs: number;
  /**
   * The TLS or SASL failure of the last attempt. Until the backoff ends, callers get it at once
   * instead of waiting to fail the same way (Java's AUTHENTICATION_FAILED connection state).
   */
  authenticationError: Error | undefined;
}

/**
 * One connection per broker address, shared by every caller. A connection that closed is
 * replaced on next use, after an exponential backoff (`reconnect.backoff.ms` doubling up to
 * `reconnect.backoff.max.ms`, with ±20% jitter as Java's) counted per address, so a broker that
 * is down is not hammered by every request that wants it. An authentication failure (TLS or SASL)
 * backs off the same way, and is handed to the callers of that address meanwhile, so
 * credentials the broker refuses fail operations rather than looping on reconnects.
 */
export class ConnectionPool {
  private readonly connections = new Map<string, Connection>();
  private readonly backoffs = new Map<string, Backoff>();
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConnectionPoolOptions) {
    if (options.connectionsMaxIdleMs > 0) {
      const period = Math.max(1000, Math.min(options.connectionsMaxIdleMs / 2, 60000));
      this.idleTimer = setInterval(() => this.closeIdle(), period);
      this.idleTimer.unref();
    }
  }

  /**
   * A ready connection to `host:port` (nodeId names it in errors and events). `channel`
   * 'coordinator' gets a connection of its own, as Java's clients do: brokers handle one request
   * per connection at a time, so a JoinGroup parked for a rebalance, or a long-polling Fetch,
   * would otherwise hold up heartbeats and commits queued behind it (and vice versa).
   */
  async get(
    host: string,
    port: number,
    nodeId: number,
    signal?: AbortSignal,
    channel: 'data' | 'coordinator' = 'data',
  ): Promise<Connection> {
    if (this.closed) throw closedError('client');
    const address = channel === 'data' ? `${host}:${port}` : `${host}:${port}#${channel}`;
    let connection = this.connections.get(address);
    if (connection !== undefined && !connection.isClosed) {
      if (!connection.isReady) await connection.connect(signal);
      return connection;
    }
    const backoff = this.backoffs.get(address);
    if (backoff !== undefined) {
      if (backoff.authenticationError !== undefined && backoff.nextAttemptMs > Date.now()) {
        throw backoff.authenticationError;
      }
      const waitMs = backoff.nextAttemptMs - Date.now();
      if (waitMs > 0) await sleep(waitMs, signal);
      if (this.closed) throw closedError('client');
      // Another caller may have reconnected while this one slept.
      const current = this.connections.get(address);
      if (current !== undefined && !current.isClosed) {
        if (!current.isReady) await current.connect(signal);
        return current;
      }
    }
    connection = new Connection({
      host,
      port,
      nodeId,
      clientId: this.options.clientId,
      requestTimeoutMs: this.options.requestTimeoutMs,
      connectionSetupTimeoutMs: this.options.socketConnectionSetupTimeoutMs,
      security: this.options.security,
    });
    this.connections.set(address, connection);
    try {
      await connection.connect(signal);
    } catch (error) {
      this.recordFailure(address, isAuthenticationError(error) ? error : undefined);
      throw error;
    }
    this.backoffs.delete(address);
    return connection;
  }

  /** A connection already open to any broker, if there is one (for requests any broker can answer). */
  anyReady(): Connection | undefined {
    let best: Connection | undefined;
    for (const [address, c] of this.connections) {
      if (address.includes('#')) continue;
      if (c.isReady && (best === undefined || c.inFlightCount < best.inFlightCount)) best = c;
    }
    return best;
  }

  private recordFailure(address: string, authenticationError: Error | undefined): void {
    const previous = this.backoffs.get(address);
    const failures = (previous?.failures ?? 0) + 1;
    const base = Math.min(
      this.options.reconnectBackoffMs * 2 ** (failures - 1),
      Math.max(this.options.reconnectBackoffMs, this.options.reconnectBackoffMaxMs),
    );
    const jitter = base * (0.8 + Math.random() * 0.4);
    this.backoffs.set(address, { failures, nextAttemptMs: Date.now() + jitter, authenticationError });
  }

  private closeIdle(): void {
    const limit = Date.now() - this.options.connectionsMaxIdleMs;
    for (const [address, c] of this.connections) {
      if (c.inFlightCount === 0 && c.lastUsedMs < limit) {
        c.close();
        this.connections.delete(address);
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.idleTimer !== undefined) clearInterval(this.idleTimer);
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new ClientError(ClientErrorCode.ABORTED, 'aborted', { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientError(ClientErrorCode.ABORTED, 'aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
