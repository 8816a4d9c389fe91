import { parseProperties } from '@samsa/client';
import { ConfigException } from './streams-config.js';

/**
 * Spring Boot's `spring.kafka.streams.*` keys (KafkaProperties.Streams) and the Kafka Streams
 * setting each one sets. Spring's relaxed binding is followed for these: `application-id`,
 * `applicationId` and `application_id` are one key.
 */
const STREAMS_KEYS: { readonly [relaxed: string]: string } = {
  applicationid: 'application.id',
  bootstrapservers: 'bootstrap.servers',
  clientid: 'client.id',
  statedir: 'state.dir',
  replicationfactor: 'replication.factor',
  statestorecachemaxsize: 'statestore.cache.max.bytes',
  cachemaxsizebuffering: 'cache.max.bytes.buffering',
};

/** `spring.kafka.*` keys that apply to every client, Streams included, unless the streams key is set. */
const GLOBAL_KEYS: { readonly [relaxed: string]: string } = {
  bootstrapservers: 'bootstrap.servers',
  clientid: 'client.id',
};

const relaxed = (name: string) => name.replace(/[-_]/g, '').toLowerCase();

function entriesOf(
  source: string | ReadonlyMap<string, string> | { readonly [key: string]: string },
): [string, string][] {
  if (typeof source === 'string') return [...parseProperties(source)];
  if (source instanceof Map) return [...source];
  return Object.entries(source);
}

/**
 * The Kafka Streams configuration a Spring Boot application gets from its `application.properties`
 * (Spring's `KafkaProperties.buildStreamsProperties`): `spring.kafka.streams.application-id`
 * (else `spring.application.name`, as Spring's `KafkaStreamsDefaultConfiguration`),
 * `spring.kafka.streams.bootstrap-servers` (else `spring.kafka.bootstrap-servers`),
 * `spring.kafka.streams.state-dir`, `client-id`, `replication-factor`, `state-store-cache-max-size`,
 * and every `spring.kafka.streams.properties.<kafka name>` (after `spring.kafka.properties.<kafka
 * name>`, which it overrides) under its Kafka name — `default.key.serde` and the like. Other keys
 * (producer, consumer, listener settings) are ignored. `source` is the properties file's text, a
 * Map or an object.
 */
export function streamsPropertiesFromSpring(
  source: string | ReadonlyMap<string, string> | { readonly [key: string]: string },
): { [key: string]: string } {
  const globalProps: { [key: string]: string } = {};
  const streamsProps: { [key: string]: string } = {};
  const globalNamed: { [key: string]: string } = {};
  const streamsNamed: { [key: string]: string } = {};
  let applicationName: string | undefined;
  for (const [key, value] of entriesOf(source)) {
    if (key.startsWith('spring.kafka.streams.properties.')) {
      streamsProps[key.slice('spring.kafka.streams.properties.'.length)] = value;
    } else if (key.startsWith('spring.kafka.properties.')) {
      globalProps[key.slice('spring.kafka.properties.'.length)] = value;
    } else if (key.startsWith('spring.kafka.streams.')) {
      const name = STREAMS_KEYS[relaxed(key.slice('spring.kafka.streams.'.length))];
      if (name !== undefined) streamsNamed[name] = value;
    } else if (key.startsWith('spring.kafka.')) {
      const name = GLOBAL_KEYS[relaxed(key.slice('spring.kafka.'.length))];
      if (name !== undefined) globalNamed[name] = value;
    } else if (key === 'spring.application.name') {
      applicationName = value;
    }
  }
  const out = { ...globalProps, ...globalNamed, ...streamsNamed, ...streamsProps };
  if (out['application.id'] === undefined) {
    if (applicationName === undefined) {
      throw new ConfigException(
        "Invalid value for 'spring.kafka.streams.application-id': this property is mandatory and fallback " +
          "'spring.application.name' is not set either.",
      );
    }
    out['application.id'] = applicationName;
  }
  return out;
}
