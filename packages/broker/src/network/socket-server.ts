import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Endpoint } from '../config/listeners.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { ANONYMOUS } from '../security/kafka-principal.js';
import { type ListenerSecurity, tlsPrincipal } from '../security/listener-security.js';
import { Connection, type FrameHandler } from './connection.js';
import type { ConnectionLimits } from './connection-limits.js';

/**
 * Accepts client connections on every configured listener and hands their frames to the
 * request dispatcher. Port 0 binds an ephemeral port (tests); `boundPort` tells which.
 *
 * SSL and SASL_SSL listeners accept through Node's TLS server (OpenSSL): a connection reaches
 * the broker only once its handshake is done, within ssl.handshake.timeout.ms. PLAINTEXT
 * listeners take the plain path, unchanged.
 */
export class SocketServer {
  private readonly servers = new Map<string, Server>();
  private readonly ports = new Map<string, number>();
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 0;
  private rejected = 0;
  private lastRejectionLogMs = 0;

  constructor(
    private readonly listeners: readonly Endpoint[],
    private readonly maxFrameBytes: number,
    private readonly handler: FrameHandler,
    private readonly bufferPool: BufferPool,
    private readonly logger: Logger,
    private readonly limits: ConnectionLimits,
    private readonly security: ReadonlyMap<string, ListenerSecurity> = new Map(),
  ) {}

  async start(): Promise<void> {
    for (const listener of this.listeners) {
      const server = this.createServer(listener);
      server.on('error', (err) => this.logger.error({ err, listener: listener.listenerName }, 'listener error'));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const host = listener.host === '' ? undefined : listener.host;
        server.listen({ port: listener.port, host }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : listener.port;
      this.servers.set(listener.listenerName, server);
      this.ports.set(listener.listenerName, port);
      this.logger.info(
        `Awaiting socket connections on ${listener.host === '' ? '0.0.0.0' : listener.host}:${port} (${listener.listenerName}, ${listener.securityProtocol}).`,
      );
    }
  }

  private createServer(listener: Endpoint): Server {
    const security = this.security.get(listener.listenerName) ?? {};
    const tls = security.tls;
    if (tls === undefined) {
      const server = createServer({ noDelay: true });
      server.on('connection', (socket) => {
        if (this.admit(socket)) this.accept(socket, listener, security);
      });
      return server;
    }
    const server = createTlsServer({ ...tls.options, handshakeTimeout: tls.handshakeTimeoutMs }, (socket) =>
      this.acceptTls(socket, listener, security),
    );
    // Limits apply before the handshake: a flood of TLS connections costs no crypto.
    server.on('connection', (socket) => void this.admit(socket));
    server.on('tlsClientError', (err, socket) => {
      this.logger.info(
        { client: socket.remoteAddress, listener: listener.listenerName, reason: err.message },
        'TLS handshake failed',
      );
      socket.destroy();
    });
    return server;
  }

  private acceptTls(socket: TLSSocket, listener: Endpoint, security: ListenerSecurity): void {
    // ssl.client.auth=requested lets clients without a certificate in, never one with a bad one.
    if (
      security.tls?.clientAuth === 'requested' &&
      !socket.authorized &&
      socket.getPeerCertificate()?.raw !== undefined
    ) {
      this.logger.info(
        { client: socket.remoteAddress, reason: socket.authorizationError },
        'closing connection: untrusted client certificate',
      );
      socket.destroy();
      return;
    }
    this.accept(socket, listener, security);
  }

  boundPort(listenerName: string): number {
    const port = this.ports.get(listenerName);
    if (port === undefined) throw new Error(`no listener ${listenerName}`);
    return port;
  }

  /** Counts a new TCP connection against the limits; closes it when over one. */
  private admit(socket: Socket): boolean {
    const ip = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    const admission = this.limits.admit(ip);
    if (!admission.admit) {
      this.rejected++;
      const now = Date.now();
      // One line per second at most: a flood must not turn into a flood of log lines.
      if (now - this.lastRejectionLogMs >= 1000) {
        this.logger.warn(`Rejected connection from /${ip}: ${admission.reason} (${this.rejected} rejected so far)`);
        this.lastRejectionLogMs = now;
      }
      socket.destroy();
      return false;
    }
    socket.once('close', () => this.limits.release(ip));
    return true;
  }

  private accept(socket: Socket, listener: Endpoint, security: ListenerSecurity): void {
    const delayMs = this.limits.creationDelayMs(listener.listenerName, Date.now());
    if (delayMs > 0) {
      // max.connection.creation.rate: the connection waits, as behind Kafka's throttled acceptor.
      socket.pause();
      setTimeout(() => {
        if (!socket.destroyed) this.open(socket, listener, security);
      }, delayMs).unref();
      return;
    }
    this.open(socket, listener, security);
  }

  private open(socket: Socket, listener: Endpoint, security: ListenerSecurity): void {
    let principal = ANONYMOUS;
    if (security.principalMapper !== undefined) {
      const mapped = tlsPrincipal(socket as TLSSocket, security.principalMapper);
      if (mapped === undefined) {
        this.logger.info(
          { client: socket.remoteAddress },
          'closing connection: no ssl.principal.mapping.rules rule matches',
        );
        socket.destroy();
        return;
      }
      principal = mapped;
    }
    const id = `${socket.localAddress}:${socket.localPort}-${socket.remoteAddress}:${socket.remotePort}-${this.nextConnectionId++}`;
    const connection = new Connection(
      socket,
      listener,
      id,
      this.maxFrameBytes,
      this.handler,
      this.bufferPool,
      this.logger,
      (c) => this.connections.delete(c),
      { principal, ...(security.sasl === undefined ? {} : { sasl: security.sasl }) },
    );
    this.connections.add(connection);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, then closes every connection. */
  async shutdown(): Promise<void> {
    const closing = [...this.servers.values()].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    for (const connection of this.connections) connection.close();
    await Promise.all(closing);
  }
}
