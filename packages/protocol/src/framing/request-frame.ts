import type { ApiCodec } from '../codec.js';
import { ProtocolDecodeError } from '../errors/kafka-error.js';
import { type RequestHeader, RequestHeaderCodec } from '../generated/request-header.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { apiCodec, requestHeaderVersion } from './api-registry.js';

/**
 * The outcome of decoding one request frame (the bytes after the 4-byte size prefix).
 *
 * Unknown API keys and unsupported versions are outcomes, not exceptions: the broker must still
 * answer them as Kafka does (ApiVersions → a v0 response with UNSUPPORTED_VERSION and the
 * supported list; anything else → close the connection).
 */
export type DecodedRequest =
  | { readonly kind: 'ok'; readonly header: RequestHeader; readonly body: unknown; readonly api: ApiCodec }
  | { readonly kind: 'unknown-api'; readonly header: RequestHeader }
  | { readonly kind: 'unsupported-version'; readonly header: RequestHeader; readonly api: ApiCodec };

/**
 * Reads the request header. Its first three fields are the same in every header version, so an
 * unknown key or version can still be reported with its correlation ID.
 */
export function decodeRequestHeader(frame: Buffer, reader = new Reader(frame)): RequestHeader {
  if (frame.length < 8) throw new ProtocolDecodeError(`request frame of ${frame.length} bytes has no header`);
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const api = apiCodec(apiKey);
  const inRange = api !== undefined && apiVersion >= api.request.minVersion && apiVersion <= api.request.maxVersion;
  // An unknown version is read with header v1: its fields (key, version, correlation id, client
  // id) are a prefix of v2's, and only the correlation id matters then — the broker answers
  // ApiVersions with its supported list (KIP-511) or closes the connection. Tagged fields a
  // flexible v2 header may carry are simply left unread with the body.
  const headerVersion = api === undefined || !inRange ? 1 : requestHeaderVersion(apiKey, apiVersion);
  return RequestHeaderCodec.read(reader, headerVersion);
}

/** Decodes a whole request frame (header and body). Throws `ProtocolDecodeError` on malformed bytes. */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const reader = new Reader(frame);
  const header = decodeRequestHeader(frame, reader);
  const api = apiCodec(header.requestApiKey);
  if (api === undefined) return { kind: 'unknown-api', header };
  const version = header.requestApiVersion;
  if (version < api.request.minVersion || version > api.request.maxVersion) {
    return { kind: 'unsupported-version', header, api };
  }
  const body = api.request.read(reader, version);
  // Bytes after the body are ignored, as Kafka ignores them: RequestContext.parseRequest reads
  // the fields of the version and never checks that the buffer was consumed. Clients rely on it:
  // librdkafka 2.x sends Metadata v9+ "all topics" requests with the 4-byte placeholder of the
  // topic count left in place — a compact null array (0x00) and three zero bytes that Kafka
  // reads as allowAutoTopicCreation=false, includeTopicAuthorizedOperations=false and no tagged
  // fields, then ignores the 3 bytes librdkafka meant for those fields.
  return { kind: 'ok', header, body, api };
}

/** Encodes a request with its header and 4-byte size prefix, ready for the socket. */
export function encodeRequest(
  api: ApiCodec,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
  body: unknown,
): Buffer[] {
  const headerVersion = requestHeaderVersion(api.apiKey, apiVersion);
  const header = { requestApiKey: api.apiKey, requestApiVersion: apiVersion, correlationId, clientId };
  const headerSize = RequestHeaderCodec.size(header, headerVersion);
  const bodySize = api.request.size(body, apiVersion);
  const writer = Writer.forMessage(4 + headerSize + bodySize);
  writer.writeInt32(headerSize + bodySize);
  RequestHeaderCodec.write(writer, header, headerVersion);
  api.request.write(writer, body, apiVersion);
  return writer.toChunks();
}
