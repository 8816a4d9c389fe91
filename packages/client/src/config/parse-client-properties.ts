import { parseJavaProperties } from '@samsa/protocol';
import { ConfigError } from '../errors/client-errors.js';

/** The `.properties` syntax itself is Java's, read by @samsa/protocol; the CLI reads config files with it. */
export { parseJavaProperties as parseProperties } from '@samsa/protocol';

export type PropertiesRole = 'producer' | 'consumer' | 'admin';

/**
 * Spring Boot's `spring.kafka.*` names (relaxed, kebab-case) mapped to Kafka's. Only settings
 * that configure a Kafka client are here; Spring container settings (`spring.kafka.listener.*`,
 * `spring.json.*`) are not client configuration and are dropped.
 */
/** Spring Boot's `spring.kafka.security.*` and `spring.kafka.ssl.*`, shared and per role. */
const SPRING_SECURITY: Readonly<Record<string, string>> = {
  'security.protocol': 'security.protocol',
  'ssl.key-password': 'ssl.key.password',
  'ssl.key-store-location': 'ssl.keystore.location',
  'ssl.key-store-password': 'ssl.keystore.password',
  'ssl.key-store-type': 'ssl.keystore.type',
  'ssl.key-store-key': 'ssl.keystore.key',
  'ssl.key-store-certificate-chain': 'ssl.keystore.certificate.chain',
  'ssl.trust-store-location': 'ssl.truststore.location',
  'ssl.trust-store-password': 'ssl.truststore.password',
  'ssl.trust-store-type': 'ssl.truststore.type',
  'ssl.trust-store-certificates': 'ssl.truststore.certificates',
  'ssl.protocol': 'ssl.protocol',
};
/** Spring `Resource` settings: `file:` paths are files; `classpath:` has no meaning outside a JVM. */
const SPRING_RESOURCES = new Set(['ssl.keystore.location', 'ssl.truststore.location']);
const SPRING_COMMON: Readonly<Record<string, string>> = {
  'bootstrap-servers': 'bootstrap.servers',
  'client-id': 'client.id',
  ...SPRING_SECURITY,
};
const SPRING_BY_ROLE: Readonly<Record<PropertiesRole, Readonly<Record<string, string>>>> = {
  producer: {
    'bootstrap-servers': 'bootstrap.servers',
    'client-id': 'client.id',
    acks: 'acks',
    retries: 'retries',
    'batch-size': 'batch.size',
    'buffer-memory': 'buffer.memory',
    'compression-type': 'compression.type',
    'key-serializer': 'key.serializer',
    'value-serializer': 'value.serializer',
    'transaction-id-prefix': 'transactional.id',
    ...SPRING_SECURITY,
  },
  consumer: {
    'bootstrap-servers': 'bootstrap.servers',
    'client-id': 'client.id',
    'group-id': 'group.id',
    'enable-auto-commit': 'enable.auto.commit',
    'auto-commit-interval': 'auto.commit.interval.ms',
    'auto-offset-reset': 'auto.offset.reset',
    'max-poll-records': 'max.poll.records',
    'heartbeat-interval': 'heartbeat.interval.ms',
    'fetch-min-size': 'fetch.min.bytes',
    'fetch-max-wait': 'fetch.max.wait.ms',
    'isolation-level': 'isolation.level',
    'key-deserializer': 'key.deserializer',
    'value-deserializer': 'value.deserializer',
    ...SPRING_SECURITY,
  },
  admin: {
    'bootstrap-servers': 'bootstrap.servers',
    'client-id': 'client.id',
    ...SPRING_SECURITY,
  },
};
/** Spring settings typed as `Duration`: plain numbers are milliseconds, or `500ms`, `3s`, `1m`. */
const SPRING_DURATIONS = new Set(['auto.commit.interval.ms', 'heartbeat.interval.ms', 'fetch.max.wait.ms']);
/** Spring `DataSize` settings: plain numbers are bytes, or `16KB`, `32MB`. */
const SPRING_SIZES = new Set(['batch.size', 'buffer.memory', 'fetch.min.bytes']);
const DROPPED_PREFIXES = ['spring.kafka.listener.', 'spring.kafka.template.', 'spring.kafka.streams.', 'spring.json.'];

