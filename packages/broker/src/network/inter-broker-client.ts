import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import {
  type ApiCodec,
  apiCodec,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  KafkaError,
  ResponseReader,
} from '@samsa/protocol';
import type { BufferPool } from '../memory/buffer-pool.js';
import { type InterBrokerSecurity, tlsConnectOptions } from './inter-broker-security.js';

import { authenticateSasl } from './sasl-client-authenticator.js';

export interface InterBrokerClientOptions {
  readonly host: string;
  readonly port: number;
  /** The client id brokers send (Kafka: `controller-<id>-to-broker-<id>`, `broker-<id>-fetcher-…`). */
  readonly clientId: string;
  /** How long a request may wait for its response before the connection is dropped. */
  readonly requestTimeoutMs: number;
  /** Largest response frame accepted (replica fetches carry up to replica.fetch.response.max.bytes). */
  readonly maxResponseBytes?: number;
  /**
   * Where large response frames are assembled. Only `sendHolding` gives them back (its caller
   * says when it is done with the response); other responses' frames are left to the collector.
   */
  readonly pool?: BufferPool;
  /** The inter-broker listener's TLS and SASL; plain TCP without it. */
  readonly security?: InterBrokerSecurity | undefined;
}

/** A response whose body holds views of its frame: valid until `release`, which recycles the frame. */
export interface HeldResponse<Res> {
  readonly body: Res;
  release(): void;
}

interface InFlight {
  readonly correlationId: number;
  readonly api: ApiCodec;
  readonly version: number;
  /** Resolve with a HeldResponse rather than the body (sendHolding). */
  readonly holding: boolean;
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One broker-to-broker connection: the controller's channel to each broker, a broker's channel to
 * the controller (ControlledShutdown), and the replica fetchers' channel to a leader. Requests are
 * pipelined and matched to responses by correlation id; the connection is opened on first use
 * and again after a failure, which rejects everything in flight (callers retry as they see fit).
 *
 * The broker does not use @samsa/client for this: the broker sits below the client in the package
 * graph, and this needs only framing and codecs.
 *
 * With `security`, a connection is TLS and/or SASL as the inter-broker listener is, and only
 * counts as open once the TLS handshake and the SASL exchange are done: until then no request
 * goes out. A refused authentication rejects the requests waiting for the connection with the
 * broker's error (SASL_AUTHENTICATION_FAILED); the next send tries again.
 */
export class InterBrokerClient {
  /** The open connection requests go out on: connected, and authenticated when SASL. */
  private socket: Socket | undefined;
  /** The connection whose responses and failures this client follows: `socket`, or one authenticating. */
  private current: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly inFlight = new Map<number, InFlight>();
  private nextCorrelationId = 1;
  private closed = false;

  constructor(private readonly options: InterBrokerClientOptions) {}

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** Sends a request and resolves with the decoded response body. */
  send<Res>(apiKey: number, version: number, body: unknown): Promise<Res> {
    return this.request<Res>(apiKey, version, body, false);
  }

  /**
   * Sends a request whose response the caller handles and then releases (a replica fetch: about a
   * megabyte appended to the log and done with): its frame goes back to the pool instead of
   * being a fresh allocation for the collector each time. Nothing may keep a view of the body
   * after `release`.
   */
  sendHolding<Res>(apiKey: number, version: number, body: unknown): Promise<HeldResponse<Res>> {
    return this.request<HeldResponse<Res>>(apiKey, version, body, true);
  }

  private async request<Res>(apiKey: number, version: number, body: unknown, holding: boolean): Promise<Res> {
    const api = apiCodec(apiKey);
    if (api === undefined) throw new Error(`no codec for API key ${apiKey}`);
    const socket = await this.connection();
    return this.sendOn<Res>(socket, api, version, body, holding);
  }

