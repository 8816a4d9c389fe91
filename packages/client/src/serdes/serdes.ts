import type { RecordHeader } from '../common/record-header.js';

/**
 * Serializers turn a typed key or value into bytes; deserializers turn bytes back. A `null` key
 * or value is never passed to them: it stays `null` on the wire (a null key, a tombstone), as
 * Kafka's own serializers treat null.
 */
export type Serializer<T> = (value: T, topic: string, headers: readonly RecordHeader[]) => Uint8Array;
export type Deserializer<T> = (data: Buffer, topic: string, headers: readonly RecordHeader[]) => T;

/** Built-in serdes by name, as accepted in configuration (`key.serializer: 'string'`). */
export type SerdeName = 'string' | 'json' | 'buffer';

export const stringSerializer: Serializer<string> = (value) => Buffer.from(value, 'utf8');
export const stringDeserializer: Deserializer<string> = (data) => data.toString('utf8');
export const jsonSerializer: Serializer<unknown> = (value) => Buffer.from(JSON.stringify(value), 'utf8');
export const jsonDeserializer: Deserializer<unknown> = (data) => JSON.parse(data.toString('utf8')) as unknown;
/** Bytes in, bytes out: strings are UTF-8 encoded for convenience. */
export const bufferSerializer: Serializer<Uint8Array | string> = (value) =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
export const bufferDeserializer: Deserializer<Buffer> = (data) => data;

/** The built-in serdes grouped, for `import { Serdes }` call sites. */
export const Serdes = {
  string: { serializer: stringSerializer, deserializer: stringDeserializer },
  json: { serializer: jsonSerializer, deserializer: jsonDeserializer },
  buffer: { serializer: bufferSerializer, deserializer: bufferDeserializer },
} as const;

/**
 * Java and Spring class names a `.properties` file may carry, mapped to the built-in serde that
 * writes the same bytes (Spring's JsonSerializer writes UTF-8 JSON, as ours does).
 */
const JAVA_SERDE_CLASSES: Readonly<Record<string, SerdeName>> = {
  'org.apache.kafka.common.serialization.StringSerializer': 'string',
  'org.apache.kafka.common.serialization.StringDeserializer': 'string',
  'org.apache.kafka.common.serialization.ByteArraySerializer': 'buffer',
  'org.apache.kafka.common.serialization.ByteArrayDeserializer': 'buffer',
  'org.apache.kafka.common.serialization.BytesSerializer': 'buffer',
  'org.apache.kafka.common.serialization.BytesDeserializer': 'buffer',
  'org.apache.kafka.common.serialization.ByteBufferSerializer': 'buffer',
  'org.apache.kafka.common.serialization.ByteBufferDeserializer': 'buffer',
  'org.springframework.kafka.support.serializer.JsonSerializer': 'json',
  'org.springframework.kafka.support.serializer.JsonDeserializer': 'json',
};

/** The serde name for a configured string (`'string'`, or a Java class name), or undefined. */
export function serdeNameOf(value: string): SerdeName | undefined {
  const trimmed = value.trim();
  if (trimmed === 'string' || trimmed === 'json' || trimmed === 'buffer') return trimmed;
  return JAVA_SERDE_CLASSES[trimmed];
}

export function serializerByName(name: SerdeName): Serializer<unknown> {
  return Serdes[name].serializer as Serializer<unknown>;
}

export function deserializerByName(name: SerdeName): Deserializer<unknown> {
  return Serdes[name].deserializer as Deserializer<unknown>;
}
