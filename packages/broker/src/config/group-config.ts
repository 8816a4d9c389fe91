/**
 * Group configs (Kafka 4's `GroupConfig`, resource type GROUP = 32): per-group overrides of the
 * group coordinator's settings, set with IncrementalAlterConfigs or AlterConfigs and read with
 * DescribeConfigs (`kafka-configs.sh --entity-type groups`). A group config need not name an
 * existing group; its default is the broker config it overrides (`consumer.session.timeout.ms`
 * falls back to `group.consumer.session.timeout.ms`), and an override must stay within the
 * broker's bounds (`group.consumer.min.session.timeout.ms` …), as Kafka validates it.
 */
import { ConfigSource, ErrorCode, KafkaError } from '@samsa/protocol';
import type { BrokerConfig } from './broker-config.js';
import {
  atLeast,
  type ConfigError,
  type ConfigKey,
  type ConfigValue,
  formatConfigValue,
  parseConfigValue,
} from './config-def.js';
import type { DescribedConfig } from './topic-config.js';

/** `share.auto.offset.reset`: earliest, latest, or `by_duration:<ISO-8601 duration>` (KIP-1106). */
const SHARE_AUTO_OFFSET_RESET = /^(earliest|latest|by_duration:P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)$/i;

interface GroupConfigKey extends ConfigKey {
  /** The broker config whose value is the default. */
  readonly brokerDefault: string;
  /** Broker configs bounding an override: [min, max]. */
  readonly bounds?: readonly [string, string];
}

export const GROUP_CONFIG_KEYS: readonly GroupConfigKey[] = [
  {
    name: 'consumer.session.timeout.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.consumer.session.timeout.ms',
    bounds: ['group.consumer.min.session.timeout.ms', 'group.consumer.max.session.timeout.ms'],
    validate: atLeast(1),
    doc: 'The timeout to detect client failures when using the consumer group protocol.',
  },
  {
    name: 'consumer.heartbeat.interval.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.consumer.heartbeat.interval.ms',
    bounds: ['group.consumer.min.heartbeat.interval.ms', 'group.consumer.max.heartbeat.interval.ms'],
    validate: atLeast(1),
    doc: 'The heartbeat interval given to the members of a consumer group.',
  },
  {
    name: 'share.session.timeout.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.share.session.timeout.ms',
    bounds: ['group.share.min.session.timeout.ms', 'group.share.max.session.timeout.ms'],
    validate: atLeast(1),
    doc: 'The timeout to detect client failures when using the share group protocol.',
  },
  {
    name: 'share.heartbeat.interval.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.share.heartbeat.interval.ms',
    bounds: ['group.share.min.heartbeat.interval.ms', 'group.share.max.heartbeat.interval.ms'],
    validate: atLeast(1),
    doc: 'The heartbeat interval given to the members of a share group.',
  },
  {
    name: 'share.record.lock.duration.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.share.record.lock.duration.ms',
    bounds: ['group.share.min.record.lock.duration.ms', 'group.share.max.record.lock.duration.ms'],
    validate: atLeast(1000),
    doc: 'The record acquisition lock duration in milliseconds for share groups.',
  },
  {
    name: 'share.auto.offset.reset',
    type: 'string',
    defaultValue: 'latest',
    brokerDefault: '',
    validate: (value) =>
      typeof value === 'string' && SHARE_AUTO_OFFSET_RESET.test(value)
        ? undefined
        : 'must be earliest, latest or by_duration:<ISO-8601 duration>',
    doc: 'What to do when there is no initial offset in Kafka or if the current offset does not exist any more.',
  },
  {
    name: 'share.isolation.level',
    type: 'string',
    defaultValue: 'read_uncommitted',
    brokerDefault: '',
    validate: (value) =>
      value === 'read_committed' || value === 'read_uncommitted'
        ? undefined
        : 'String must be one of: read_committed, read_uncommitted',
    doc: 'Controls how to read records written transactionally.',
  },
  {
    name: 'streams.session.timeout.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.streams.session.timeout.ms',
    bounds: ['group.streams.min.session.timeout.ms', 'group.streams.max.session.timeout.ms'],
    validate: atLeast(1),
    doc: 'The timeout to detect client failures when using the streams group protocol.',
  },
  {
    name: 'streams.heartbeat.interval.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.streams.heartbeat.interval.ms',
    bounds: ['group.streams.min.heartbeat.interval.ms', 'group.streams.max.heartbeat.interval.ms'],
    validate: atLeast(1),
    doc: 'The heartbeat interval given to the members of a streams group.',
  },
  {
    name: 'streams.num.standby.replicas',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.streams.num.standby.replicas',
    bounds: ['', 'group.streams.max.standby.replicas'],
    validate: atLeast(0),
    doc: 'The number of standby replicas for each task.',
  },
  {
    name: 'streams.initial.rebalance.delay.ms',
    type: 'int',
    defaultValue: null,
    brokerDefault: 'group.streams.initial.rebalance.delay.ms',
    validate: atLeast(0),
    doc: 'The amount of time the group coordinator will wait for more streams clients to join a new group.',
  },
];

