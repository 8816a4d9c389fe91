import type { BrokerConfig } from '../../config/broker-config.js';

/**
 * The group coordinator's settings: Kafka's broker configs of the classic group protocol and of
 * offset management, in camelCase with their units (`group.min.session.timeout.ms` →
 * `groupMinSessionTimeoutMs`), defaulting to Kafka's defaults.
 */
export interface GroupCoordinatorConfig {
  /** `group.min.session.timeout.ms`: JoinGroup with a shorter session timeout gets INVALID_SESSION_TIMEOUT. */
  readonly groupMinSessionTimeoutMs: number;
  /** `group.max.session.timeout.ms`: JoinGroup with a longer session timeout gets INVALID_SESSION_TIMEOUT. */
  readonly groupMaxSessionTimeoutMs: number;
  /**
   * `group.initial.rebalance.delay.ms`: how long the first rebalance of an Empty group waits for
   * more members; each new member extends the wait by this much, up to the rebalance timeout.
   */
  readonly groupInitialRebalanceDelayMs: number;
  /** `group.max.size`: members beyond this get GROUP_MAX_SIZE_REACHED. */
  readonly groupMaxSize: number;
  /**
   * How long a new member's JoinGroup may stay parked before the member is dropped. Kafka's
   * constant `NewMemberJoinTimeoutMs` (5 minutes): a new member has no member id to heartbeat
   * with, and a parked request hides a disconnect, so defunct joiners would otherwise linger.
   */
  readonly groupNewMemberJoinTimeoutMs: number;
  /** `offsets.topic.num.partitions`: partitions of `__consumer_offsets`; fixes each group's coordinator partition. */
  readonly offsetsTopicNumPartitions: number;
  /** `offset.metadata.max.bytes`: longer commit metadata gets OFFSET_METADATA_TOO_LARGE. */
  readonly offsetMetadataMaxBytes: number;
  /** `offsets.retention.minutes`: how long offsets of an Empty group (or a simple group's offsets) are kept. */
  readonly offsetsRetentionMinutes: number;
  /** `offsets.retention.check.interval.ms`: how often expired offsets are looked for. */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** `group.consumer.assignors`: the server assignors of consumer groups (KIP-848); the first is the default. */
  readonly consumerGroupAssignors: readonly string[];
  /** `group.consumer.session.timeout.ms`: a consumer group member not heartbeating for this long is fenced. */
  readonly consumerGroupSessionTimeoutMs: number;
  /** `group.consumer.heartbeat.interval.ms`: how often consumer group members are told to heartbeat. */
  readonly consumerGroupHeartbeatIntervalMs: number;
  /** `group.consumer.max.size`: members beyond this get GROUP_MAX_SIZE_REACHED. */
  readonly consumerGroupMaxSize: number;
  /**
   * `group.consumer.migration.policy` (lower case): whether a classic group with members may be
   * upgraded to a consumer group (`upgrade`, `bidirectional`) and back (`downgrade`,
   * `bidirectional`). Empty groups convert under any policy, as in Kafka. Samsa does not migrate
   * groups with members yet, so today every policy behaves as `disabled` for them.
   */
  readonly consumerGroupMigrationPolicy: ConsumerGroupMigrationPolicy;
  /**
   * A group's overrides of the two timings above (group configs `consumer.session.timeout.ms`
   * and `consumer.heartbeat.interval.ms`), read on every heartbeat; undefined where it has none.
   */
  readonly consumerGroupOverrides?: (groupId: string) => ConsumerGroupTimings | undefined;
  /** `group.share.session.timeout.ms`: a share group member not heartbeating for this long is fenced. */
  readonly shareGroupSessionTimeoutMs: number;
  /** `group.share.heartbeat.interval.ms`: how often share group members are told to heartbeat. */
  readonly shareGroupHeartbeatIntervalMs: number;
  /** `group.share.max.size`: members beyond this get GROUP_MAX_SIZE_REACHED. */
  readonly shareGroupMaxSize: number;
  /** A share group's overrides (group configs `share.session.timeout.ms`, `share.heartbeat.interval.ms`). */
  readonly shareGroupOverrides?: (groupId: string) => ConsumerGroupTimings | undefined;
}

/** The timings of one consumer group's members. */
export interface ConsumerGroupTimings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
}

/** A share group's timings: its group configs, else the broker's. */
export function shareGroupTimings(config: GroupCoordinatorConfig, groupId: string): ConsumerGroupTimings {
  return (
    config.shareGroupOverrides?.(groupId) ?? {
      sessionTimeoutMs: config.shareGroupSessionTimeoutMs,
      heartbeatIntervalMs: config.shareGroupHeartbeatIntervalMs,
    }
  );
}

