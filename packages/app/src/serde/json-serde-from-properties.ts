import { createJsonDeserializer, type JsonDeserializer } from './json-deserializer.js';
import { createJsonSerializer, type JsonSerializer } from './json-serializer.js';
import type { JsonTypeMapper } from './json-type-mapper.js';

/** Spring's `JsonSerializer`/`JsonDeserializer` configuration keys, as they appear in client properties. */
export const SpringJsonProperties = {
  TRUSTED_PACKAGES: 'spring.json.trusted.packages',
  TYPE_MAPPINGS: 'spring.json.type.mapping',
  KEY_DEFAULT_TYPE: 'spring.json.key.default.type',
  VALUE_DEFAULT_TYPE: 'spring.json.value.default.type',
  USE_TYPE_INFO_HEADERS: 'spring.json.use.type.headers',
  ADD_TYPE_INFO_HEADERS: 'spring.json.add.type.headers',
  REMOVE_TYPE_INFO_HEADERS: 'spring.json.remove.type.headers',
  KEY_TYPE_METHOD: 'spring.json.key.type.method',
  VALUE_TYPE_METHOD: 'spring.json.value.type.method',
} as const;

/**
 * Builds the JSON serializer and deserializer a Spring application would configure from the same
 * properties (`configure(configs, isKey)` of both classes), e.g. the `spring.json.*` entries of
 * `spring.kafka.consumer.properties`. Booleans are read as Java's `Boolean.parseBoolean` reads
 * them: only `true` (any case) is true.
 *
 * `spring.json.remove.type.headers` is accepted and has no effect (record headers are read-only
 * here). The `*.type.method` keys name a static Java method, which cannot exist here: they throw.
 */
export function jsonSerdeFromProperties(
  props: Readonly<Record<string, string>>,
  isKey: boolean,
  mapper?: JsonTypeMapper,
): { serializer: JsonSerializer<unknown>; deserializer: JsonDeserializer<unknown> } {
  const P = SpringJsonProperties;
  for (const key of [P.KEY_TYPE_METHOD, P.VALUE_TYPE_METHOD]) {
    if (props[key] !== undefined) throw new Error(`${key}: a Java type method cannot be called; pass defaultType`);
  }
  const typeMappings = props[P.TYPE_MAPPINGS];
  const defaultType = props[isKey ? P.KEY_DEFAULT_TYPE : P.VALUE_DEFAULT_TYPE];
  const trustedPackages = props[P.TRUSTED_PACKAGES];
  const useTypeHeaders = props[P.USE_TYPE_INFO_HEADERS];
  const addTypeInfo = props[P.ADD_TYPE_INFO_HEADERS];
  const serializer = createJsonSerializer<unknown>({
    isKey,
    ...(mapper === undefined ? {} : { mapper }),
    ...(typeMappings === undefined ? {} : { typeMappings }),
    ...(addTypeInfo === undefined ? {} : { addTypeInfo: parseBoolean(addTypeInfo) }),
  });
  const deserializer = createJsonDeserializer<unknown>({
    isKey,
    ...(mapper === undefined ? {} : { mapper }),
    ...(typeMappings === undefined ? {} : { typeMappings }),
    ...(defaultType === undefined || defaultType.trim() === '' ? {} : { defaultType: defaultType.trim() }),
    ...(trustedPackages === undefined ? {} : { trustedPackages }),
    ...(useTypeHeaders === undefined ? {} : { useTypeHeaders: parseBoolean(useTypeHeaders) }),
  });
  return { serializer, deserializer };
}

function parseBoolean(value: string): boolean {
  return value.trim().toLowerCase() === 'true';
}
