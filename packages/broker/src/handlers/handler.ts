import type { BrokerServices } from '../broker-services.js';
import type { KafkaPrincipal } from '../security/kafka-principal.js';
import type { SaslServerAuthenticator } from '../security/sasl/sasl-server-authenticator.js';

/** What a handler knows about the request beyond its body. */
export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Remote address of the connection, as Kafka reports it (`/127.0.0.1`). */
  readonly clientHost: string;
  readonly listenerName: string;
  /** The listener's security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL). */
  readonly securityProtocol: string;
  /** Who sent the request: the authenticated principal, or User:ANONYMOUS. */
  readonly principal: KafkaPrincipal;
  /** The connection's SASL state, on SASL listeners only (SaslHandshake, SaslAuthenticate). */
  readonly sasl?: SaslServerAuthenticator | undefined;
  /** Closes the connection once this request's response is written (failed authentication). */
  closeAfterResponse?(): void;
  /** Milliseconds since the epoch when the request was received. */
  readonly receivedAtMs: number;
  readonly services: BrokerServices;
}

/**
 * What every handler declares. Handlers are thin: they read the decoded request, delegate to a
 * domain module (log manager, replica manager, coordinators), and map results and errors to the
 * response shape of the requested version. ApiVersions is derived from the registered handlers'
 * version ranges, so advertising a version means implementing it.
 *
 * `Req` is the generated decoded request type, `Res` the generated response *input* type (every
 * field optional, Kafka defaults apply).
 */
interface HandlerBase<Req, Res> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /**
   * Responses are sent unless this returns false: Produce with acks=0 gets no response, as in
   * Kafka.
   */
  expectsResponse?(request: Req): boolean;
  /**
   * The response to send when handling failed with `errorCode` as a whole, for response versions
   * without a top-level error code: the error on every topic, partition, group or resource the
   * request named (Kafka's `AbstractRequest.getErrorResponse`). The registry refuses a handler
   * that serves such a version without this.
   */
  errorResponse?(request: Req, errorCode: number, ctx: RequestContext): Res;
}

/** An API whose requests on one connection run one after another (all but Produce). */
export interface Handler<Req = unknown, Res = unknown> extends HandlerBase<Req, Res> {
  handle(request: Req, ctx: RequestContext): Res | Promise<Res>;
}

/**
 * An API whose requests may overlap on one connection (Produce: consecutive requests share one
 * fsync or replication wait). Its work splits in two phases with different rules:
 *
 * - `stage`, the ordered phase: starts only after the previous pipelined request of the same
 *   connection finished its own `stage`, so appends keep request order even if `stage` awaits
 *   (authorization, topic creation, transaction verification). It is the only phase that may read
 *   the request's record bytes: they are views of the request frame, which the dispatcher returns
 *   to the buffer pool as soon as `stage` settles. `Staged` must therefore hold no such view.
 * - `complete`: waits for whatever the response depends on (durability, replication), while later
 *   requests of the connection go ahead; builds the response.
 */
export interface PipelinedHandler<Req = unknown, Res = unknown, Staged = unknown> extends HandlerBase<Req, Res> {
  readonly pipelined: true;
  stage(request: Req, ctx: RequestContext): Staged | Promise<Staged>;
  complete(staged: Staged, request: RequestSummary<Req>, ctx: RequestContext): Res | Promise<Res>;
}

/**
 * The request as `complete` may see it: the same object, typed so that its byte fields (views
 * of a frame that is back in the pool by then) cannot be read without a cast.
 */
export type RequestSummary<Req> = Req extends Buffer
  ? never
  : Req extends readonly (infer E)[]
    ? readonly RequestSummary<E>[]
    : Req extends object
      ? { readonly [K in keyof Req as Req[K] extends Buffer | null ? never : K]: RequestSummary<Req[K]> }
      : Req;

export type AnyHandler = Handler<never, unknown> | PipelinedHandler<never, unknown, unknown>;

export function isPipelined(handler: AnyHandler): handler is PipelinedHandler<never, unknown, unknown> {
  return 'pipelined' in handler && handler.pipelined;
}

export function defineHandler<Req, Res>(handler: Handler<Req, Res>): Handler<Req, Res> {
  return handler;
}

export function definePipelinedHandler<Req, Res, Staged>(
  handler: PipelinedHandler<Req, Res, Staged>,
): PipelinedHandler<Req, Res, Staged> {
  return handler;
}
