/**
 * Kafka's `Serializer`, `Deserializer` and `Serde`: objects with `serialize(topic, data)` and
 * `deserialize(topic, data)`, as in `org.apache.kafka.common.serialization`, so a Java user finds
 * the same calls. `null` passes through both as `null` (a null key, a tombstone), as Kafka's own
 * serdes do; the runtime never hands `null` to a serde that could not represent it.
 */
export interface Serializer<T> {
  serialize(topic: string, data: T | null): Uint8Array | null;
}

export interface Deserializer<T> {
  deserialize(topic: string, data: Uint8Array | null): T | null;
}

export interface Serde<T> {
  serializer(): Serializer<T>;
  deserializer(): Deserializer<T>;
}

/** Kafka's `SerializationException`: bytes that do not fit the serde (e.g. a Long of 7 bytes). */
export class SerializationException extends Error {
  override readonly name = 'SerializationException';
}

/** Builds a serde from two functions that never see `null` (Kafka's `Serdes.serdeFrom`). */
export function serdeFrom<T>(
  serialize: (topic: string, data: T) => Uint8Array,
  deserialize: (topic: string, data: Uint8Array) => T,
): Serde<T> {
  const serializer: Serializer<T> = {
    serialize: (topic, data) => (data === null ? null : serialize(topic, data)),
  };
  const deserializer: Deserializer<T> = {
    deserialize: (topic, data) => (data === null ? null : deserialize(topic, data)),
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}
