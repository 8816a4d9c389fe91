import net from 'node:net';
import tls from 'node:tls';
import {
  type ApiCodec,
  ApiKey,
  ApiVersionsApi,
  type ApiVersionsResponse,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  KafkaError,
  type MessageCodec,
  ResponseReader,
  SaslAuthenticateApi,
  type SaslAuthenticateResponse,
  SaslHandshakeApi,
  type SaslHandshakeResponse,
  UnsupportedVersionError,
} from '@samsa/protocol';
import { abortError, KafkaConnectionError, RequestTimeoutError } from '../errors/client-errors.js';
import type { ClientSecurity } from '../security/client-security.js';
import type { ClientTls } from '../security/client-tls-options.js';
import { authenticateSasl } from '../security/sasl-authenticator.js';
import type { SaslLogin } from '../security/sasl-login.js';
import { isTlsHandshakeFailure, tlsHandshakeFailure } from '../security/tls-handshake-failure.js';
import { CLIENT_MAX_VERSIONS, clientVersionRange, usableVersion, type VersionRange } from './api-version-range.js';
import { type ConnectionEvent, connectionChannel, type RequestEvent, requestChannel } from './diagnostics.js';

// biome-ignore lint/suspicious/noExplicitAny: the codec table is heterogeneous by design
export type AnyApi = ApiCodec<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: inference helpers
export type RequestOf<A> = A extends { readonly request: MessageCodec<any, infer I> } ? I : never;
// biome-ignore lint/suspicious/noExplicitAny: inference helpers
export type ResponseOf<A> = A extends { readonly response: MessageCodec<infer R, any> } ? R : never;

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** The broker's node ID, or -1 (and below) for a bootstrap address not yet known by ID. */
  readonly nodeId: number;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly connectionSetupTimeoutMs: number;
  /** Largest response frame accepted. */
  readonly maxFrameBytes?: number;
  /** TLS and SASL, resolved once per client; absent for PLAINTEXT. */
  readonly security?: ClientSecurity | undefined;
}

export interface RequestOptions {
  /** Overrides `request.timeout.ms` (long-polling fetches add their wait to it). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** A version to use instead of the negotiated one (must lie in the broker's range). */
  readonly version?: number;
}

interface Pending {
  readonly api: AnyApi;
  readonly version: number;
  readonly startedMs: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Waits for the requests in flight before a re-authentication; settled by the last response or by `fail`. */
interface DrainWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const SOFTWARE_NAME = 'samsa-client';
const SOFTWARE_VERSION = '0.1.0';

/**
 * One TCP connection to one broker, shared by every request of a client to that broker.
 *
 * Requests are pipelined: each gets the next correlation ID and is written at once; responses
 * come back in order on the wire but are matched by correlation ID, so callers need not care.
 * On connect, ApiVersions is exchanged and each API's version is fixed at the highest version
 * both sides support.
 *
 * A request timeout closes the connection, as Java's NetworkClient does: a broker that did not
 * answer one request in time cannot be trusted with the others queued behind it on the wire.
 * A closed connection is never reopened; the pool creates a new one (with backoff).
 *
 * Security (ClientSecurity, absent for PLAINTEXT): SSL and SASL_SSL dial with `tls.connect`;
 * SASL_* authenticate after ApiVersions (SaslHandshake + SaslAuthenticate, KIP-152) before the
 * connection is ready. A session the broker limits (KIP-368 `sessionLifetimeMs`) is renewed on
 * the same connection before it expires: new requests wait (the connection is not ready), the
 * ones in flight finish, then handshake and authentication run again. A failure of either kind
 * closes the connection with a non-retriable SslAuthenticationError / SaslAuthenticationError.
 */
export class Connection {
  readonly broker: string;
  private socket: net.Socket | undefined;
  private readonly reader: ResponseReader;
  private readonly inflight = new Map<number, Pending>();
  private nextCorrelationId = 0;
  private versions = new Map<number, VersionRange>();
  private connecting: Promise<void> | undefined;
  private closedWith: Error | undefined;
  private reauthenticationTimer: NodeJS.Timeout | undefined;
  private drainWaiter: DrainWaiter | undefined;
  /** Time of the last request or response, for idle detection by the pool. */
  lastUsedMs = Date.now();

