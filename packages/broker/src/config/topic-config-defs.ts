import { atLeast, between, type ConfigKey, LONG_MAX, oneOf } from './config-def.js';

/**
 * A topic-level config and the broker configs it falls back to, in Kafka's order of precedence
 * (DescribeConfigs lists these as synonyms: topic override, then the broker keys, then default).
 */
export interface TopicConfigKey extends ConfigKey {
  readonly brokerSynonyms: readonly string[];
  /** Converts a broker synonym's value to this key's unit (e.g. hours → ms). */
  readonly fromSynonym?: (synonym: string, value: number) => number;
}

/** Kafka's ThrottledReplicaListValidator, for the topic configs' values. */
function validateThrottledReplicas(value: readonly string[]): string | undefined {
  const entries = value.map((v) => v.trim());
  if (entries.length === 0 || (entries.length === 1 && entries[0] === '*')) return undefined;
  if (entries.every((e) => /^\d+:\d+$/.test(e))) return undefined;
  return "must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...";
}

const hoursToMs = (value: number): number => value * 3600000;
const minutesToMs = (value: number): number => value * 60000;

export const TOPIC_CONFIG_KEYS: readonly TopicConfigKey[] = [
  {
    name: 'cleanup.policy',
    type: 'list',
    defaultValue: ['delete'],
    validate: oneOf('delete', 'compact'),
    brokerSynonyms: ['log.cleanup.policy'],
  },
  {
    name: 'compression.type',
    type: 'string',
    defaultValue: 'producer',
    validate: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
    brokerSynonyms: ['compression.type'],
  },
  {
    name: 'delete.retention.ms',
    type: 'long',
    defaultValue: 86400000,
    validate: atLeast(0),
    brokerSynonyms: ['log.cleaner.delete.retention.ms'],
  },
  {
    name: 'file.delete.delay.ms',
    type: 'long',
    defaultValue: 60000,
    validate: atLeast(0),
    brokerSynonyms: ['log.segment.delete.delay.ms'],
  },
  {
    name: 'flush.messages',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(1),
    brokerSynonyms: ['log.flush.interval.messages'],
  },
  {
    name: 'flush.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    brokerSynonyms: ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
  },
  {
    name: 'index.interval.bytes',
    type: 'int',
    defaultValue: 4096,
    validate: atLeast(0),
    brokerSynonyms: ['log.index.interval.bytes'],
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(1),
    brokerSynonyms: ['log.cleaner.max.compaction.lag.ms'],
  },
  {
    name: 'max.message.bytes',
    type: 'int',
    defaultValue: 1048588,
    validate: atLeast(0),
    brokerSynonyms: ['message.max.bytes'],
  },
  {
    name: 'message.timestamp.type',
    type: 'string',
    defaultValue: 'CreateTime',
    validate: oneOf('CreateTime', 'LogAppendTime'),
    brokerSynonyms: ['log.message.timestamp.type'],
  },
  {
    name: 'message.timestamp.difference.max.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    brokerSynonyms: ['log.message.timestamp.difference.max.ms'],
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    brokerSynonyms: ['log.message.timestamp.before.max.ms'],
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: 'long',
    defaultValue: 3600000,
    validate: atLeast(0),
    brokerSynonyms: ['log.message.timestamp.after.max.ms'],
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'double',
    defaultValue: 0.5,
    validate: between(0, 1),
    brokerSynonyms: ['log.cleaner.min.cleanable.ratio'],
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'long',
    defaultValue: 0,
    validate: atLeast(0),
    brokerSynonyms: ['log.cleaner.min.compaction.lag.ms'],
  },
  {
    name: 'min.insync.replicas',
    type: 'int',
    defaultValue: 1,
    validate: atLeast(1),
    brokerSynonyms: ['min.insync.replicas'],
  },
  { name: 'preallocate', type: 'boolean', defaultValue: false, brokerSynonyms: ['log.preallocate'] },
  {
    name: 'retention.bytes',
    type: 'long',
    defaultValue: -1,
    brokerSynonyms: ['log.retention.bytes'],
  },
  {
    name: 'retention.ms',
    type: 'long',
    defaultValue: 604800000,
    validate: atLeast(-1),
    brokerSynonyms: ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
    fromSynonym: (synonym, value) =>
      synonym === 'log.retention.hours'
        ? hoursToMs(value)
        : synonym === 'log.retention.minutes'
          ? minutesToMs(value)
          : value,
  },
  {
    name: 'segment.bytes',
    type: 'int',
    defaultValue: 1073741824,
    validate: atLeast(14),
    brokerSynonyms: ['log.segment.bytes'],
  },
  {
    name: 'segment.index.bytes',
    type: 'int',
    defaultValue: 10485760,
    validate: atLeast(4),
    brokerSynonyms: ['log.index.size.max.bytes'],
  },
  {
    name: 'segment.jitter.ms',
    type: 'long',
    defaultValue: 0,
    validate: atLeast(0),
    brokerSynonyms: ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
    fromSynonym: (synonym, value) => (synonym === 'log.roll.jitter.hours' ? hoursToMs(value) : value),
  },
  {
    name: 'segment.ms',
    type: 'long',
    defaultValue: 604800000,
    validate: atLeast(1),
    brokerSynonyms: ['log.roll.ms', 'log.roll.hours'],
    fromSynonym: (synonym, value) => (synonym === 'log.roll.hours' ? hoursToMs(value) : value),
  },
  {
    name: 'unclean.leader.election.enable',
    type: 'boolean',
    defaultValue: false,
    brokerSynonyms: ['unclean.leader.election.enable'],
  },
  {
    name: 'message.downconversion.enable',
    type: 'boolean',
    defaultValue: true,
    brokerSynonyms: ['log.message.downconversion.enable'],
  },
  {
    name: 'leader.replication.throttled.replicas',
    type: 'list',
    defaultValue: [],
    validate: (value) => validateThrottledReplicas(value as readonly string[]),
    brokerSynonyms: [],
  },
  {
    name: 'follower.replication.throttled.replicas',
    type: 'list',
    defaultValue: [],
    validate: (value) => validateThrottledReplicas(value as readonly string[]),
    brokerSynonyms: [],
  },
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigKey> = new Map(
  TOPIC_CONFIG_KEYS.map((k) => [k.name, k]),
);
