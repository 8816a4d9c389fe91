import {
  type ApiCodec,
  ApiKey,
  apiName,
  type DecodedRequest,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  type FetchRequest,
  hasTopLevelErrorCode,
  KafkaError,
} from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import { fetchReplicaId } from '../handlers/fetch.js';
import { type AnyHandler, isPipelined, type RequestContext } from '../handlers/handler.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import type { ClientQuotas } from '../quota/client-quotas.js';
import type { ConnectionInfo, FrameHandler, RequestHandling } from './connection.js';

type Outcome = Buffer[] | undefined | 'close';

const SETTLED: Promise<void> = Promise.resolve();

/** What the client quotas need to know about a request in flight. */
interface Metering {
  readonly quotas: ClientQuotas;
  readonly connection: ConnectionInfo;
  readonly frameBytes: number;
}

/** What a SASL connection may send before it is authenticated. */
const BEFORE_AUTHENTICATION: ReadonlySet<number> = new Set([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
]);

/**
 * Decodes request frames, runs the registered handler, and encodes its response in the
 * requested version. Failures follow Kafka:
 * - malformed bytes, an unknown API key, or a version no handler serves → close the connection;
 * - ApiVersions at a version newer than served → a v0 response with UNSUPPORTED_VERSION and the
 *   supported ranges (KIP-511), so the client can retry with a version both sides know;
 * - a handler that throws → the error in the response's top-level error code when the version
 *   has one, else on every partition or resource of the request (the handler's `errorResponse`);
 *   an acks=0 Produce has no response to carry it, so its connection is closed.
 *
 * Frame ownership: the dispatcher owns every frame it is handed. A pipelined request's frame goes
 * back to the buffer pool here, in one place, once its ordered phase (`stage`) has settled —
 * whether or not the request could even be decoded. Other frames are left to the garbage
 * collector: their handlers may keep views of request bytes (group metadata, for instance).
 */