  constructor(readonly options: ConnectionOptions) {
    this.broker = `${options.host}:${options.port}${options.nodeId >= 0 ? ` (id ${options.nodeId})` : ''}`;
    // Responses are read with Node's `onread`: a large one (a fetch) lands straight in its own
    // buffer, with no chunk allocated per read and copied again.
    this.reader = new ResponseReader(options.maxFrameBytes ?? 512 * 1024 * 1024, (size) => Buffer.allocUnsafe(size));
    this.reader.onFrame = (frame) => this.onFrame(frame);
    this.reader.onError = (error) =>
      this.fail(new KafkaConnectionError(this.broker, `bad response framing: ${error.message}`));
  }

  get nodeId(): number {
    return this.options.nodeId;
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  get isReady(): boolean {
    return this.socket !== undefined && this.closedWith === undefined && this.connecting === undefined;
  }

  get inFlightCount(): number {
    return this.inflight.size;
  }

  /** Opens the socket and negotiates versions; concurrent callers share one attempt. */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (this.socket !== undefined && this.connecting === undefined) return Promise.resolve();
    this.connecting ??= this.open(signal).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(signal?: AbortSignal): Promise<void> {
    const { host, port, connectionSetupTimeoutMs } = this.options;
    const clientTls = this.options.security?.tls;
    await new Promise<void>((resolve, reject) => {
      const socket =
        clientTls === undefined
          ? net.connect({ host, port, noDelay: true, onread: this.reader.onread })
          : this.dialTls(clientTls);
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else {
          socket.destroy();
          reject(error);
        }
      };
      const timer = setTimeout(
        () =>
          finish(
            new KafkaConnectionError(this.broker, `connection not established within ${connectionSetupTimeoutMs} ms`),
          ),
        connectionSetupTimeoutMs,
      );
      const onAbort = () => finish(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      // With TLS the connection is usable once the handshake is done (the broker's certificate checked).
      socket.once(clientTls === undefined ? 'connect' : 'secureConnect', () => {
        this.socket = socket;
        socket.on('close', () => this.fail(new KafkaConnectionError(this.broker, 'connection closed by the broker')));
        finish();
      });
      socket.on('error', (error) => {
        // A TLS 1.3 broker refuses a client certificate after the client's side of the handshake
        // is done, so a handshake failure may also come later, failing the first request.
        const wrapped =
          clientTls !== undefined && isTlsHandshakeFailure(error)
            ? tlsHandshakeFailure(this.broker, error)
            : new KafkaConnectionError(this.broker, error.message, { cause: error });
        if (!settled) finish(wrapped);
        else this.fail(wrapped);
      });
    }).catch((error: Error) => {
      this.fail(error);
      throw error;
    });
    this.publishConnection('connect');
    try {
      await this.negotiateVersions();
      const login = this.options.security?.sasl;
      if (login !== undefined) await this.authenticate(login);
    } catch (error) {
      // A half-set-up connection is not kept: the pool's next one starts over, after its backoff.
      this.fail(error as Error);
      throw error;
    }
  }

  /** `tls.connect`: SNI with the host name (never an IP, RFC 6066), and the host name check unless disabled. */
  private dialTls(clientTls: ClientTls): tls.TLSSocket {
    const { host, port } = this.options;
    // tls.connect takes `onread` too (Node's docs; @types/node lacks it): decrypted bytes land
    // in the reader's buffers as on the plain path.
    const options: tls.ConnectionOptions & Pick<net.NetConnectOpts, 'onread'> = {
      ...clientTls.options,
      host,
      port,
      onread: this.reader.onread,
    };
    if (options.servername === undefined && net.isIP(host) === 0) options.servername = host;
    if (!clientTls.verifyHostname) options.checkServerIdentity = () => undefined;
    const socket = tls.connect(options);
    socket.setNoDelay(true);
    return socket;
  }

  /**
   * SASL on this connection (the first time, or a KIP-368 renewal); schedules the renewal when
   * the broker limits the session. Sends with `send` directly: callers' requests wait on
   * `connecting` meanwhile.
   */
  private async authenticate(login: SaslLogin): Promise<void> {
    const session = await authenticateSasl(login, {
      broker: this.broker,
      versionOf: (api) => this.versionOf(api),
      handshake: (version, mechanism) =>
        this.send(SaslHandshakeApi, { mechanism }, { version }) as Promise<SaslHandshakeResponse>,
      authenticate: (version, authBytes) =>
        this.send(SaslAuthenticateApi, { authBytes }, { version }) as Promise<SaslAuthenticateResponse>,
    });
    this.publishConnection('authenticate');
    if (session.sessionLifetimeMs > 0 && this.closedWith === undefined) {
      // Java's SaslClientAuthenticator renews at 85-95% of the session: room for the requests in
      // flight to finish and for clock drift, jittered so that a client's connections do not all
      // renew at once.
      const delayMs = Math.floor(session.sessionLifetimeMs * (0.85 + Math.random() * 0.1));
      this.reauthenticationTimer = setTimeout(() => this.beginReauthentication(login), delayMs);
      this.reauthenticationTimer.unref();
    }
  }

  /**
   * KIP-368 on the live connection: hold new requests (`connecting` makes the connection not
   * ready, so `request` waits on it), let the ones in flight finish, then SaslHandshake +
   * SaslAuthenticate again. On failure the connection closes with the error, which the held
   * requests get: credentials the broker no longer accepts fail the operations.
   */
  private beginReauthentication(login: SaslLogin): void {
    this.reauthenticationTimer = undefined;
    if (this.closedWith !== undefined) return;
    if (this.connecting !== undefined) {
      // A session shorter than the rest of the connection setup: renew once setup is done.
      this.connecting.then(
        () => this.beginReauthentication(login),
        () => {},
      );
      return;
    }
    const renewal = (async () => {
      try {
        await this.drain();
        await this.authenticate(login);
      } catch (error) {
        this.fail(error as Error);
        throw error;
      }
    })().finally(() => {
      this.connecting = undefined;
    });
    // Nobody may be waiting; the failure stays in `closedWith` for the next caller.
    renewal.catch(() => {});
    this.connecting = renewal;
  }

  /**
   * Resolves once no request is in flight. Bounded by `request.timeout.ms`: if the responses do
   * not come by then, the connection closes (retriable) and the pool opens a fresh one, which
   * authenticates anew, rather than letting the session lapse under the broker.
   */
  private drain(): Promise<void> {
    if (this.inflight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.drainWaiter = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const timer = setTimeout(
        () =>
          settle(
            new KafkaConnectionError(
              this.broker,
              `closed for SASL re-authentication: requests in flight did not finish within ${this.options.requestTimeoutMs} ms`,
            ),
          ),
        this.options.requestTimeoutMs,
      );
      this.drainWaiter = { resolve: () => settle(), reject: (error) => settle(error) };
    });
  }

