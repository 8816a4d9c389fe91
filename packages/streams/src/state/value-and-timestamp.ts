import type { Serde } from '../serde/serde.js';

/** Kafka Streams' `ValueAndTimestamp`: a stored value with the timestamp of its latest update. */
export class ValueAndTimestamp<V> {
  constructor(
    readonly value: V,
    readonly timestamp: number,
  ) {}

  static make<V>(value: V, timestamp: number): ValueAndTimestamp<V> {
    return new ValueAndTimestamp(value, timestamp);
  }
}

/** Java's timestamped-store value bytes (ValueAndTimestampSerializer): an 8-byte big-endian timestamp, then the value. */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  return {
    serializer: () => ({
      serialize(topic: string, data: ValueAndTimestamp<V> | null): Uint8Array | null {
        if (data === null) return null;
        const value = inner.serializer().serialize(topic, data.value) ?? new Uint8Array();
        const out = Buffer.alloc(8 + value.length);
        out.writeBigInt64BE(BigInt(data.timestamp), 0);
        out.set(value, 8);
        return out;
      },
    }),
    deserializer: () => ({
      deserialize(topic: string, data: Uint8Array | null): ValueAndTimestamp<V> | null {
        if (data === null) return null;
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const value = inner.deserializer().deserialize(topic, bytes.subarray(8)) as V;
        return new ValueAndTimestamp(value, Number(bytes.readBigInt64BE(0)));
      },
    }),
  };
}
