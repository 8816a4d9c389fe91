import type { Reader } from './primitives/reader.js';
import type { Writer } from './primitives/writer.js';

/** A tagged field the decoder did not know, kept so that re-encoding loses nothing. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

/**
 * The encoder/decoder of one message, over all its versions. Generated from the schema tables;
 * `T` is the decoded shape (every field present), `I` the accepted input (every field optional,
 * defaults as in Kafka's specs).
 */
export interface MessageCodec<T, I> {
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version, or `Infinity` if the message has none. */
  readonly firstFlexibleVersion: number;
  size(message: I, version: number): number;
  write(writer: Writer, message: I, version: number): void;
  read(reader: Reader, version: number): T;
}

/** The request and response codecs of one API key. */
export interface ApiCodec<Req = unknown, ReqIn = unknown, Res = unknown, ResIn = unknown> {
  readonly apiKey: number;
  readonly name: string;
  readonly request: MessageCodec<Req, ReqIn>;
  readonly response: MessageCodec<Res, ResIn>;
  /**
   * The response versions with a top-level `errorCode` (generated from the tables); absent when no
   * version has one. Outside this range a request-wide error goes on every partition or resource.
   */
  readonly topLevelErrorCode?: { readonly minVersion: number; readonly maxVersion: number };
}

/** Whether `version` of this API's response carries a top-level error code. */
export function hasTopLevelErrorCode(api: ApiCodec, version: number): boolean {
  const range = api.topLevelErrorCode;
  return range !== undefined && version >= range.minVersion && version <= range.maxVersion;
}
