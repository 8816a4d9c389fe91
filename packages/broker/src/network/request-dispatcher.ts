import {
  type ApiCodec,
  ApiKey,
  apiName,
  type DecodedRequest,
  decodeMessage,
  decodeRequest,
  ErrorCode,
  encodeMessage,
  encodeResponse,
  KafkaError,
} from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import type { RequestContext } from '../handlers/handler.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import type { Logger } from '../logger.js';
import type { ConnectionInfo, FrameHandler } from './connection.js';

/**
 * Decodes request frames, runs the registered handler, and encodes its response in the
 * requested version. Failures follow Kafka:
 * - malformed bytes, an unknown API key, or a version no handler serves → close the connection;
 * - ApiVersions at a version newer than served → a v0 response with UNSUPPORTED_VERSION and the
 *   supported ranges (KIP-511), so the client can retry with a version both sides know;
 * - a handler that throws a KafkaError → the same error in the response's top-level error code
 *   when the response has one, else the connection is closed.
 */
export class RequestDispatcher implements FrameHandler {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly services: BrokerServices,
    private readonly logger: Logger,
  ) {}

  async handle(frame: Buffer, connection: ConnectionInfo): Promise<Buffer[] | undefined | 'close'> {
    const receivedAtMs = Date.now();
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequest(frame);
    } catch (err) {
      this.logger.warn(
        { client: connection.clientHost, reason: (err as Error).message },
        'closing connection: malformed request',
      );
      return 'close';
    }
    const header = decoded.header;
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    if (decoded.kind === 'unknown-api') {
      this.logger.warn({ client: connection.clientHost, apiKey }, 'closing connection: unknown API key');
      return 'close';
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
        return encodeResponse(api, 0, header.correlationId, {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: this.registry.apiVersions(),
        });
      }
      this.logger.warn(
        { client: connection.clientHost, api: apiName(apiKey), version },
        'closing connection: unsupported API or version',
      );
      return 'close';
    }
    const ctx: RequestContext = {
      apiKey,
      apiVersion: version,
      correlationId: header.correlationId,
      clientId: header.clientId,
      clientHost: clientHostOf(connection),
      listenerName: connection.listenerName,
      receivedAtMs,
      services: this.services,
    };
    let response: unknown;
    try {
      if (handler.expectsResponse?.(decoded.body) === false) {
        await handler.handle(decoded.body, ctx);
        return undefined;
      }
      response = await handler.handle(decoded.body, ctx);
    } catch (err) {
      return this.errorResponse(api, ctx, err);
    }
    try {
      return encodeResponse(api, version, header.correlationId, response);
    } catch (err) {
      this.logger.error({ err, api: api.name, version }, 'could not encode response; closing connection');
      return 'close';
    }
  }

  private errorResponse(api: ApiCodec, ctx: RequestContext, err: unknown): Buffer[] | 'close' {
    const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
    if (!(err instanceof KafkaError) || code === ErrorCode.UNKNOWN_SERVER_ERROR) {
      this.logger.error({ err, api: api.name, version: ctx.apiVersion }, 'request handler failed');
    }
    if (code === ErrorCode.NONE || !carriesTopLevelErrorCode(api, ctx.apiVersion)) return 'close';
    return encodeResponse(api, ctx.apiVersion, ctx.correlationId, { errorCode: code });
  }
}

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

/**
 * Whether a response of this version carries a top-level error code: encoding one and reading
 * it back tells, without a per-API table (an ignorable field absent from the version would be
 * dropped silently, and the client would see success).
 */
function carriesTopLevelErrorCode(api: ApiCodec, version: number): boolean {
  try {
    const body = encodeMessage(api.response, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR }, version);
    const decoded = decodeMessage(api.response, body, version) as { errorCode?: number };
    return decoded.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR;
  } catch {
    return false;
  }
}