  private sendOn<Res>(socket: Socket, api: ApiCodec, version: number, body: unknown, holding: boolean): Promise<Res> {
    const correlationId = this.nextCorrelationId++;
    if (this.nextCorrelationId > 0x7fffffff) this.nextCorrelationId = 1;
    const frame = encodeRequest(api, version, correlationId, this.options.clientId, body);
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new KafkaError(
            ErrorCode.REQUEST_TIMED_OUT,
            `${api.name} to ${this.address} timed out after ${this.options.requestTimeoutMs} ms`,
          ),
        );
      }, this.options.requestTimeoutMs);
      this.inFlight.set(correlationId, {
        correlationId,
        api,
        version,
        holding,
        resolve: resolve as (body: unknown) => void,
        reject,
        timer,
      });
      socket.cork();
      for (const chunk of frame) socket.write(chunk);
      socket.uncork();
    });
  }

  private connection(): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error(`connection to ${this.address} is closed`));
    if (this.socket !== undefined && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Connects (TLS handshake included), authenticates when SASL, then makes it the open connection. */
  private async open(): Promise<Socket> {
    const socket = await this.connect();
    const sasl = this.options.security?.sasl;
    if (sasl !== undefined) {
      try {
        await authenticateSasl(
          sasl,
          (apiKey, version, body) => this.sendOn(socket, apiCodec(apiKey) as ApiCodec, version, body, false),
          this.address,
        );
      } catch (err) {
        if (this.current === socket) this.fail(err as Error);
        throw err;
      }
    }
    if (this.current !== socket)
      throw new KafkaError(ErrorCode.NETWORK_EXCEPTION, `connection to ${this.address} closed`);
    this.socket = socket;
    return socket;
  }

  private connect(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const pool = this.options.pool;
      const reader = new ResponseReader(
        this.options.maxResponseBytes ?? 256 * 1024 * 1024,
        pool === undefined ? (size) => Buffer.allocUnsafe(size) : (size) => pool.acquire(size),
      );
      const { host, port } = this.options;
      const tls = this.options.security?.tls;
      let socket: Socket;
      let describe = (err: Error) => `cannot connect to ${this.address}: ${err.message}`;
      if (tls === undefined) {
        socket = connect({ host, port, noDelay: true, onread: reader.onread });
      } else {
        // tls.connect takes `onread` too (Node's docs; @types/node lacks it): decrypted bytes land
        // in the reader's buffers as on the plain path.
        const options: ConnectionOptions & Pick<NetConnectOpts, 'onread'> = {
          host,
          port,
          onread: reader.onread,
          ...tlsConnectOptions(tls, host),
        };
        socket = tlsConnect(options).setNoDelay(true);
        socket.once('connect', () => {
          describe = (err) => `TLS handshake with ${this.address} failed: ${err.message}`;
        });
      }
      const onConnectError = (err: Error) => {
        reject(new KafkaError(ErrorCode.NETWORK_EXCEPTION, describe(err)));
      };
      socket.once('error', onConnectError);
      socket.setTimeout(this.options.requestTimeoutMs, () => socket.destroy(new Error('connect timed out')));
      socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
        socket.setTimeout(0);
        socket.off('error', onConnectError);
        if (this.closed) {
          socket.destroy();
          reject(new Error(`connection to ${this.address} is closed`));
          return;
        }
        // Events of a socket that has since been replaced must not touch the new one's requests.
        const failIfCurrent = (err: Error) => {
          if (this.current === socket) this.fail(err);
        };
        socket.on('error', failIfCurrent);
        socket.on('close', () => failIfCurrent(new Error(`connection to ${this.address} closed`)));
        reader.onError = failIfCurrent;
        reader.onFrame = (frame) => this.complete(frame);
        this.current = socket;
        resolve(socket);
      });
    });
  }

  private complete(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const request = this.inFlight.get(correlationId);
    if (request === undefined) {
      this.fail(new Error(`response with unknown correlation id ${correlationId} from ${this.address}`));
      return;
    }
    this.inFlight.delete(correlationId);
    clearTimeout(request.timer);
    let body: unknown;
    try {
      body = decodeResponse(request.api, request.version, frame).body;
    } catch (err) {
      request.reject(err as Error);
      return;
    }
    if (!request.holding) {
      request.resolve(body);
      return;
    }
    const pool = this.options.pool;
    let released = false;
    request.resolve({
      body,
      release: () => {
        if (released) return;
        released = true;
        pool?.release(frame);
      },
    } satisfies HeldResponse<unknown>);
  }

  /** Drops the connection: every request in flight fails with `err`; the next send reconnects. */
  private fail(err: Error): void {
    const socket = this.current;
    this.current = undefined;
    this.socket = undefined;
    socket?.destroy();
    const failure =
      err instanceof KafkaError ? err : new KafkaError(ErrorCode.NETWORK_EXCEPTION, err.message, { cause: err });
    for (const request of this.inFlight.values()) {
      clearTimeout(request.timer);
      request.reject(failure);
    }
    this.inFlight.clear();
  }

  close(): void {
    this.closed = true;
    this.fail(new Error(`connection to ${this.address} closed`));
  }
}
