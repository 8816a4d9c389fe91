import { ConfigDef, ConfigException, Validators } from '../config/config-def.js';
import { createConverter } from '../converters/converters.js';
import { createHeaderConverter } from '../converters/header-converters.js';
import { getLogger } from './loggers.js';

const log = getLogger('org.apache.kafka.connect.runtime.WorkerConfig');

/**
 * Settings of every worker, standalone or distributed, by Kafka's names (Kafka's WorkerConfig). Keys Connect itself does not define pass
 * to the clients: `producer.*` to the source tasks' producer, `consumer.*` to sink consumers,
 * and a bare client key (e.g. `security.protocol`) to both, as Kafka does.
 */
export const COMMON_WORKER_CONFIG_DEF = new ConfigDef()
  .define({
    name: 'bootstrap.servers',
    type: 'LIST',
    defaultValue: 'localhost:9092',
    importance: 'HIGH',
    documentation: 'A list of host/port pairs to use for establishing the initial connection to the Kafka cluster.',
  })
  .define({
    name: 'key.converter',
    type: 'CLASS',
    importance: 'HIGH',
    documentation:
      'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.',
  })
  .define({
    name: 'value.converter',
    type: 'CLASS',
    importance: 'HIGH',
    documentation:
      'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.',
  })
  .define({
    name: 'header.converter',
    type: 'CLASS',
    defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    importance: 'LOW',
    documentation:
      'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.',
  })
  .define({
    name: 'offset.flush.interval.ms',
    type: 'LONG',
    defaultValue: 60000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Interval at which to try committing offsets for tasks.',
  })
  .define({
    name: 'offset.flush.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation:
      'Maximum number of milliseconds to wait for records to flush and partition offset data to be committed to offset storage before cancelling the process and restoring the offset data to be committed in a future attempt.',
  })
  .define({
    name: 'listeners',
    type: 'LIST',
    defaultValue: 'http://:8083',
    importance: 'LOW',
    documentation:
      'List of comma-separated URIs the REST API will listen on. The supported protocols are HTTP and HTTPS.',
  })
  .define({
    name: 'rest.advertised.host.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'If this is set, this is the hostname that will be given out to other workers to connect to.',
  })
  .define({
    name: 'rest.advertised.port',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'If this is set, this is the port that will be given out to other workers to connect to.',
  })
  .define({
    name: 'plugin.path',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'List of paths separated by commas (,) that contain plugins (connectors, converters, transformations): each a directory of ES modules (.mjs/.js files or package directories) exporting the plugin classes.',
  })
  .define({
    name: 'task.shutdown.graceful.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation: 'Amount of time to wait for tasks to shutdown gracefully.',
  });

/** The standalone worker's settings (Kafka's StandaloneConfig): offsets in a file. */
export const WORKER_CONFIG_DEF = COMMON_WORKER_CONFIG_DEF.merge(
  new ConfigDef().define({
    name: 'offset.storage.file.filename',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'File to store source connector offsets',
  }),
);

export interface WorkerConfig {
  readonly bootstrapServers: string;
  readonly props: Readonly<Record<string, string>>;
  /** Standalone only ('' in distributed mode). */
  readonly offsetFile: string;
  readonly offsetFlushIntervalMs: number;
  readonly listener: { readonly host: string; readonly port: number };
  readonly advertisedHost: string | null;
  readonly advertisedPort: number | null;
  readonly taskShutdownTimeoutMs: number;
  /** Client settings for source producers and sink consumers (prefixes removed). */
  readonly producerProps: Readonly<Record<string, string>>;
  readonly consumerProps: Readonly<Record<string, string>>;
}

const WORKER_ONLY_PREFIXES = [
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'admin.',
  'listeners.',
  'rest.',
];

/**
 * Parses a worker's properties (standalone by default; `def` is the distributed worker's for
 * connect-distributed); throws a ConfigException naming the first bad key.
 */
export function parseWorkerConfig(
  props: Readonly<Record<string, string>>,
  warn: (message: string) => void = (message) => log.warn(`connect: WARN ${message}`),
  def: ConfigDef = WORKER_CONFIG_DEF,
): WorkerConfig {
  const parsed = def.parse(props);
  createConverter('key.converter', parsed['key.converter'] as string, props, true);
  createConverter('value.converter', parsed['value.converter'] as string, props, false);
  createHeaderConverter(parsed['header.converter'] as string, props);
  const listeners = parsed.listeners as string[];
  if (listeners.length === 0) throw new ConfigException('listeners', '', 'at least one listener is required');
  const first = listeners[0]!;
  const match = /^(https?):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/i.exec(first);
  if (match === null || Number(match[3]) > 65535) {
    throw new ConfigException('listeners', first, 'Could not parse listener URL, expected http://host:port');
  }
  if (match[1]!.toLowerCase() !== 'http') {
    throw new ConfigException('listeners', first, 'only http listeners are supported (no HTTPS yet)');
  }
  const producerProps: Record<string, string> = {};
  const consumerProps: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('producer.')) producerProps[key.slice('producer.'.length)] = value;
    else if (key.startsWith('consumer.')) consumerProps[key.slice('consumer.'.length)] = value;
    else if (isSharedClientKey(key, def)) {
      producerProps[key] ??= value;
      consumerProps[key] ??= value;
    } else if (def.key(key) === undefined && !WORKER_ONLY_PREFIXES.some((p) => key.startsWith(p))) {
      // Kafka accepts unknown keys too (a Java worker has dozens more); a typo shows up here.
      warn(`The configuration '${key}' was supplied but isn't a known config.`);
    }
  }
  return {
    bootstrapServers: (parsed['bootstrap.servers'] as string[]).join(','),
    props,
    offsetFile: (parsed['offset.storage.file.filename'] as string | undefined) ?? '',
    offsetFlushIntervalMs: parsed['offset.flush.interval.ms'] as number,
    listener: { host: match[2]!.replace(/^\[|\]$/g, ''), port: Number(match[3]) },
    advertisedHost: (parsed['rest.advertised.host.name'] as string | null) ?? null,
    advertisedPort: (parsed['rest.advertised.port'] as number | null) ?? null,
    taskShutdownTimeoutMs: parsed['task.shutdown.graceful.timeout.ms'] as number,
    producerProps,
    consumerProps,
  };
}

/** Security and client settings given at the worker's top level apply to every client, as in Kafka. */
function isSharedClientKey(key: string, def: ConfigDef): boolean {
  if (def.key(key) !== undefined) return false;
  if (WORKER_ONLY_PREFIXES.some((p) => key.startsWith(p))) return false;
  return /^(security\.protocol|sasl\.|ssl\.|client\.dns\.lookup|request\.timeout\.ms|metadata\.max\.age\.ms)/.test(key);
}
