import { connect, createServer, type Server, type Socket } from 'node:net';
import { ApiKey, decodeRequest, decodeResponse, FetchApi, FrameDecoder } from '@samsa/protocol';

/** One Fetch exchange as the spy saw it go by. */
export interface SeenFetch {
  readonly clientId: string | null;
  readonly version: number;
  /** The request's session fields (0/-1 before v7). */
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly requestPartitions: number;
  readonly forgottenPartitions: number;
  /** Filled in when the response arrives. */
  response?: { readonly errorCode: number; readonly sessionId: number; readonly partitions: number };
}

/**
 * A TCP proxy in front of a broker that decodes the Fetch requests and responses going through
 * it, to show what real clients do with fetch sessions (KIP-227). Bytes are forwarded untouched.
 * The broker must advertise the spy's port (`advertised.listeners`), so that clients come back
 * through it after bootstrapping.
 */
export class FetchSpy {
  readonly fetches: SeenFetch[] = [];
  private target = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async listen(): Promise<FetchSpy> {
    const server = createServer();
    const spy = new FetchSpy(server);
    server.on('connection', (client) => spy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return spy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('spy not listening');
    return address.port;
  }

  /** The broker's real port, once it has started. */
  forwardTo(port: number): void {
    this.target = port;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pending = new Map<number, SeenFetch>();
    const requests = new FrameDecoder(256 * 1024 * 1024);
    const responses = new FrameDecoder(256 * 1024 * 1024);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      for (const frame of requests.push(chunk)) {
        if (frame.readInt16BE(0) !== ApiKey.Fetch) continue;
        const decoded = decodeRequest(frame);
        if (decoded.kind !== 'ok') continue;
        // biome-ignore lint/suspicious/noExplicitAny: a decoded Fetch request of any version
        const body = decoded.body as any;
        const seen: SeenFetch = {
          clientId: decoded.header.clientId,
          version: decoded.header.requestApiVersion,
          sessionId: body.sessionId,
          sessionEpoch: body.sessionEpoch,
          requestPartitions: body.topics.reduce(
            (n: number, t: { partitions: unknown[] }) => n + t.partitions.length,
            0,
          ),
          forgottenPartitions: body.forgottenTopicsData.reduce(
            (n: number, t: { partitions: unknown[] }) => n + t.partitions.length,
            0,
          ),
        };
        pending.set(decoded.header.correlationId, seen);
        this.fetches.push(seen);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      for (const frame of responses.push(chunk)) {
        const seen = pending.get(frame.readInt32BE(0));
        if (seen === undefined) continue;
        pending.delete(frame.readInt32BE(0));
        // biome-ignore lint/suspicious/noExplicitAny: a decoded Fetch response of any version
        const body = decodeResponse(FetchApi, seen.version, frame).body as any;
        seen.response = {
          errorCode: body.errorCode,
          sessionId: body.sessionId,
          partitions: body.responses.reduce((n: number, t: { partitions: unknown[] }) => n + t.partitions.length, 0),
        };
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
