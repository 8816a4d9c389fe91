import type { HeadersInput, ProducerRecord, RecordHeader, Serializer } from '@samsa/client';
import { TypeHeaders } from '../support/kafka-headers.js';
import { JsonTypeMapper, parseTypeMappings } from './json-type-mapper.js';

/**
 * Spring Kafka's `JsonSerializer`: UTF-8 JSON, plus the `__TypeId__` header (`__Key_TypeId__`
 * for keys) naming the value's Java class when `spring.json.add.type.headers` is true (default),
 * so that a Spring consumer's `JsonDeserializer` (or ours) can rebuild the type.
 *
 * Where the header goes: a client `Serializer` receives the record's headers read-only (the
 * producer normalizes them before serializing and may pass a frozen empty list), so it cannot add
 * one as Spring's `serialize(topic, headers, data)` does. The serializer therefore writes only the
 * bytes, and exposes `typeHeaderFor(value)`; `withTypeHeaders(record, serializers)` returns the
 * record with the header added, replacing an existing one as Spring's `fromJavaType` does, and is
 * what `KafkaTemplate` calls before `send`. Used alone as a producer's `value.serializer`, it
 * writes the same JSON without the header.
 *
 * The type name is, in order: the registered name of the value's exact class (the mapper), else
 * the `typeName` option; then, as Spring's reverse `spring.json.type.mapping`, a token mapped to
 * that class name replaces it. Other values (plain objects, primitives) get no header.
 *
 * The bytes match Jackson's defaults for the same data: no whitespace, properties in insertion
 * (declaration) order, `null` fields written. Differences: `undefined` properties are left out
 * (Jackson has no such value), a `Date` is an ISO string (Spring's mapper writes Java time types
 * as numbers), and `bigint` cannot be written (JSON.stringify refuses it).
 */
export interface JsonSerializer<T> extends Serializer<T> {
  readonly isKey: boolean;
  readonly addTypeInfo: boolean;
  /** `__TypeId__` or `__Key_TypeId__`. */
  readonly typeHeaderName: string;
  /** The type id written for this value, or undefined when no header is written. */
  typeIdOf(value: T): string | undefined;
  typeHeaderFor(value: T): RecordHeader | undefined;
}

export interface JsonSerializerOptions<T> {
  readonly mapper?: JsonTypeMapper;
  /** Serialize keys: the header is `__Key_TypeId__` (Spring's `forKeys()` / configure isKey). */
  readonly isKey?: boolean;
  /** `spring.json.add.type.headers`; default true. */
  readonly addTypeInfo?: boolean;
  /** The type id for values whose class is not registered (a name, or chosen per value). */
  readonly typeName?: string | ((value: T) => string | undefined);
  /** `spring.json.type.mapping`: `'user:com.kun.kafka.bean.UserBean'`, or token → class name. */
  readonly typeMappings?: string | Readonly<Record<string, string>>;
}

export function createJsonSerializer<T = unknown>(options: JsonSerializerOptions<T> = {}): JsonSerializer<T> {
  const mapper = options.mapper ?? new JsonTypeMapper();
  const isKey = options.isKey ?? false;
  const addTypeInfo = options.addTypeInfo ?? true;
  const typeHeaderName = isKey ? TypeHeaders.KEY_TYPE_ID : TypeHeaders.VALUE_TYPE_ID;
  const tokenOf = new Map<string, string>();
  if (options.typeMappings !== undefined) {
    for (const [token, className] of parseTypeMappings(options.typeMappings)) tokenOf.set(className, token);
  }
  const typeName = options.typeName;

  const serialize = (value: T, topic: string): Uint8Array => {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (cause) {
      throw new Error(`Can't serialize data [${describe(value)}] for topic [${topic}]`, { cause });
    }
    if (text === undefined) throw new Error(`Can't serialize data [${describe(value)}] for topic [${topic}]`);
    return Buffer.from(text, 'utf8');
  };

  const typeIdOf = (value: T): string | undefined => {
    if (!addTypeInfo || value === null || value === undefined) return undefined;
    const name = mapper.typeNameOf(value) ?? (typeof typeName === 'function' ? typeName(value) : typeName);
    return name === undefined ? undefined : (tokenOf.get(name) ?? name);
  };

  const typeHeaderFor = (value: T): RecordHeader | undefined => {
    const id = typeIdOf(value);
    return id === undefined ? undefined : { key: typeHeaderName, value: Buffer.from(id, 'utf8') };
  };

  return Object.assign(serialize, { isKey, addTypeInfo, typeHeaderName, typeIdOf, typeHeaderFor });
}

/** Whether a serializer is one of ours (so it has a type header to add). */
export function isJsonSerializer(serializer: unknown): serializer is JsonSerializer<unknown> {
  return (
    typeof serializer === 'function' &&
    typeof (serializer as Partial<JsonSerializer<unknown>>).typeHeaderFor === 'function' &&
    typeof (serializer as Partial<JsonSerializer<unknown>>).typeHeaderName === 'string'
  );
}

/**
 * The record with the type headers its key and value serializers call for; serializers that are
 * not JSON serializers, null keys and values, and values without a type id change nothing. An
 * existing header of the same name is replaced, not repeated. The record is not modified.
 */
export function withTypeHeaders<K, V>(
  record: ProducerRecord<K, V>,
  serializers: { readonly key?: Serializer<K> | string; readonly value?: Serializer<V> | string },
): ProducerRecord<K, V> {
  const added: RecordHeader[] = [];
  if (isJsonSerializer(serializers.key) && record.key !== undefined && record.key !== null) {
    const header = serializers.key.typeHeaderFor(record.key);
    if (header !== undefined) added.push(header);
  }
  if (isJsonSerializer(serializers.value) && record.value !== null) {
    const header = serializers.value.typeHeaderFor(record.value);
    if (header !== undefined) added.push(header);
  }
  if (added.length === 0) return record;
  const replaced = new Set(added.map((h) => h.key));
  const kept = headerList(record.headers).filter((h) => !replaced.has(h.key));
  return { ...record, headers: [...kept, ...added] };
}

function headerList(input: HeadersInput | undefined): { key: string; value: string | Uint8Array | null }[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return [...(input as readonly { key: string; value: string | Uint8Array | null }[])];
  const out: { key: string; value: string | Uint8Array | null }[] = [];
  for (const [key, value] of Object.entries(input as Record<string, string | Uint8Array | null | undefined>)) {
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
