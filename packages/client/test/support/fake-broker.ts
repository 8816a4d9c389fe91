import net from 'node:net';
import { type ApiCodec, ApiKey, decodeRequest, encodeResponse, FrameDecoder, GENERATED_APIS } from '@samsa/protocol';

export interface ReceivedRequest {
  readonly apiKey: number;
  readonly apiName: string;
  readonly version: number;
  // biome-ignore lint/suspicious/noExplicitAny: decoded bodies of any API
  readonly body: any;
}

/** A handler's answer that makes the fake broker drop the connection (a broker killed mid-request). */
export const DISCONNECT = Symbol('disconnect');

/**
 * Answers one request: a response body, null for no response, undefined for the defaults,
 * DISCONNECT to close the connection.
 */
// biome-ignore lint/suspicious/noExplicitAny: the handler builds the response body for whatever API it got
export type FakeHandler = (request: ReceivedRequest, broker: FakeBroker) => any;

/**
 * A broker in-process for unit tests of protocol flows Samsa's broker does not serve yet
 * (transactions) or cannot be made to fail on cue (sequence errors): it decodes requests with
 * the protocol package, records them, and answers with what the test's handler returns.
 * ApiVersions and Metadata (one broker, node 0, this address) have defaults.
 */
export class FakeBroker {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Topic → partition count served by the default Metadata handler. */
  readonly topics = new Map<string, number>();

  constructor(private readonly handler: FakeHandler) {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      const decoder = new FrameDecoder(64 * 1024 * 1024);
      socket.on('data', async (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          const decoded = decodeRequest(frame);
          if (decoded.kind !== 'ok') {
            socket.destroy();
            return;
          }
          const request: ReceivedRequest = {
            apiKey: decoded.api.apiKey,
            apiName: decoded.api.name,
            version: decoded.header.requestApiVersion,
            body: decoded.body,
          };
          this.requests.push(request);
          const body = this.respond(request);
          if (body === DISCONNECT) {
            socket.destroy();
            return;
          }
          // null: the handler wants no answer (a broker that hangs, or acks=0).
          if (body === undefined || body === null) continue;
          for (const buf of encodeResponse(decoded.api, request.version, decoded.header.correlationId, body))
            socket.write(buf);
        }
      });
      socket.on('error', () => {});
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: see FakeHandler
  private respond(request: ReceivedRequest): any {
    const custom = this.handler(request, this);
    if (custom !== undefined) return custom;
    if (request.apiKey === ApiKey.ApiVersions) {
      return {
        errorCode: 0,
        apiKeys: (GENERATED_APIS as readonly ApiCodec[]).map((a) => ({
          apiKey: a.apiKey,
          minVersion: a.request.minVersion,
          maxVersion: a.request.maxVersion,
        })),
      };
    }
    if (request.apiKey === ApiKey.Metadata) return this.metadata(request);
    if (request.apiKey === ApiKey.FindCoordinator) {
      const node = { nodeId: 0, host: '127.0.0.1', port: this.port, errorCode: 0, errorMessage: null };
      if (request.version >= 4)
        return { coordinators: request.body.coordinatorKeys.map((key: string) => ({ key, ...node })) };
      return node;
    }
    return undefined;
  }

  // biome-ignore lint/suspicious/noExplicitAny: see FakeHandler
  metadata(request: ReceivedRequest): any {
    const names: string[] =
      request.body.topics === null ? [...this.topics.keys()] : request.body.topics.map((t: { name: string }) => t.name);
    return {
      brokers: [{ nodeId: 0, host: '127.0.0.1', port: this.port, rack: null }],
      clusterId: 'fake',
      controllerId: 0,
      topics: names.map((name) => {
        const count = this.topics.get(name);
        return count === undefined
          ? { errorCode: 3, name, partitions: [] }
          : {
              errorCode: 0,
              name,
              partitions: Array.from({ length: count }, (_, p) => ({
                errorCode: 0,
                partitionIndex: p,
                leaderId: 0,
                leaderEpoch: 0,
                replicaNodes: [0],
                isrNodes: [0],
                offlineReplicas: [],
              })),
            };
      }),
    };
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  named(apiName: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.apiName === apiName);
  }

  static async start(handler: FakeHandler): Promise<FakeBroker> {
    const broker = new FakeBroker(handler);
    await new Promise<void>((resolve) => broker.server.listen(0, '127.0.0.1', resolve));
    broker.port = (broker.server.address() as net.AddressInfo).port;
    return broker;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
