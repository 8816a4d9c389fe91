import { ConfigSource, ErrorCode, KafkaError } from '@samsa/protocol';
import { type LogConfig, logConfig } from '@samsa/storage';
import type { BrokerConfig } from './broker-config.js';
import { ConfigError, type ConfigValue, formatConfigValue, parseConfigValue } from './config-def.js';
import { TOPIC_CONFIG_BY_NAME, TOPIC_CONFIG_KEYS, type TopicConfigKey } from './topic-config-defs.js';

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
}

export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
  readonly type: string;
  readonly doc: string | null;
  /** Every layer that sets the value, strongest first (Kafka's synonyms). */
  readonly synonyms: readonly ConfigSynonym[];
}

/** Kafka's "never": Long.MAX_VALUE in Kafka, the largest safe integer in storage's LogConfig. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Effective topic configs: a topic override wins, else the broker synonyms in Kafka's order
 * (dynamic broker, dynamic default, static `server.properties`, default). Produces the storage
 * layer's LogConfig and DescribeConfigs' entries from the same resolution.
 */
export class TopicConfigResolver {
  constructor(private readonly broker: BrokerConfig) {}

  /** Validates topic overrides (CreateTopics, AlterConfigs), throwing INVALID_CONFIG naming the key. */
  validateOverrides(overrides: Readonly<Record<string, string | null>>): void {
    for (const [name, value] of Object.entries(overrides)) {
      const key = TOPIC_CONFIG_BY_NAME.get(name);
      if (key === undefined) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
      if (value === null) continue;
      try {
        parseConfigValue(key, value);
      } catch (err) {
        throw new KafkaError(ErrorCode.INVALID_CONFIG, (err as ConfigError).message);
      }
    }
  }

  private resolve(
    key: TopicConfigKey,
    overrides: Readonly<Record<string, string>>,
  ): { value: ConfigValue; layers: ConfigSynonym[] } {
    const layers: ConfigSynonym[] = [];
    const override = overrides[key.name];
    if (override !== undefined) {
      layers.push({ name: key.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    }
    for (const synonym of key.brokerSynonyms) {
      for (const layer of this.broker.layersOf(synonym)) {
        if (layer.value === null) continue;
        layers.push({ name: synonym, value: formatConfigValue(layer.value), source: layer.source });
      }
    }
    // Layers are strongest first within each synonym; the winner is the strongest source overall
    // (a static log.retention.hours beats the default of log.retention.ms, which is null anyway).
    const winner = pickWinner(layers);
    if (winner === undefined) return { value: key.defaultValue, layers };
    const parsed =
      winner.source === ConfigSource.DYNAMIC_TOPIC_CONFIG
        ? parseConfigValue(key, winner.value as string)
        : convertSynonym(key, winner, this.broker.get(winner.name));
    return { value: parsed, layers };
  }

  /** The value of one topic config for a topic with these overrides. */
  value(name: string, overrides: Readonly<Record<string, string>> = {}): ConfigValue {
    const key = TOPIC_CONFIG_BY_NAME.get(name);
    if (key === undefined) throw new Error(`unknown topic config ${name}`);
    return this.resolve(key, overrides).value;
  }

  logConfig(overrides: Readonly<Record<string, string>> = {}): LogConfig {
    const num = (name: string): number => {
      const v = this.value(name, overrides) as number;
      return Math.min(v, NEVER);
    };
    return logConfig({
      segmentBytes: num('segment.bytes'),
      segmentMs: num('segment.ms'),
      segmentJitterMs: num('segment.jitter.ms'),
      segmentIndexBytes: num('segment.index.bytes'),
      indexIntervalBytes: num('index.interval.bytes'),
      retentionMs: num('retention.ms'),
      retentionBytes: num('retention.bytes'),
      cleanupPolicy: this.value('cleanup.policy', overrides) as ('delete' | 'compact')[],
      deleteRetentionMs: num('delete.retention.ms'),
      minCompactionLagMs: num('min.compaction.lag.ms'),
      maxCompactionLagMs: num('max.compaction.lag.ms'),
      minCleanableDirtyRatio: this.value('min.cleanable.dirty.ratio', overrides) as number,
      flushMessages: num('flush.messages'),
      flushMs: num('flush.ms'),
      maxMessageBytes: num('max.message.bytes'),
      messageTimestampType: this.value('message.timestamp.type', overrides) as 'CreateTime' | 'LogAppendTime',
      messageTimestampBeforeMaxMs: Math.min(
        num('message.timestamp.before.max.ms'),
        num('message.timestamp.difference.max.ms'),
      ),
      messageTimestampAfterMaxMs: Math.min(
        num('message.timestamp.after.max.ms'),
        num('message.timestamp.difference.max.ms'),
      ),
      fileDeleteDelayMs: num('file.delete.delay.ms'),
      preallocate: this.value('preallocate', overrides) as boolean,
      minInSyncReplicas: num('min.insync.replicas'),
    });
  }

  /** DescribeConfigs for a topic: every topic config, or the named ones. */
  describe(overrides: Readonly<Record<string, string>>, names: readonly string[] | null): DescribedConfig[] {
    const keys =
      names === null ? TOPIC_CONFIG_KEYS : names.map((n) => TOPIC_CONFIG_BY_NAME.get(n)).filter((k) => k !== undefined);
    return keys.map((key) => {
      const { value, layers } = this.resolve(key, overrides);
      const winner = pickWinner(layers);
      const source = winner?.source ?? ConfigSource.DEFAULT_CONFIG;
      const synonyms =
        layers.length > 0
          ? layers
          : [{ name: key.name, value: formatConfigValue(key.defaultValue), source: ConfigSource.DEFAULT_CONFIG }];
      return {
        name: key.name,
        value: key.sensitive === true ? null : formatConfigValue(value),
        source: source === ConfigSource.DYNAMIC_TOPIC_CONFIG ? ConfigSource.DYNAMIC_TOPIC_CONFIG : source,
        isDefault: source === ConfigSource.DEFAULT_CONFIG,
        readOnly: false,
        sensitive: key.sensitive === true,
        type: key.type,
        doc: key.doc ?? null,
        synonyms,
      };
    });
  }
}

function pickWinner(layers: readonly ConfigSynonym[]): ConfigSynonym | undefined {
  let best: ConfigSynonym | undefined;
  for (const layer of layers) {
    if (best === undefined || rank(layer.source) < rank(best.source)) best = layer;
  }
  return best;
}

/** Strength of a source: topic override, dynamic broker, dynamic default, static, default. */
function rank(source: ConfigSource): number {
  switch (source) {
    case ConfigSource.DYNAMIC_TOPIC_CONFIG:
      return 0;
    case ConfigSource.DYNAMIC_BROKER_CONFIG:
      return 1;
    case ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG:
      return 2;
    case ConfigSource.STATIC_BROKER_CONFIG:
      return 3;
    default:
      return 4;
  }
}

function convertSynonym(key: TopicConfigKey, winner: ConfigSynonym, brokerValue: ConfigValue): ConfigValue {
  if (typeof brokerValue === 'number' && key.fromSynonym !== undefined)
    return key.fromSynonym(winner.name, brokerValue);
  return brokerValue;
}

export { ConfigError };
