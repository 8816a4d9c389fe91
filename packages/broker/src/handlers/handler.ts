import type { BrokerServices } from '../broker-services.js';

/** What a handler knows about the request beyond its body. */
export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Remote address of the connection, as Kafka reports it (`/127.0.0.1`). */
  readonly clientHost: string;
  readonly listenerName: string;
  /** Milliseconds since the epoch when the request was received. */
  readonly receivedAtMs: number;
  readonly services: BrokerServices;
}

/**
 * One API served by the broker. Handlers are thin: they read the decoded request, delegate to a
 * domain module (log manager, replica manager, coordinators), and map results and errors to the
 * response shape of the requested version. ApiVersions is derived from the registered handlers'
 * version ranges, so advertising a version means implementing it.
 *
 * `Req` is the generated decoded request type, `Res` the generated response *input* type (every
 * field optional, Kafka defaults apply).
 */
export interface Handler<Req = unknown, Res = unknown> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: Req, ctx: RequestContext): Res | Promise<Res>;
  /**
   * Responses are sent unless this returns false: Produce with acks=0 gets no response, as in
   * Kafka.
   */
  expectsResponse?(request: Req): boolean;
}

export function defineHandler<Req, Res>(handler: Handler<Req, Res>): Handler<Req, Res> {
  return handler;
}