  /**
   * ApiVersions v3 first (KIP-511); a broker that does not know v3 answers with a v0 body listing
   * its range, and the request is repeated at the highest version it supports.
   */
  private async negotiateVersions(): Promise<void> {
    let version = CLIENT_MAX_VERSIONS[ApiKey.ApiVersions] ?? 3;
    for (let attempt = 0; attempt < 2; attempt++) {
      this.versions.set(ApiKey.ApiVersions, { min: 0, max: version });
      const response = (await this.send(
        ApiVersionsApi,
        { clientSoftwareName: SOFTWARE_NAME, clientSoftwareVersion: SOFTWARE_VERSION },
        { version },
      )) as ApiVersionsResponse;
      if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        const own = response.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
        version = Math.min(version, own?.maxVersion ?? 0);
        continue;
      }
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `${this.broker}: ApiVersions failed`);
      const versions = new Map<number, VersionRange>();
      for (const k of response.apiKeys) versions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
      this.versions = versions;
      return;
    }
    throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `${this.broker}: could not agree on an ApiVersions version`);
  }

  /** The broker's version range of an API, or undefined if it does not serve it. */
  brokerVersions(apiKey: number): VersionRange | undefined {
    return this.versions.get(apiKey);
  }

  /** The version used for `api`: the highest both sides support. Throws UNSUPPORTED_VERSION if none. */
  versionOf(api: AnyApi): number {
    const broker = this.versions.get(api.apiKey);
    if (broker === undefined) throw new UnsupportedVersionError(`${this.broker} does not support ${api.name}`);
    const client = clientVersionRange(api);
    const version = usableVersion(client, broker);
    if (typeof version !== 'number') {
      throw new UnsupportedVersionError(
        `${this.broker} supports ${api.name} v${broker.min}-${broker.max}, this client v${client.min}-${client.max}`,
      );
    }
    return version;
  }

  /** Every API the broker offers, by key, with its version range (from ApiVersions at connect). */
  get apiVersions(): ReadonlyMap<number, VersionRange> {
    return this.versions;
  }

  /** Sends a request and resolves with the decoded response body. Connects first if needed. */
  async request<A extends AnyApi>(api: A, body: RequestOf<A>, options: RequestOptions = {}): Promise<ResponseOf<A>> {
    if (!this.isReady) await this.connect(options.signal);
    return this.send(api, body, options) as Promise<ResponseOf<A>>;
  }

  /**
   * Builds the body for the negotiated version, then sends it: for requests whose shape depends
   * on the version (FindCoordinator v4 batches keys, OffsetFetch v8 batches groups).
   */
  async requestVersioned<A extends AnyApi>(
    api: A,
    build: (version: number) => RequestOf<A>,
    options: RequestOptions = {},
  ): Promise<{ version: number; response: ResponseOf<A> }> {
    if (!this.isReady) await this.connect(options.signal);
    const version = options.version ?? this.versionOf(api);
    const response = (await this.send(api, build(version), { ...options, version })) as ResponseOf<A>;
    return { version, response };
  }

  /**
   * Writes a request that gets no response (Produce with acks=0). Resolves once the socket has
   * handed the bytes to the kernel — large record payloads are referenced, not copied, so the
   * caller may reuse their buffers only then; Kafka sends nothing back, so nothing more is known.
   */
  async sendOneWay<A extends AnyApi>(api: A, body: RequestOf<A>): Promise<void> {
    if (!this.isReady) await this.connect();
    const socket = this.socket;
    if (socket === undefined || this.closedWith !== undefined) {
      throw this.closedWith ?? new KafkaConnectionError(this.broker, 'not connected');
    }
    const version = this.versionOf(api);
    const correlationId = this.nextId();
    const chunks = encodeRequest(api, version, correlationId, this.options.clientId, body);
    this.lastUsedMs = Date.now();
    await new Promise<void>((resolve, reject) => {
      socket.cork();
      for (let i = 0; i < chunks.length - 1; i++) socket.write(chunks[i] as Buffer);
      socket.write(chunks[chunks.length - 1] as Buffer, (error) => {
        if (error === null || error === undefined) resolve();
        else reject(new KafkaConnectionError(this.broker, error.message, { cause: error }));
      });
      process.nextTick(() => socket.uncork());
    });
  }

  private nextId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = (id + 1) & 0x7fffffff;
    return id;
  }

  private write(socket: net.Socket, chunks: Buffer[]): void {
    this.lastUsedMs = Date.now();
    if (chunks.length === 1) socket.write(chunks[0] as Buffer);
    else {
      socket.cork();
      for (const chunk of chunks) socket.write(chunk);
      process.nextTick(() => socket.uncork());
    }
  }

  private send(api: AnyApi, body: unknown, options: RequestOptions): Promise<unknown> {
    const socket = this.socket;
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (socket === undefined) return Promise.reject(new KafkaConnectionError(this.broker, 'not connected'));
    if (options.signal?.aborted === true) return Promise.reject(abortError(options.signal));
    let version: number;
    let chunks: Buffer[];
    const correlationId = this.nextId();
    try {
      version = options.version ?? this.versionOf(api);
      chunks = encodeRequest(api, version, correlationId, this.options.clientId, body);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<unknown>((resolve, reject) => {
      const pending: Pending = {
        api,
        version,
        startedMs: performance.now(),
        resolve,
        reject,
        timer: undefined,
        signal: undefined,
        onAbort: undefined,
      };
      const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      pending.timer = setTimeout(() => {
        const error = new RequestTimeoutError(
          `${this.broker}: ${api.name} v${version} (correlation ${correlationId}) got no response within ${timeoutMs} ms`,
        );
        this.settle(correlationId, error);
        this.fail(new KafkaConnectionError(this.broker, 'closed after a request timeout'));
      }, timeoutMs);
      if (options.signal !== undefined) {
        const signal = options.signal;
        // An aborted request's response may still arrive; it is then read and dropped.
        pending.signal = signal;
        pending.onAbort = () => this.settle(correlationId, abortError(signal), true);
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.inflight.set(correlationId, pending);
      this.write(socket, chunks);
    });
  }

  /** Completes a pending request with an error. `keepSlot` leaves a tombstone so its late response is skipped. */
  private settle(correlationId: number, error: Error, keepSlot = false): void {
    const pending = this.inflight.get(correlationId);
    if (pending === undefined) return;
    this.cleanup(pending);
    if (keepSlot) {
      this.inflight.set(correlationId, {
        ...pending,
        resolve: () => {},
        reject: () => {},
        timer: undefined,
        signal: undefined,
        onAbort: undefined,
      });
    } else this.inflight.delete(correlationId);
    this.publishRequest(pending, correlationId, error);
    pending.reject(error);
  }

  private cleanup(pending: Pending): void {
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.onAbort !== undefined) pending.signal?.removeEventListener('abort', pending.onAbort);
  }

  private onFrame(frame: Buffer): void {
    this.lastUsedMs = Date.now();
    const correlationId = frame.readInt32BE(0);
    const pending = this.inflight.get(correlationId);
    if (pending === undefined) {
      this.fail(new KafkaConnectionError(this.broker, `response with unknown correlation ID ${correlationId}`));
      return;
    }
    this.inflight.delete(correlationId);
    this.cleanup(pending);
    this.answer(pending, correlationId, frame);
    if (this.drainWaiter !== undefined && this.inflight.size === 0) this.drainWaiter.resolve();
  }

  /** Decodes a response and settles its request with it. */
  private answer(pending: Pending, correlationId: number, frame: Buffer): void {
    let body: unknown;
    try {
      body = decodeResponse(pending.api, pending.version, frame).body;
    } catch (error) {
      // A broker answering an ApiVersions version it does not know replies in v0 (KIP-511).
      if (pending.api.apiKey === ApiKey.ApiVersions && pending.version > 0) {
        try {
          body = decodeResponse(pending.api, 0, frame).body;
        } catch {
          body = undefined;
        }
      }
      if (body === undefined) {
        this.publishRequest(pending, correlationId, error as Error);
        pending.reject(error as Error);
        return;
      }
    }
    this.publishRequest(pending, correlationId);
    pending.resolve(body);
  }

  private publishRequest(pending: Pending, correlationId: number, error?: Error): void {
    if (!requestChannel.hasSubscribers) return;
    const event: RequestEvent = {
      broker: this.broker,
      clientId: this.options.clientId,
      apiKey: pending.api.apiKey,
      apiName: pending.api.name,
      apiVersion: pending.version,
      correlationId,
      durationMs: performance.now() - pending.startedMs,
      ...(error === undefined ? {} : { error }),
    };
    requestChannel.publish(event);
  }

  private publishConnection(event: ConnectionEvent['event'], error?: Error): void {
    if (!connectionChannel.hasSubscribers) return;
    const message: ConnectionEvent = {
      broker: this.broker,
      clientId: this.options.clientId,
      event,
      ...(error === undefined ? {} : { error }),
    };
    connectionChannel.publish(message);
  }

  /** Closes the socket and fails every request in flight with `error`. */
  private fail(error: Error): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = error;
    this.socket?.destroy();
    if (this.reauthenticationTimer !== undefined) clearTimeout(this.reauthenticationTimer);
    this.drainWaiter?.reject(error);
    this.publishConnection('error', error);
    const pending = [...this.inflight.entries()];
    this.inflight.clear();
    for (const [correlationId, p] of pending) {
      this.cleanup(p);
      this.publishRequest(p, correlationId, error);
      p.reject(error);
    }
  }

  /** Closes the connection; requests in flight fail with a retriable connection error. */
  close(): void {
    if (this.closedWith !== undefined) return;
    this.fail(new KafkaConnectionError(this.broker, 'connection closed by the client'));
    this.publishConnection('close');
  }
}
