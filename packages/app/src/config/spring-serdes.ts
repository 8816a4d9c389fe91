import {
  bufferDeserializer,
  bufferSerializer,
  ConfigError,
  type Deserializer,
  jsonDeserializer,
  jsonSerializer,
  type Serializer,
  stringDeserializer,
  stringSerializer,
} from '@samsa/client';
import { errorHandlingDeserializer } from '../serde/error-handling-deserializer.js';
import { jsonSerdeFromProperties } from '../serde/json-serde-from-properties.js';
import type { JsonTypeMapper } from '../serde/json-type-mapper.js';

/**
 * The serde a Spring configuration names (`key-serializer`, `value-deserializer`, ...), as this
 * package builds it. `spring-json` is Spring's `JsonSerializer`/`JsonDeserializer`: the bytes are
 * the client's plain `json`, plus type headers and trusted packages, built by `springSerdes`.
 */
export type SpringSerdeName = 'string' | 'json' | 'buffer' | 'spring-json';

export interface SpringSerde {
  /** The class as configured (Spring Boot's default is the String serde). */
  readonly className: string;
  readonly name: SpringSerdeName;
  /** Wrapped in Spring's `ErrorHandlingDeserializer` (consumers only). */
  readonly errorHandling: boolean;
  /** The role's `spring.json.*` and `spring.deserializer.*` properties, which configure it. */
  readonly properties: Readonly<Record<string, string>>;
}

const SPRING_SERDE = 'org.springframework.kafka.support.serializer.';
const KAFKA_SERDE = 'org.apache.kafka.common.serialization.';

/** Class names (or this client's short names) of serdes with a counterpart here. */
const SERDE_CLASSES: Readonly<Record<string, SpringSerdeName>> = {
  string: 'string',
  json: 'json',
  buffer: 'buffer',
  [`${KAFKA_SERDE}StringSerializer`]: 'string',
  [`${KAFKA_SERDE}StringDeserializer`]: 'string',
  [`${KAFKA_SERDE}ByteArraySerializer`]: 'buffer',
  [`${KAFKA_SERDE}ByteArrayDeserializer`]: 'buffer',
  [`${KAFKA_SERDE}BytesSerializer`]: 'buffer',
  [`${KAFKA_SERDE}BytesDeserializer`]: 'buffer',
  [`${KAFKA_SERDE}ByteBufferSerializer`]: 'buffer',
  [`${KAFKA_SERDE}ByteBufferDeserializer`]: 'buffer',
  [`${SPRING_SERDE}JsonSerializer`]: 'spring-json',
  [`${SPRING_SERDE}JsonDeserializer`]: 'spring-json',
  [`${SPRING_SERDE}JacksonJsonSerializer`]: 'spring-json',
  [`${SPRING_SERDE}JacksonJsonDeserializer`]: 'spring-json',
};
const ERROR_HANDLING = new Set([
  `${SPRING_SERDE}ErrorHandlingDeserializer`,
  `${SPRING_SERDE}ErrorHandlingDeserializer2`,
]);

export const DEFAULT_SERIALIZER = `${KAFKA_SERDE}StringSerializer`;
export const DEFAULT_DESERIALIZER = `${KAFKA_SERDE}StringDeserializer`;

/**
 * The serde a client map configures under `clientKey` (`key.serializer`, `value.deserializer`,
 * ...). `props` is the role's whole client map, where `spring.deserializer.<key|value>.delegate.class`
 * names the delegate of an `ErrorHandlingDeserializer`; `nameOf` gives the configuration key to
 * name in errors for a client key (the Spring key it was bound from).
 */
