import { TimeWindow, Windowed } from '../dsl/time-windows.js';
import type { Serde } from './serde.js';
import { sessionWindowedSerde } from './session-windowed-serde.js';

function windowedSerde<K>(inner: Serde<K>, windowSizeMs: number, suffix: number): Serde<Windowed<K>> {
  const serializer = {
    serialize(topic: string, data: Windowed<K> | null): Uint8Array | null {
      if (data === null) return null;
      const key = inner.serializer().serialize(topic, data.key()) ?? new Uint8Array();
      const out = Buffer.alloc(key.length + 8 + suffix);
      out.set(key, 0);
      out.writeBigInt64BE(BigInt(data.window().start()), key.length);
      return out;
    },
  };
  const deserializer = {
    deserialize(topic: string, data: Uint8Array | null): Windowed<K> | null {
      if (data === null) return null;
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const keyLength = bytes.length - 8 - suffix;
      const key = inner.deserializer().deserialize(topic, bytes.subarray(0, keyLength)) as K;
      const start = Number(bytes.readBigInt64BE(keyLength));
      return new Windowed(key, new TimeWindow(start, start + windowSizeMs));
    },
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}

/**
 * Kafka Streams' `WindowedSerdes`: `timeWindowedSerdeFrom(serde, windowSize)` writes a windowed
 * key as Java's TimeWindowedSerializer does — the key's bytes, then the window start as an
 * 8-byte big-endian long (the end is start + size).
 */
export const WindowedSerdes = {
  timeWindowedSerdeFrom: <K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> =>
    windowedSerde(inner, windowSizeMs, 0),
  /** Java's `SessionWindowedSerde`: the key's bytes, then the session's end and start (8 bytes each). */
  sessionWindowedSerdeFrom: <K>(inner: Serde<K>): Serde<Windowed<K>> => sessionWindowedSerde(inner),
} as const;

/**
 * A window store's key bytes, Java's WindowKeySchema: key, 8-byte window start, 4-byte sequence
 * number (0: aggregations keep one value per key and window). Used for the store and its
 * changelog, so a Java application restoring this changelog reads the same keys.
 */
export function windowStoreKeySerde<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
  return windowedSerde(inner, windowSizeMs, 4);
}
