import { createServer, type Server, type Socket } from 'node:net';
import type { Endpoint } from '../config/listeners.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { Connection, type FrameHandler } from './connection.js';

/**
 * Accepts client connections on every configured listener and hands their frames to the
 * request dispatcher. Port 0 binds an ephemeral port (tests); `boundPort` tells which.
 */
export class SocketServer {
  private readonly servers = new Map<string, Server>();
  private readonly ports = new Map<string, number>();
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 0;

  constructor(
    private readonly listeners: readonly Endpoint[],
    private readonly maxFrameBytes: number,
    private readonly handler: FrameHandler,
    private readonly bufferPool: BufferPool,
    private readonly logger: Logger,
    private readonly maxConnections: number,
  ) {}

  async start(): Promise<void> {
    for (const listener of this.listeners) {
      const server = createServer({ noDelay: true }, (socket) => this.accept(socket, listener));
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
        `Awaiting socket connections on ${listener.host === '' ? '0.0.0.0' : listener.host}:${port} (${listener.listenerName}).`,
      );
    }
  }

  boundPort(listenerName: string): number {
    const port = this.ports.get(listenerName);
    if (port === undefined) throw new Error(`no listener ${listenerName}`);
    return port;
  }

  private accept(socket: Socket, listener: Endpoint): void {
    if (this.connections.size >= this.maxConnections) {
      this.logger.warn({ client: socket.remoteAddress }, 'max.connections reached; closing new connection');
      socket.destroy();
      return;
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
