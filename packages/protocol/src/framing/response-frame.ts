import type { ApiCodec } from '../codec.js';
import { ResponseHeaderCodec } from '../generated/response-header.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { responseHeaderVersion } from './api-registry.js';

/**
 * Encodes a response with its header and 4-byte size prefix. Returns buffers to write in order:
 * large record payloads (Fetch) are referenced, not copied.
 */
export function encodeResponse(api: ApiCodec, apiVersion: number, correlationId: number, body: unknown): Buffer[] {
  const headerVersion = responseHeaderVersion(api.apiKey, apiVersion);
  const header = { correlationId };
  const headerSize = ResponseHeaderCodec.size(header, headerVersion);
  const bodySize = api.response.size(body, apiVersion);
  const writer = Writer.forMessage(4 + headerSize + bodySize);
  writer.writeInt32(headerSize + bodySize);
  ResponseHeaderCodec.write(writer, header, headerVersion);
  api.response.write(writer, body, apiVersion);
  return writer.toChunks();
}

/** Reads the correlation ID of a response frame (after the size prefix) without decoding the rest. */
export function peekCorrelationId(frame: Buffer): number {
  return frame.readInt32BE(0);
}

/** Decodes a response frame (after the size prefix) for a request sent with `apiVersion`. */
export function decodeResponse(
  api: ApiCodec,
  apiVersion: number,
  frame: Buffer,
): { correlationId: number; body: unknown } {
  const reader = new Reader(frame);
  const header = ResponseHeaderCodec.read(reader, responseHeaderVersion(api.apiKey, apiVersion));
  const body = api.response.read(reader, apiVersion);
  return { correlationId: header.correlationId, body };
}
