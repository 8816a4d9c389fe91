import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DeserializationExceptionHandler,
  type DeserializationExceptionHandlerSetting,
  deserializationExceptionHandlerOf,
} from './errors/deserialization-exception-handler.js';
import {
  type ProcessingExceptionHandler,
  type ProcessingExceptionHandlerSetting,
  processingExceptionHandlerOf,
} from './errors/processing-exception-handler.js';
import {
  type ProductionExceptionHandler,
  type ProductionExceptionHandlerSetting,
  productionExceptionHandlerOf,
} from './errors/production-exception-handler.js';
import {
  type ConsumerRecord,
  type TimestampExtractor,
  type TimestampExtractorSetting,
  timestampExtractorOf,
} from './processor/timestamp-extractor.js';
import type { Serde } from './serde/serde.js';
import { serdeByClassName } from './serde/serdes.js';
import { streamsPropertiesFromSpring } from './spring-properties.js';

/** A configuration value: Kafka's names as keys; serdes, extractors and handlers as objects or Java class names. */
export type StreamsConfigInput = {
  readonly [key: string]:
    | string
    | number
    | boolean
    | Serde<unknown>
    | TimestampExtractor
    | DeserializationExceptionHandler
    | ProductionExceptionHandler
    | ProcessingExceptionHandler
    | ((record: ConsumerRecord, partitionTime: number) => number)
    | undefined;
};

export const ProcessingGuarantee = {
  AT_LEAST_ONCE: 'at_least_once',
  EXACTLY_ONCE_V2: 'exactly_once_v2',
} as const;

/** Kafka's `ConfigException`: a setting that is missing or wrong, named in the message. */
export class ConfigException extends Error {
  override readonly name = 'ConfigException';
}

function missingSerde(kind: 'key' | 'value'): Serde<unknown> {
  // A ConfigException, as in Java: not a deserialization error for the exception handler.
  const fail = (): never => {
    throw new ConfigException(
      `Please specify a ${kind} serde or set one through StreamsConfig#DEFAULT_${kind.toUpperCase()}_SERDE_CLASS_CONFIG (default.${kind}.serde)`,
    );
  };
  return {
    serializer: () => ({ serialize: (_t, data) => (data === null ? null : fail()) }),
    deserializer: () => ({ deserialize: (_t, data) => (data === null ? null : fail()) }),
  };
}

function serdeSetting(config: StreamsConfigInput, key: string): Serde<unknown> | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value === 'object') return value as Serde<unknown>;
  const serde = serdeByClassName(String(value));
  if (serde === undefined)
    throw new ConfigException(`Invalid value ${String(value)} for configuration ${key}: unknown serde`);
  return serde;
}

/** A class-valued setting: an object (or function) as is, or a Java class name it knows. */
function pluggable<T>(
  config: StreamsConfigInput,
  key: string,
  defaultClass: string,
  resolve: (value: unknown) => T | undefined,
): T {
  const value = config[key] ?? defaultClass;
  const resolved =
    typeof value === 'string' || typeof value === 'object' || typeof value === 'function' ? resolve(value) : undefined;
  if (resolved === undefined) {
    throw new ConfigException(
      `Invalid value ${String(value)} for configuration ${key}: Class ${String(value)} could not be found.`,
    );
  }
  return resolved;
}

/**
 * Kafka Streams' `StreamsConfig`, by Java's property names. Unset default serdes fail when first
 * used, naming the setting, as in Java 3.x (there is no silent fallback to bytes).
 */