function springDuration(key: string, value: string): string {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (m === null) throw new ConfigError(key, `expected a duration such as 500, 500ms or 3s, got '${value}'`);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[unit] ?? 1;
  return String(Number(m[1]) * factor);
}

function springResource(key: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('classpath:')) {
    throw new ConfigError(key, `a classpath: resource cannot be read outside a JVM; give a file path ('${trimmed}')`);
  }
  return trimmed.startsWith('file:') ? trimmed.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : trimmed;
}

function springSize(key: string, value: string): string {
  const m = /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(value);
  if (m === null) throw new ConfigError(key, `expected a size such as 16384 or 16KB, got '${value}'`);
  const unit = (m[2] ?? 'B').toUpperCase();
  const factor = { B: 1, KB: 1024, MB: 1024 * 1024, GB: 1024 * 1024 * 1024 }[unit] ?? 1;
  return String(Number(m[1]) * factor);
}

/**
 * Turns the text of a Java/Spring `.properties` file into client settings in Kafka's names, ready
 * for `new Producer(...)`, `new Consumer(...)` or `new Admin(...)`:
 *
 * - plain Kafka keys (`linger.ms=5`) pass through;
 * - Spring Boot keys are translated: `spring.kafka.bootstrap-servers`, and for the given `role`
 *   `spring.kafka.<role>.<relaxed-name>` (`batch-size`, `heartbeat-interval`, `auto-offset-reset`,
 *   …) and `spring.kafka.<role>.properties.<kafka-key>`; Spring durations (`3s`) and sizes
 *   (`16KB`) become milliseconds and bytes;
 * - Spring container settings (`spring.kafka.listener.*`, `spring.json.*`) are dropped, and so
 *   are other roles' `spring.kafka.<role>.*` keys: one file usually configures all of them.
 *
 * Without `role`, a Spring role-specific key is an error (it cannot be placed). Unknown Spring
 * keys of the role are errors too, naming the key.
 */
export function parseClientProperties(text: string, role?: PropertiesRole): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of parseJavaProperties(text)) {
    if (!key.startsWith('spring.')) {
      out[key] = value;
      continue;
    }
    if (DROPPED_PREFIXES.some((p) => key.startsWith(p))) continue;
    const rest = key.slice('spring.kafka.'.length);
    if (!key.startsWith('spring.kafka.')) throw new ConfigError(key, 'not a spring.kafka.* setting');
    if (rest.startsWith('properties.')) {
      out[rest.slice('properties.'.length)] = value;
      continue;
    }
    const common = SPRING_COMMON[rest];
    if (common !== undefined) {
      // A role-specific value (spring.kafka.producer.client-id) wins over the shared one.
      out[common] ??= SPRING_RESOURCES.has(common) ? springResource(key, value) : value;
      continue;
    }
    const dot = rest.indexOf('.');
    const keyRole = dot < 0 ? '' : rest.slice(0, dot);
    if (keyRole !== 'producer' && keyRole !== 'consumer' && keyRole !== 'admin') {
      throw new ConfigError(key, 'unknown Spring Kafka setting');
    }
    if (role === undefined) {
      throw new ConfigError(key, 'a Spring role-specific setting; pass the role (producer, consumer or admin)');
    }
    if (keyRole !== role) continue;
    const name = rest.slice(dot + 1);
    if (name.startsWith('properties.')) {
      out[name.slice('properties.'.length)] = value;
      continue;
    }
    const kafkaKey = SPRING_BY_ROLE[role][name];
    if (kafkaKey === undefined) throw new ConfigError(key, `unknown Spring Kafka ${role} setting`);
    let v = value;
    if (SPRING_DURATIONS.has(kafkaKey)) v = springDuration(key, value);
    else if (SPRING_SIZES.has(kafkaKey)) v = springSize(key, value);
    else if (SPRING_RESOURCES.has(kafkaKey)) v = springResource(key, value);
    out[kafkaKey] = v;
  }
  return out;
}