export const GROUP_CONFIG_BY_NAME: ReadonlyMap<string, GroupConfigKey> = new Map(
  GROUP_CONFIG_KEYS.map((key) => [key.name, key]),
);

/** One group's effective configs: its overrides over the broker's defaults. */
export class GroupConfig {
  constructor(
    private readonly overrides: Readonly<Record<string, string>>,
    private readonly broker: BrokerConfig,
  ) {}

  get(name: string): ConfigValue {
    const key = GROUP_CONFIG_BY_NAME.get(name);
    if (key === undefined) throw new Error(`unknown group config ${name}`);
    const override = this.overrides[name];
    if (override !== undefined) return parseConfigValue(key, override);
    return key.brokerDefault === '' ? key.defaultValue : this.broker.get(key.brokerDefault);
  }

  int(name: string): number {
    return this.get(name) as number;
  }

  /** DescribeConfigs' entries: overrides with source GROUP_CONFIG, the rest DEFAULT_CONFIG. */
  describe(names: readonly string[] | null): DescribedConfig[] {
    const keys = names === null ? GROUP_CONFIG_KEYS : names.flatMap((n) => GROUP_CONFIG_BY_NAME.get(n) ?? []);
    return keys.map((key) => {
      const overridden = this.overrides[key.name] !== undefined;
      const value = formatConfigValue(this.get(key.name));
      const source = overridden ? ConfigSource.GROUP_CONFIG : ConfigSource.DEFAULT_CONFIG;
      return {
        name: key.name,
        value,
        source,
        isDefault: !overridden,
        readOnly: false,
        sensitive: false,
        type: key.type,
        doc: key.doc ?? null,
        synonyms: [{ name: key.name, value, source }],
      };
    });
  }
}

/**
 * Checks a group's complete overrides before they are stored (Kafka's GroupConfig.validate):
 * known names, parsable values within the broker's bounds, and each heartbeat interval below its
 * session timeout. Throws INVALID_CONFIG naming the key.
 */
export function validateGroupConfigs(overrides: Readonly<Record<string, string>>, broker: BrokerConfig): void {
  for (const [name, raw] of Object.entries(overrides)) {
    const key = GROUP_CONFIG_BY_NAME.get(name);
    if (key === undefined) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown group config name: ${name}`);
    let value: ConfigValue;
    try {
      value = parseConfigValue(key, raw);
    } catch (err) {
      throw new KafkaError(ErrorCode.INVALID_CONFIG, (err as ConfigError).message);
    }
    if (key.bounds === undefined || typeof value !== 'number') continue;
    const [min, max] = key.bounds;
    if (min !== '' && value < broker.int(min)) {
      throw new KafkaError(ErrorCode.INVALID_CONFIG, `${name} must be greater than or equal to ${min}`);
    }
    if (value > broker.int(max)) {
      throw new KafkaError(ErrorCode.INVALID_CONFIG, `${name} must be less than or equal to ${max}`);
    }
  }
  const effective = new GroupConfig(overrides, broker);
  for (const kind of ['consumer', 'share', 'streams']) {
    if (effective.int(`${kind}.heartbeat.interval.ms`) >= effective.int(`${kind}.session.timeout.ms`)) {
      throw new KafkaError(
        ErrorCode.INVALID_CONFIG,
        `${kind}.heartbeat.interval.ms must be less than ${kind}.session.timeout.ms`,
      );
    }
  }
}
