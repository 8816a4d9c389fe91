import type { Serde } from '../serde/serde.js';

/** One buffered update: the value before the first buffered update (`prior`), the latest one, and when. */
export interface BufferedChange<V> {
  /** Stream time (ms) the entry is ordered by: its window's end, or when it was first buffered. */
  readonly bufferTimeMs: number;
  readonly recordTimestampMs: number;
  readonly priorValue: V | null;
  readonly newValue: V | null;
}

/**
 * The suppression buffer's value bytes: buffer time, record timestamp (8 bytes each, big-endian),
 * then the prior and the new value, each as a 4-byte length (-1: null) and its serde's bytes.
 * This is Samsa's own layout, not the one of Java's InMemoryTimeOrderedKeyValueBuffer changelog.
 */
export function bufferedChangeSerde<V>(inner: Serde<V>): Serde<BufferedChange<V>> {
  const writeValue = (topic: string, value: V | null): Buffer => {
    const bytes = value === null ? null : inner.serializer().serialize(topic, value);
    const out = Buffer.alloc(4 + (bytes?.length ?? 0));
    out.writeInt32BE(bytes === null ? -1 : bytes.length, 0);
    if (bytes !== null) out.set(bytes, 4);
    return out;
  };
  return {
    serializer: () => ({
      serialize(topic: string, data: BufferedChange<V> | null): Uint8Array | null {
        if (data === null) return null;
        const head = Buffer.alloc(16);
        head.writeBigInt64BE(BigInt(data.bufferTimeMs), 0);
        head.writeBigInt64BE(BigInt(data.recordTimestampMs), 8);
        return Buffer.concat([head, writeValue(topic, data.priorValue), writeValue(topic, data.newValue)]);
      },
    }),
    deserializer: () => ({
      deserialize(topic: string, data: Uint8Array | null): BufferedChange<V> | null {
        if (data === null) return null;
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        let position = 16;
        const readValue = (): V | null => {
          const length = bytes.readInt32BE(position);
          position += 4;
          if (length < 0) return null;
          const value = inner.deserializer().deserialize(topic, bytes.subarray(position, position + length));
          position += length;
          return value;
        };
        const priorValue = readValue();
        const newValue = readValue();
        return {
          bufferTimeMs: Number(bytes.readBigInt64BE(0)),
          recordTimestampMs: Number(bytes.readBigInt64BE(8)),
          priorValue,
          newValue,
        };
      },
    }),
  };
}
