import { readFileSync } from 'node:fs';
import { ConfigError } from '@samsa/client';
import type {
  SpringAdminSettings,
  SpringKafkaConfig,
  SpringListenerSettings,
  SpringRetryTopicSettings,
  SpringStreamsOptions,
  SpringTemplateSettings,
} from './spring-kafka-config.js';
import { CLIENT_FIELDS, type ClientRole, SETTINGS, type Section, SSL, str } from './spring-kafka-fields.js';
import { SpringPropertySource } from './spring-property-source.js';
import {
  clientSerdeName,
  DEFAULT_DESERIALIZER,
  DEFAULT_SERIALIZER,
  isSerdeProperty,
  type SpringSerde,
  springSerdeOf,
} from './spring-serdes.js';

/**
 * Binds Spring Boot's `spring.kafka.*` properties as Boot's `KafkaProperties` does:
 *
 * - names are relaxed (`batch-size`, `batchSize`, `batch_size` are one property), except the keys
 *   of `properties.*` maps, which are Kafka's names verbatim (`properties.linger.ms`,
 *   `properties[spring.json.trusted.packages]`);
 * - each client's settings are layered as `buildProducerProperties()` layers them: the shared
 *   ones (bootstrap servers, client id, ssl, security, `spring.kafka.properties.*`), then the
 *   role's typed ones (with Boot's defaults: String serdes, `read_uncommitted`), then the role's
 *   ssl and security, then its `properties.*`, each overriding what came before;
 * - Durations (`5000`, `5s`, `PT5S`) become milliseconds and DataSizes (`16384`, `16KB`) bytes;
 * - serde class names become the client's serde names, and the `spring.json.*` and
 *   `spring.deserializer.*` entries move from the client settings into `serdes`.
 *
 * An unknown `spring.kafka.*` key, or a value that does not convert, throws a `ConfigError`
 * naming the key. Other keys (`spring.application.name`, ...) are only there for placeholders.
 */