/** A consumer group's timings: its group configs, else the broker's. */
export function consumerGroupTimings(config: GroupCoordinatorConfig, groupId: string): ConsumerGroupTimings {
  return (
    config.consumerGroupOverrides?.(groupId) ?? {
      sessionTimeoutMs: config.consumerGroupSessionTimeoutMs,
      heartbeatIntervalMs: config.consumerGroupHeartbeatIntervalMs,
    }
  );
}

/** Kafka's ConsumerGroupMigrationPolicy, by the names `group.consumer.migration.policy` takes. */
export type ConsumerGroupMigrationPolicy = 'bidirectional' | 'upgrade' | 'downgrade' | 'disabled';

export const DEFAULT_GROUP_COORDINATOR_CONFIG: GroupCoordinatorConfig = Object.freeze({
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3000,
  groupMaxSize: 2_147_483_647,
  groupNewMemberJoinTimeoutMs: 300_000,
  offsetsTopicNumPartitions: 50,
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMinutes: 10_080,
  offsetsRetentionCheckIntervalMs: 600_000,
  consumerGroupAssignors: ['uniform', 'range'],
  consumerGroupSessionTimeoutMs: 45_000,
  consumerGroupHeartbeatIntervalMs: 5000,
  consumerGroupMaxSize: 2_147_483_647,
  consumerGroupMigrationPolicy: 'bidirectional',
  shareGroupSessionTimeoutMs: 45_000,
  shareGroupHeartbeatIntervalMs: 5000,
  shareGroupMaxSize: 200,
});

/** Kafka's defaults overridden by `overrides`. */
export function groupCoordinatorConfig(overrides: Partial<GroupCoordinatorConfig> = {}): GroupCoordinatorConfig {
  return Object.freeze({ ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...overrides });
}

export function offsetsRetentionMs(config: GroupCoordinatorConfig): number {
  return config.offsetsRetentionMinutes * 60_000;
}

/** The group coordinator's settings from the broker's configuration (`server.properties` names). */
export function groupCoordinatorConfigFrom(config: BrokerConfig): GroupCoordinatorConfig {
  return groupCoordinatorConfig({
    groupMinSessionTimeoutMs: config.int('group.min.session.timeout.ms'),
    groupMaxSessionTimeoutMs: config.int('group.max.session.timeout.ms'),
    groupInitialRebalanceDelayMs: config.int('group.initial.rebalance.delay.ms'),
    groupMaxSize: config.int('group.max.size'),
    offsetsTopicNumPartitions: config.int('offsets.topic.num.partitions'),
    offsetMetadataMaxBytes: config.int('offset.metadata.max.bytes'),
    offsetsRetentionMinutes: config.int('offsets.retention.minutes'),
    offsetsRetentionCheckIntervalMs: config.long('offsets.retention.check.interval.ms'),
    ...consumerGroupConfigFrom(config),
    ...shareGroupConfigFrom(config),
  });
}

/** The share group (KIP-932) settings from the broker's configuration. */
export function shareGroupConfigFrom(
  config: BrokerConfig,
): Pick<GroupCoordinatorConfig, 'shareGroupSessionTimeoutMs' | 'shareGroupHeartbeatIntervalMs' | 'shareGroupMaxSize'> {
  return {
    shareGroupSessionTimeoutMs: config.int('group.share.session.timeout.ms'),
    shareGroupHeartbeatIntervalMs: config.int('group.share.heartbeat.interval.ms'),
    shareGroupMaxSize: config.int('group.share.max.size'),
  };
}

/**
 * The consumer group (KIP-848) settings from the broker's configuration. Assignors are named as
 * Kafka's short names (`uniform`, `range`) or by Kafka's class names of those two.
 */
export function consumerGroupConfigFrom(
  config: BrokerConfig,
): Pick<
  GroupCoordinatorConfig,
  | 'consumerGroupAssignors'
  | 'consumerGroupSessionTimeoutMs'
  | 'consumerGroupHeartbeatIntervalMs'
  | 'consumerGroupMaxSize'
  | 'consumerGroupMigrationPolicy'
> {
  const assignors = config
    .list('group.consumer.assignors')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => KAFKA_ASSIGNOR_CLASSES[name] ?? name);
  return {
    consumerGroupAssignors: assignors,
    consumerGroupSessionTimeoutMs: config.int('group.consumer.session.timeout.ms'),
    consumerGroupHeartbeatIntervalMs: config.int('group.consumer.heartbeat.interval.ms'),
    consumerGroupMaxSize: config.int('group.consumer.max.size'),
    // Validated against the four names (case-insensitively) when the configuration is read.
    consumerGroupMigrationPolicy: (
      config.string('group.consumer.migration.policy') ?? 'bidirectional'
    ).toLowerCase() as ConsumerGroupMigrationPolicy,
  };
}

const KAFKA_ASSIGNOR_CLASSES: Readonly<Record<string, string>> = {
  'org.apache.kafka.coordinator.group.assignor.UniformAssignor': 'uniform',
  'org.apache.kafka.coordinator.group.assignor.RangeAssignor': 'range',
};