export class StreamsConfig {
  static readonly APPLICATION_ID_CONFIG = 'application.id';
  static readonly BOOTSTRAP_SERVERS_CONFIG = 'bootstrap.servers';
  static readonly DEFAULT_KEY_SERDE_CLASS_CONFIG = 'default.key.serde';
  static readonly DEFAULT_VALUE_SERDE_CLASS_CONFIG = 'default.value.serde';
  static readonly STATE_DIR_CONFIG = 'state.dir';
  static readonly COMMIT_INTERVAL_MS_CONFIG = 'commit.interval.ms';
  static readonly PROCESSING_GUARANTEE_CONFIG = 'processing.guarantee';
  static readonly REPLICATION_FACTOR_CONFIG = 'replication.factor';
  static readonly NUM_STREAM_THREADS_CONFIG = 'num.stream.threads';
  static readonly APPLICATION_SERVER_CONFIG = 'application.server';
  static readonly NUM_STANDBY_REPLICAS_CONFIG = 'num.standby.replicas';
  static readonly ACCEPTABLE_RECOVERY_LAG_CONFIG = 'acceptable.recovery.lag';
  static readonly MAX_WARMUP_REPLICAS_CONFIG = 'max.warmup.replicas';
  static readonly PROBING_REBALANCE_INTERVAL_MS_CONFIG = 'probing.rebalance.interval.ms';
  static readonly DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG = 'default.timestamp.extractor';
  static readonly DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG = 'default.deserialization.exception.handler';
  static readonly DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG = 'default.production.exception.handler';
  static readonly PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG = 'processing.exception.handler';

  /**
   * The settings of a Spring Boot `application.properties` (`spring.kafka.streams.application-id`,
   * `bootstrap-servers`, `state-dir`, `properties.*`, …) under Kafka Streams' names, to pass to
   * `new KafkaStreams(topology, …)`; `source` is the file's text, a Map or an object.
   */
  static fromSpringProperties(source: string | ReadonlyMap<string, string> | { readonly [key: string]: string }): {
    [key: string]: string;
  } {
    return streamsPropertiesFromSpring(source);
  }

  readonly applicationId: string;
  /** The settings as given (Java's `originals()`), for `ProcessorContext.appConfigs()`. */
  readonly originals: Readonly<StreamsConfigInput>;
  readonly bootstrapServers: string | undefined;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly stateDir: string;
  readonly commitIntervalMs: number;
  /** `statestore.cache.max.bytes` (formerly `cache.max.bytes.buffering`): the record cache; 0 turns it off. */
  readonly cacheMaxBytes: number;
  readonly processingGuarantee: string;
  readonly replicationFactor: number;
  /** `application.server`: this instance's `host:port` for interactive queries ('' when unset). */
  readonly applicationServer: string;
  /** `num.standby.replicas`: standby copies of each task's state on other instances (default 0). */
  readonly numStandbyReplicas: number;
  /**
   * KIP-441: `acceptable.recovery.lag` (records; default 10,000), how far behind the changelogs an
   * instance's state may be and still count as caught up to run the task at once.
   */
  readonly acceptableRecoveryLag: bigint;
  /** KIP-441: `max.warmup.replicas` (default 2), warm-up copies being built at a time, group-wide. */
  readonly maxWarmupReplicas: number;
  /**
   * KIP-441: `probing.rebalance.interval.ms` (default 10 min, at least 1 min as in Java), how long
   * after an assignment with warm-ups the next rebalance checks whether they caught up. The
   * Samsa-internal `__probing.rebalance.interval.ms__` takes any value (tests).
   */
  readonly probingRebalanceIntervalMs: number;
  readonly defaultTimestampExtractor: TimestampExtractor;
  readonly defaultDeserializationExceptionHandler: DeserializationExceptionHandler;
  readonly defaultProductionExceptionHandler: ProductionExceptionHandler;
  /** `processing.exception.handler` (KIP-1033); LogAndFailProcessingExceptionHandler by default. */
  readonly processingExceptionHandler: ProcessingExceptionHandler;
  /** `consumer.*`, `producer.*`, `admin.*` settings, prefix removed, for the clients. */
  readonly clientOverrides: {
    consumer: { [k: string]: unknown };
    producer: { [k: string]: unknown };
    admin: { [k: string]: unknown };
  };