export function springSerdeOf(
  clientKey: string,
  props: Readonly<Record<string, string>>,
  nameOf: (clientKey: string) => string = (k) => k,
): SpringSerde {
  const side = clientKey.startsWith('key.') ? 'key' : 'value';
  const trimmed = (props[clientKey] ?? '').trim();
  const properties = serdeProperties(props);
  if (ERROR_HANDLING.has(trimmed)) {
    const delegateKey = `spring.deserializer.${side}.delegate.class`;
    const delegate = props[delegateKey];
    if (delegate === undefined) {
      throw new ConfigError(nameOf(delegateKey), `is required by ErrorHandlingDeserializer (${nameOf(clientKey)})`);
    }
    const inner = SERDE_CLASSES[delegate.trim()];
    if (inner === undefined) throw new ConfigError(nameOf(delegateKey), `no counterpart here for '${delegate.trim()}'`);
    const fn = `spring.deserializer.${side}.function`;
    if (props[fn] !== undefined) {
      throw new ConfigError(nameOf(fn), 'a Java function cannot be called; use errorHandlingDeserializer');
    }
    return { className: trimmed, name: inner, errorHandling: true, properties };
  }
  const name = SERDE_CLASSES[trimmed];
  if (name === undefined) {
    throw new ConfigError(
      nameOf(clientKey),
      `no counterpart here for '${trimmed}' (String, ByteArray, Bytes, Json serdes are)`,
    );
  }
  return { className: trimmed, name, errorHandling: false, properties };
}

/** What the client's `key.serializer`/`value.deserializer` settings accept for this serde. */
export function clientSerdeName(serde: SpringSerde): 'string' | 'json' | 'buffer' {
  return serde.name === 'spring-json' ? 'json' : serde.name;
}

/** The client properties that configure serdes rather than the client. */
export function isSerdeProperty(key: string): boolean {
  return key.startsWith('spring.json.') || key.startsWith('spring.deserializer.');
}

function serdeProperties(props: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (isSerdeProperty(k)) out[k] = v;
  return out;
}

export interface SpringSerdeFunctions {
  readonly producer: { readonly keySerializer: Serializer<unknown>; readonly valueSerializer: Serializer<unknown> };
  readonly consumer: {
    readonly keyDeserializer: Deserializer<unknown>;
    readonly valueDeserializer: Deserializer<unknown>;
  };
}

/**
 * Builds the serializer and deserializer functions the configuration names: Spring JSON serdes
 * from their `spring.json.*` properties (sharing `mapper`), error-handling ones wrapped.
 */
export function springSerdes(
  serdes: {
    readonly producerKey: SpringSerde;
    readonly producerValue: SpringSerde;
    readonly consumerKey: SpringSerde;
    readonly consumerValue: SpringSerde;
  },
  mapper?: JsonTypeMapper,
): SpringSerdeFunctions {
  return {
    producer: {
      keySerializer: serializerOf(serdes.producerKey, true, mapper),
      valueSerializer: serializerOf(serdes.producerValue, false, mapper),
    },
    consumer: {
      keyDeserializer: deserializerOf(serdes.consumerKey, true, mapper),
      valueDeserializer: deserializerOf(serdes.consumerValue, false, mapper),
    },
  };
}

function serializerOf(serde: SpringSerde, isKey: boolean, mapper: JsonTypeMapper | undefined): Serializer<unknown> {
  switch (serde.name) {
    case 'string':
      return stringSerializer as Serializer<unknown>;
    case 'buffer':
      return bufferSerializer as Serializer<unknown>;
    case 'json':
      return jsonSerializer;
    case 'spring-json':
      return jsonSerdeFromProperties(serde.properties, isKey, mapper).serializer;
  }
}

function deserializerOf(serde: SpringSerde, isKey: boolean, mapper: JsonTypeMapper | undefined): Deserializer<unknown> {
  let inner: Deserializer<unknown>;
  switch (serde.name) {
    case 'string':
      inner = stringDeserializer;
      break;
    case 'buffer':
      inner = bufferDeserializer;
      break;
    case 'json':
      inner = jsonDeserializer;
      break;
    case 'spring-json':
      inner = jsonSerdeFromProperties(serde.properties, isKey, mapper).deserializer;
      break;
  }
  return serde.errorHandling ? errorHandlingDeserializer(inner, { isKey }) : inner;
}
