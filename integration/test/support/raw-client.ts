import { connect, type Socket } from 'node:net';
import { type ApiCodec, decodeResponse, encodeRequest, FrameDecoder } from '@samsa/protocol';

/**
 * A bare protocol connection for tests that need exact control over versions and fields: one
 * request at a time, responses matched by correlation ID, no client-side logic at all.
 */
export class RawClient {
  private readonly decoder = new FrameDecoder(256 * 1024 * 1024);
  private readonly waiting = new Map<number, { resolve: (frame: Buffer) => void; reject: (err: Error) => void }>();
  private correlationId = 1;
  private closed = false;
  /** The client id requests carry (client quotas are keyed on it). */
  clientId = 'raw-test';

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        const id = frame.readInt32BE(0);
        const waiter = this.waiting.get(id);
        this.waiting.delete(id);
        waiter?.resolve(frame);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values()) w.reject(new Error('connection closed by the broker'));
      this.waiting.clear();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects from a chosen loopback address (127.0.0.2 …), to appear as another client host. */
  static connectFrom(port: number, localAddress: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends `body` as `api` at `version` and returns the decoded response body. */
  async send<T = Record<string, unknown>>(api: ApiCodec, version: number, body: unknown): Promise<T> {
    const id = this.correlationId++;
    const frame = new Promise<Buffer>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    for (const chunk of encodeRequest(api, version, id, this.clientId, body)) this.socket.write(chunk);
    const response = decodeResponse(api, version, await frame);
    return response.body as T;
  }

  close(): void {
    this.socket.destroy();
  }
}