  constructor(config: StreamsConfigInput, defaults: { applicationId?: string } = {}) {
    const appId = config['application.id'] ?? defaults.applicationId;
    if (appId === undefined || String(appId) === '') {
      throw new ConfigException('Missing required configuration "application.id" which has no default value.');
    }
    this.applicationId = String(appId);
    this.originals = { ...config };
    const bootstrap = config['bootstrap.servers'];
    this.bootstrapServers = bootstrap === undefined ? undefined : String(bootstrap);
    this.defaultKeySerde = serdeSetting(config, 'default.key.serde') ?? missingSerde('key');
    this.defaultValueSerde = serdeSetting(config, 'default.value.serde') ?? missingSerde('value');
    this.stateDir = String(config['state.dir'] ?? join(tmpdir(), 'kafka-streams'));
    this.processingGuarantee = String(config['processing.guarantee'] ?? ProcessingGuarantee.AT_LEAST_ONCE);
    if (!['at_least_once', 'exactly_once_v2', 'exactly_once', 'exactly_once_beta'].includes(this.processingGuarantee)) {
      throw new ConfigException(
        `Invalid value ${this.processingGuarantee} for configuration processing.guarantee: String must be one of: at_least_once, exactly_once_v2`,
      );
    }
    const eos = this.processingGuarantee !== ProcessingGuarantee.AT_LEAST_ONCE;
    this.commitIntervalMs = Number(config['commit.interval.ms'] ?? (eos ? 100 : 30000));
    this.cacheMaxBytes = Number(
      config['statestore.cache.max.bytes'] ?? config['cache.max.bytes.buffering'] ?? 10 * 1024 * 1024,
    );
    if (!Number.isInteger(this.cacheMaxBytes) || this.cacheMaxBytes < 0) {
      throw new ConfigException(
        `Invalid value ${this.cacheMaxBytes} for configuration statestore.cache.max.bytes: Value must be at least 0`,
      );
    }
    this.replicationFactor = Number(config['replication.factor'] ?? -1);
    this.applicationServer = String(config['application.server'] ?? '');
    this.numStandbyReplicas = Number(config['num.standby.replicas'] ?? 0);
    if (!Number.isInteger(this.numStandbyReplicas) || this.numStandbyReplicas < 0) {
      throw new ConfigException(
        `Invalid value ${String(config['num.standby.replicas'])} for configuration num.standby.replicas: Value must be at least 0`,
      );
    }
    this.acceptableRecoveryLag = BigInt(atLeast(config, 'acceptable.recovery.lag', 10_000, 0));
    this.maxWarmupReplicas = atLeast(config, 'max.warmup.replicas', 2, 1);
    this.probingRebalanceIntervalMs =
      config['__probing.rebalance.interval.ms__'] === undefined
        ? atLeast(config, 'probing.rebalance.interval.ms', 600_000, 60_000)
        : atLeast(config, '__probing.rebalance.interval.ms__', 600_000, 0);
    this.defaultTimestampExtractor = pluggable(
      config,
      'default.timestamp.extractor',
      'org.apache.kafka.streams.processor.FailOnInvalidTimestamp',
      (v) => timestampExtractorOf(v as TimestampExtractorSetting),
    );
    this.defaultDeserializationExceptionHandler = pluggable(
      config,
      'default.deserialization.exception.handler',
      'org.apache.kafka.streams.errors.LogAndFailExceptionHandler',
      (v) => deserializationExceptionHandlerOf(v as DeserializationExceptionHandlerSetting),
    );
    this.defaultProductionExceptionHandler = pluggable(
      config,
      'default.production.exception.handler',
      'org.apache.kafka.streams.errors.DefaultProductionExceptionHandler',
      (v) => productionExceptionHandlerOf(v as ProductionExceptionHandlerSetting),
    );
    this.processingExceptionHandler = pluggable(
      config,
      'processing.exception.handler',
      'org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler',
      (v) => processingExceptionHandlerOf(v as ProcessingExceptionHandlerSetting),
    );
    const threads = Number(config['num.stream.threads'] ?? 1);
    if (threads !== 1)
      throw new ConfigException('num.stream.threads: only 1 is supported (run more instances instead)');
    this.clientOverrides = { consumer: {}, producer: {}, admin: {} };
    for (const [key, value] of Object.entries(config)) {
      for (const role of ['consumer', 'producer', 'admin'] as const) {
        if (key.startsWith(`${role}.`)) this.clientOverrides[role][key.slice(role.length + 1)] = value;
      }
    }
  }
}

/** An integer setting with Java's range check and message. */
function atLeast(config: StreamsConfigInput, key: string, defaultValue: number, min: number): number {
  const raw = config[key];
  const value = raw === undefined ? defaultValue : Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigException(`Invalid value ${String(raw)} for configuration ${key}: Value must be at least ${min}`);
  }
  return value;
}
