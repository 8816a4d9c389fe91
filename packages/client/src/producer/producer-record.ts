import type { RecordHeader } from '../common/record-header.js';

/** Headers as accepted by `send`: an object (string or bytes values) or a list of key/value pairs. */
export type HeadersInput =
  | Readonly<Record<string, string | Uint8Array | null | undefined>>
  | readonly { readonly key: string; readonly value: string | Uint8Array | null }[];

/**
 * One record to produce. `key` and `value` are typed by the producer's serializers; `null` is
 * sent as null (a tombstone value, a null key). Without `partition` the partitioner chooses.
 */
export interface ProducerRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly key?: K | null;
  readonly value: V | null;
  readonly partition?: number;
  /** Milliseconds since the epoch; `Date.now()` when omitted (CreateTime). */
  readonly timestamp?: number;
  readonly headers?: HeadersInput;
}

/**
 * What a delivered record became. Offsets are `bigint` everywhere in this client, as Kafka's are
 * int64; `-1n` when unknown (acks=0, or a duplicate detected by the broker's idempotence check).
 */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The record's timestamp, or the broker's append time for LogAppendTime topics. */
  readonly timestamp: number;
  readonly serializedKeySize: number;
  readonly serializedValueSize: number;
}

/** Callback form of `send`: exactly one of the arguments is set. */
export type DeliveryCallback = (error: Error | null, metadata: RecordMetadata | null) => void;

const EMPTY: readonly RecordHeader[] = Object.freeze([]);

export function normalizeHeaders(input: HeadersInput | undefined): readonly RecordHeader[] {
  // Most records have no headers: no array is made for them (Streams passes an empty list per record).
  if (input === undefined || (Array.isArray(input) && input.length === 0)) return EMPTY;
  const out: RecordHeader[] = [];
  if (Array.isArray(input)) {
    for (const h of input as readonly { key: string; value: string | Uint8Array | null }[]) {
      out.push({ key: h.key, value: toBuffer(h.value) });
    }
  } else {
    for (const [key, value] of Object.entries(input as Record<string, string | Uint8Array | null | undefined>)) {
      if (value === undefined) continue;
      out.push({ key, value: toBuffer(value) });
    }
  }
  return out;
}

function toBuffer(value: string | Uint8Array | null): Buffer | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