export class RequestDispatcher implements FrameHandler {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly services: BrokerServices,
    private readonly bufferPool: BufferPool,
    private readonly logger: Logger,
    private readonly quotas?: ClientQuotas,
    private readonly requestMetrics: RequestMetrics = new RequestMetrics(),
  ) {}

  isPipelined(apiKey: number): boolean {
    return this.registry.isPipelined(apiKey);
  }

  handle(frame: Buffer, connection: ConnectionInfo): RequestHandling {
    const sasl = connection.sasl;
    if (sasl?.expectsRawToken === true) return { ordered: SETTLED, response: sasl.rawToken(frame) };
    const handling = this.dispatch(frame, connection);
    if (frame.length >= 2 && this.registry.isPipelined(frame.readInt16BE(0))) {
      handling.ordered.then(
        () => this.bufferPool.release(frame),
        () => this.bufferPool.release(frame),
      );
    }
    return handling;
  }

  private dispatch(frame: Buffer, connection: ConnectionInfo): RequestHandling {
    const receivedAtMs = Date.now();
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequest(frame);
    } catch (err) {
      this.logger.warn(
        { client: connection.clientHost, reason: (err as Error).message },
        'closing connection: malformed request',
      );
      return done('close');
    }
    const header = decoded.header;
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    if (decoded.kind === 'unknown-api') {
      this.logger.warn({ client: connection.clientHost, apiKey }, 'closing connection: unknown API key');
      return done('close');
    }
    const handler = this.registry.get(apiKey);
    const api = decoded.api;
    if (
      decoded.kind === 'unsupported-version' ||
      handler === undefined ||
      version < handler.minVersion ||
      version > handler.maxVersion
    ) {
      if (apiKey === ApiKey.ApiVersions) {
        return done(
          encodeResponse(api, 0, header.correlationId, {
            errorCode: ErrorCode.UNSUPPORTED_VERSION,
            apiKeys: this.registry.apiVersions(),
          }),
        );
      }
      this.logger.warn(
        { client: connection.clientHost, api: apiName(apiKey), version },
        'closing connection: unsupported API or version',
      );
      return done('close');
    }
    const sasl = connection.sasl;
    if (sasl !== undefined) {
      if (!sasl.authenticated && !BEFORE_AUTHENTICATION.has(apiKey)) {
        // Kafka's SaslServerAuthenticator: "Unexpected Kafka request of type X during SASL handshake".
        this.logger.warn(
          { client: connection.clientHost, api: apiName(apiKey) },
          'closing connection: request before SASL authentication',
        );
        return done('close');
      }
      // An expired session may still re-authenticate (Kafka's maybeBeginServerReauthentication).
      if (apiKey !== ApiKey.SaslHandshake && sasl.sessionExpired(receivedAtMs)) {
        this.logger.info(
          { client: connection.clientHost, principal: connection.principal.name },
          'closing connection: SASL session expired without re-authentication (connections.max.reauth.ms)',
        );
        return done('close');
      }
    }
    const ctx: RequestContext = {
      apiKey,
      apiVersion: version,
      correlationId: header.correlationId,
      clientId: header.clientId,
      clientHost: clientHostOf(connection),
      listenerName: connection.listenerName,
      securityProtocol: connection.securityProtocol,
      principal: connection.principal,
      sasl,
      closeAfterResponse: connection.closeAfterResponse,
      receivedAtMs,
      services: this.services,
    };
    const request = decoded.body as never;
    const respond = handler.expectsResponse?.(request) !== false;
    const quotas = this.quotas?.active === true ? this.quotas : undefined;
    const metering = quotas === undefined ? undefined : { quotas, connection, frameBytes: frame.length };
    // TotalTimeMs is counted from here, after decoding (Kafka's starts when the frame is read).
    const startedMs = performance.now();
    let response: Promise<Outcome>;
    let ordered: Promise<void> = SETTLED;
    if (isPipelined(handler)) {
      const staged = invoke(() => handler.stage(request, ctx));
      ordered = staged.then(noop, noop);
      response = this.respond(
        api,
        handler,
        ctx,
        request,
        respond,
        staged.then((s) => handler.complete(s, request, ctx)),
        startedMs,
        metering,
      );
    } else {
      response = this.respond(
        api,
        handler,
        ctx,
        request,
        respond,
        invoke(() => handler.handle(request, ctx)),
        startedMs,
        metering,
      );
    }
    return { ordered, response };
  }

  private async respond(
    api: ApiCodec,
    handler: AnyHandler,
    ctx: RequestContext,
    request: never,
    respond: boolean,
    work: Promise<unknown>,
    startedMs: number,
    metering?: Metering,
  ): Promise<Outcome> {
    // The handler's own time: what it did before its first await, for request_percentage.
    const handlerMs = metering === undefined ? 0 : performance.now() - startedMs;
    const outcome = await this.outcome(api, handler, ctx, request, respond, work, handlerMs, metering);
    const replicaId = ctx.apiKey === ApiKey.Fetch ? fetchReplicaId(request as FetchRequest, ctx.apiVersion) : -1;
    this.requestMetrics.record(ctx.apiKey, ctx.apiVersion, performance.now() - startedMs, replicaId);
    return outcome;
  }

  private async outcome(
    api: ApiCodec,
    handler: AnyHandler,
    ctx: RequestContext,
    request: never,
    respond: boolean,
    work: Promise<unknown>,
    handlerMs: number,
    metering: Metering | undefined,
  ): Promise<Outcome> {
    let response: unknown;
    try {
      response = await work;
    } catch (err) {
      if (!respond) return 'close';
      return this.errorResponse(api, handler, ctx, request, err);
    }
    if (metering !== undefined) this.throttle(api, ctx, request, response, metering, handlerMs, respond);
    if (!respond) return undefined;
    try {
      return encodeResponse(api, ctx.apiVersion, ctx.correlationId, response);
    } catch (err) {
      this.logger.error(
        { err, api: api.name, version: ctx.apiVersion },
        'could not encode response; closing connection',
      );
      return 'close';
    }
  }

  /**
   * Applies the client quotas to a handled request: a throttled response carries the throttle time
   * and the connection reads nothing more until it has passed (KIP-219).
   */
  private throttle(
    api: ApiCodec,
    ctx: RequestContext,
    request: never,
    response: unknown,
    metering: Metering,
    handlerMs: number,
    respond: boolean,
  ): void {
    const replicaId = ctx.apiKey === ApiKey.Fetch ? fetchReplicaId(request as FetchRequest, ctx.apiVersion) : -1;
    const throttleMs = metering.quotas.throttleTimeMs(
      {
        apiKey: ctx.apiKey,
        user: ctx.principal.name,
        clientId: ctx.clientId ?? '',
        requestBytes: metering.frameBytes,
        responseBytes: () => api.response.size(response, ctx.apiVersion),
        handlerMs,
        replicaFetch: replicaId >= 0,
      },
      Date.now(),
    );
    if (throttleMs <= 0) return;
    if (respond && typeof response === 'object' && response !== null) {
      const body = response as { throttleTimeMs?: number };
      body.throttleTimeMs = Math.max(body.throttleTimeMs ?? 0, throttleMs);
    }
    metering.connection.mute(throttleMs);
  }

  private errorResponse(
    api: ApiCodec,
    handler: AnyHandler,
    ctx: RequestContext,
    request: never,
    err: unknown,
  ): Outcome {
    const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
    if (code !== ErrorCode.NONE) this.requestMetrics.recordError(ctx.apiKey, code);
    if (!(err instanceof KafkaError) || code === ErrorCode.UNKNOWN_SERVER_ERROR) {
      this.logger.error({ err, api: api.name, version: ctx.apiVersion }, 'request handler failed');
    }
    if (code === ErrorCode.NONE) return 'close';
    if (hasTopLevelErrorCode(api, ctx.apiVersion)) {
      return encodeResponse(api, ctx.apiVersion, ctx.correlationId, { errorCode: code });
    }
    if (handler.errorResponse === undefined) return 'close';
    return encodeResponse(api, ctx.apiVersion, ctx.correlationId, handler.errorResponse(request, code, ctx));
  }
}

function done(outcome: Outcome): RequestHandling {
  return { ordered: SETTLED, response: Promise.resolve(outcome) };
}

/** Runs `work`, turning a synchronous throw into a rejected promise. */
function invoke<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}

function noop(): void {}

/** Kafka's form of the client address ("/127.0.0.1"), computed once per connection. */
const clientHosts = new WeakMap<ConnectionInfo, string>();
function clientHostOf(connection: ConnectionInfo): string {
  let host = clientHosts.get(connection);
  if (host === undefined) {
    host = `/${connection.clientHost.replace(/^::ffff:/, '')}`;
    clientHosts.set(connection, host);
  }
  return host;
}