export interface SpringKafkaConfigOptions {
  /** For text input: `properties` (default) or `yaml`. */
  readonly format?: 'properties' | 'yaml';
  /** Where placeholders not defined in the source are looked up; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const PREFIX = 'spring.kafka.';

export function parseSpringKafkaConfig(
  input: string | Readonly<Record<string, unknown>> | SpringPropertySource,
  options: SpringKafkaConfigOptions = {},
): SpringKafkaConfig {
  const env = options.env ?? process.env;
  const source =
    input instanceof SpringPropertySource
      ? input
      : typeof input !== 'string'
        ? SpringPropertySource.fromObject(input, env)
        : options.format === 'yaml'
          ? SpringPropertySource.fromYaml(input, env)
          : SpringPropertySource.fromProperties(input, env);
  return bind(source);
}

/**
 * Reads `application.properties`, `.yml` or `.yaml` by its extension. Anything else (several
 * lines, or a line with '=') is configuration text, parsed in `options.format`.
 */
export function loadSpringKafkaConfig(pathOrText: string, options: SpringKafkaConfigOptions = {}): SpringKafkaConfig {
  const ext = /\.(properties|ya?ml)$/i.exec(pathOrText.trim());
  if (ext !== null && !pathOrText.includes('\n') && !pathOrText.includes('=')) {
    const format = (ext[1] as string).toLowerCase() === 'properties' ? 'properties' : 'yaml';
    return parseSpringKafkaConfig(readFileSync(pathOrText.trim(), 'utf8'), { ...options, format });
  }
  return parseSpringKafkaConfig(pathOrText, options);
}

interface Layer {
  /** The Spring key each Kafka key came from, for error messages. */
  origin: Record<string, string>;
  typed: Record<string, string>;
  ssl: Record<string, string>;
  security: Record<string, string>;
  properties: Record<string, string>;
}

/** Boot's relaxed form of one name element: case, dashes and underscores do not count. */
const relaxed = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

function bind(source: SpringPropertySource): SpringKafkaConfig {
  const layers: Record<ClientRole, Layer> = {
    root: emptyLayer(),
    producer: emptyLayer(),
    consumer: emptyLayer(),
    admin: emptyLayer(),
    streams: emptyLayer(),
  };
  const settings = {
    listener: {},
    template: {},
    admin: {},
    streams: {},
    retry: {},
    producer: {},
  } as Record<Section, Record<string, unknown>>;
  let streamsSeen = false;
  for (const [key, raw] of entries(source)) {
    const rest = key.slice(PREFIX.length);
    const m = /^([^.[]+)\.?(.*)$/s.exec(rest);
    const head = relaxed(m?.[1] ?? '');
    const tail = m?.[2] ?? '';
    try {
      if (head === 'producer' || head === 'consumer' || head === 'admin' || head === 'streams') {
        if (head === 'streams') streamsSeen = true;
        if (bindClient(layers[head], head, tail, raw, key)) continue;
        if (bindSetting(settings, head, relaxedPath(tail), raw)) continue;
      } else if (bindClient(layers.root, 'root', rest, raw, key)) continue;
      else if (head === 'jaas') throw new Error('Kerberos (JAAS) login is not supported');
      else if (bindSetting(settings, head, relaxedPath(tail), raw)) continue;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(key, (error as Error).message);
    }
    throw new ConfigError(key, 'unknown Spring Kafka setting');
  }

  const flat = (l: Layer) => ({ ...l.typed, ...l.ssl, ...l.security, ...l.properties });
  const common: Record<string, string> = { 'bootstrap.servers': 'localhost:9092', ...flat(layers.root) };
  const producerRaw = {
    ...common,
    'key.serializer': DEFAULT_SERIALIZER,
    'value.serializer': DEFAULT_SERIALIZER,
    ...flat(layers.producer),
  };
  const consumerRaw = {
    ...common,
    'isolation.level': 'read_uncommitted',
    'key.deserializer': DEFAULT_DESERIALIZER,
    'value.deserializer': DEFAULT_DESERIALIZER,
    ...flat(layers.consumer),
  };
  const [producer, producerKey, producerValue] = withSerdes(producerRaw, 'serializer', {
    ...layers.root.origin,
    ...layers.producer.origin,
  });
  const [consumer, consumerKey, consumerValue] = withSerdes(consumerRaw, 'deserializer', {
    ...layers.root.origin,
    ...layers.consumer.origin,
  });
  const trusted = consumerValue.properties['spring.json.trusted.packages'];
  const applicationName = source.get('spring.application.name');
  const streams = { ...common, ...flat(layers.streams) };
  if (streams['application.id'] === undefined && applicationName !== undefined) {
    streams['application.id'] = applicationName;
  }
  const p = settings.producer as { transactionIdPrefix?: string };
  return {
    common: withoutSerdeProperties(common),
    producer,
    consumer,
    admin: withoutSerdeProperties({ ...common, ...flat(layers.admin) }),
    ...(streamsSeen ? { streams, streamsOptions: streamsOptions(settings.streams) } : {}),
    serdes: { producerKey, producerValue, consumerKey, consumerValue },
    listener: listenerSettings(settings.listener),
    template: { observationEnabled: false, ...settings.template } as SpringTemplateSettings,
    ...(p.transactionIdPrefix === undefined ? {} : { producerTransactionIdPrefix: p.transactionIdPrefix }),
    kafkaAdmin: {
      failFast: false,
      autoCreate: true,
      modifyTopicConfigs: false,
      ...settings.admin,
    } as SpringAdminSettings,
    retryTopic: {
      enabled: false,
      attempts: 3,
      delayMs: 1000,
      multiplier: 0,
      maxDelayMs: 0,
      random: false,
      ...settings.retry,
    } as SpringRetryTopicSettings,
    ...(trusted === undefined ? {} : { jsonTrustedPackages: trusted.split(',').map((s) => s.trim()) }),
  };
}

/** `spring.kafka.*` entries in source order; indexed list elements (`bootstrap-servers[0]`) joined. */
function entries(source: SpringPropertySource): [string, string][] {
  const out = new Map<string, string[]>();
  for (const name of source.names()) {
    if (!name.startsWith(PREFIX)) continue;
    const indexed = /^(.*)\[(\d+)\]$/.exec(name);
    const isMapKey = indexed !== null && /(^|\.)properties$/i.test(indexed[1] as string);
    const key = indexed === null || isMapKey ? name : (indexed[1] as string);
    let value: string;
    try {
      value = source.get(name) ?? '';
    } catch (error) {
      throw new ConfigError(name, (error as Error).message);
    }
    const values = out.get(key) ?? [];
    if (indexed === null || isMapKey) values.splice(0, values.length, value);
    else values[Number(indexed[2])] = value;
    out.set(key, values);
  }
  return [...out].map(([key, values]) => [key, values.filter((v) => v !== undefined).join(',')]);
}

/** Binds client settings of one layer: typed fields, ssl, security and the properties map. */
function bindClient(layer: Layer, role: ClientRole, path: string, value: string, key: string): boolean {
  const props = /^([^.[]+)(?:\.(.+)|\[(.+)\])$/s.exec(path);
  if (props !== null && relaxed(props[1] as string) === 'properties') {
    const name = (props[2] ?? props[3]) as string;
    layer.properties[name] = value;
    layer.origin[name] = key;
    return true;
  }
  const dotted = relaxedPath(path);
  if (dotted === 'ssl.bundle') throw new Error('SSL bundles are not supported');
  if (dotted.startsWith('ssl.')) {
    const field = SSL[dotted.slice(4)];
    if (field === undefined) return false;
    layer.ssl[field[0]] = field[1](value);
    return true;
  }
  if (dotted === 'security.protocol') {
    layer.security['security.protocol'] = str(value);
    return true;
  }
  const field = CLIENT_FIELDS[role][dotted];
  if (field === undefined) return false;
  layer.typed[field[0]] = field[1](value);
  layer.origin[field[0]] = key;
  return true;
}

function relaxedPath(path: string): string {
  return path.split('.').map(relaxed).join('.');
}

function bindSetting(
  settings: Record<Section, Record<string, unknown>>,
  section: string,
  path: string,
  value: string,
): boolean {
  if (!Object.hasOwn(SETTINGS, section)) return false;
  const field = SETTINGS[section as Section][path];
  if (field === undefined) return false;
  settings[section as Section][field[0]] = field[1](value);
  return true;
}

function listenerSettings(bound: Record<string, unknown>): SpringListenerSettings {
  return {
    type: 'single',
    ackMode: 'BATCH',
    concurrency: 1,
    pollTimeoutMs: 5000,
    idleBetweenPollsMs: 0,
    missingTopicsFatal: false,
    immediateStop: false,
    autoStartup: true,
    observationEnabled: false,
    ...bound,
  } as SpringListenerSettings;
}

function streamsOptions(bound: Record<string, unknown>): SpringStreamsOptions {
  return { autoStartup: true, cleanupOnStartup: false, cleanupOnShutdown: false, ...bound } as SpringStreamsOptions;
}

/** Moves serde settings out of a client map and turns serde class names into the client's names. */
function withSerdes(
  raw: Record<string, string>,
  kind: 'serializer' | 'deserializer',
  origin: Readonly<Record<string, string>>,
): [Record<string, string>, SpringSerde, SpringSerde] {
  const keyName = `key.${kind}`;
  const valueName = `value.${kind}`;
  const key = springSerdeOf(keyName, raw, (k) => origin[k] ?? k);
  const value = springSerdeOf(valueName, raw, (k) => origin[k] ?? k);
  const client: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!isSerdeProperty(k)) client[k] = v;
  client[keyName] = clientSerdeName(key);
  client[valueName] = clientSerdeName(value);
  return [client, key, value];
}

/** `spring.json.*` settings configure serdes; the admin client would refuse them. */
function withoutSerdeProperties(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([k]) => !isSerdeProperty(k)));
}

function emptyLayer(): Layer {
  return { origin: {}, typed: {}, ssl: {}, security: {}, properties: {} };
}
