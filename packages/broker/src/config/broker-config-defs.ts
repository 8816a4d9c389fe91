import { validateMetricsListener } from '../metrics/metrics-listener.js';
import { authorizerClassNameProblem } from '../security/acl/authorizer-class-names.js';
import { atLeast, between, type ConfigKey, LONG_MAX, oneOf } from './config-def.js';

/** `group.consumer.migration.policy`'s values (Kafka's ConsumerGroupMigrationPolicy). */
export const CONSUMER_GROUP_MIGRATION_POLICIES: readonly string[] = [
  'bidirectional',
  'upgrade',
  'downgrade',
  'disabled',
];

import { KERBEROS_CONFIG_KEYS, SECURITY_CONFIG_KEYS } from './security-config-defs.js';

const INT_MAX = 2147483647;

/**
 * The broker configuration keys Samsa understands, with Kafka's names, types and defaults.
 *
 * Keys that Kafka has but that have no meaning in Samsa (thread pool sizes of the JVM broker,
 * for instance) are accepted and reported by DescribeConfigs, but changing them has no effect;
 * `ACCEPTED_WITHOUT_EFFECT` lists them so that startup can say so instead of silently ignoring.
 */
export const BROKER_CONFIG_KEYS: readonly ConfigKey[] = [
  // --- identity and networking
  { name: 'broker.id', type: 'int', defaultValue: 0, validate: atLeast(0), doc: 'The broker id.' },
  { name: 'node.id', type: 'int', defaultValue: -1, doc: 'KRaft name for broker.id; used when broker.id is unset.' },
  { name: 'broker.rack', type: 'string', defaultValue: null },
  {
    name: 'metrics.listener',
    type: 'string',
    defaultValue: null,
    validate: validateMetricsListener,
    doc: 'Serves Prometheus metrics at /metrics on http://host:port; off when unset (Samsa).',
  },
  { name: 'listeners', type: 'list', defaultValue: ['PLAINTEXT://:9092'] },
  { name: 'advertised.listeners', type: 'list', defaultValue: null },
  {
    name: 'listener.security.protocol.map',
    type: 'list',
    defaultValue: ['PLAINTEXT:PLAINTEXT', 'SSL:SSL', 'SASL_PLAINTEXT:SASL_PLAINTEXT', 'SASL_SSL:SASL_SSL'],
  },
  { name: 'inter.broker.listener.name', type: 'string', defaultValue: null },
  { name: 'socket.request.max.bytes', type: 'int', defaultValue: 104857600, validate: atLeast(1) },
  { name: 'socket.send.buffer.bytes', type: 'int', defaultValue: 102400 },
  { name: 'socket.receive.buffer.bytes', type: 'int', defaultValue: 102400 },
  { name: 'connections.max.idle.ms', type: 'long', defaultValue: 600000 },
  { name: 'max.connections', type: 'int', defaultValue: INT_MAX, validate: atLeast(0), dynamic: 'cluster-wide' },
  { name: 'num.network.threads', type: 'int', defaultValue: 3, validate: atLeast(1), dynamic: 'cluster-wide' },
  { name: 'num.io.threads', type: 'int', defaultValue: 8, validate: atLeast(1), dynamic: 'cluster-wide' },
  { name: 'queued.max.requests', type: 'int', defaultValue: 500, validate: atLeast(1) },
  { name: 'request.timeout.ms', type: 'int', defaultValue: 30000 },
  // --- topics
  { name: 'num.partitions', type: 'int', defaultValue: 1, validate: atLeast(1) },
  { name: 'default.replication.factor', type: 'int', defaultValue: 1, validate: atLeast(1) },
  { name: 'auto.create.topics.enable', type: 'boolean', defaultValue: true },
  { name: 'delete.topic.enable', type: 'boolean', defaultValue: true },
  { name: 'min.insync.replicas', type: 'int', defaultValue: 1, validate: atLeast(1), dynamic: 'cluster-wide' },
  { name: 'unclean.leader.election.enable', type: 'boolean', defaultValue: false, dynamic: 'cluster-wide' },
  { name: 'message.max.bytes', type: 'int', defaultValue: 1048588, validate: atLeast(0), dynamic: 'cluster-wide' },
  {
    name: 'compression.type',
    type: 'string',
    defaultValue: 'producer',
    validate: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
    dynamic: 'cluster-wide',
  },
  { name: 'fetch.max.bytes', type: 'int', defaultValue: 57671680, validate: atLeast(1024) },
  {
    name: 'max.incremental.fetch.session.cache.slots',
    type: 'int',
    defaultValue: 1000,
    validate: atLeast(0),
    doc: 'The maximum number of incremental fetch sessions (KIP-227) the broker keeps.',
  },
  // --- log
  { name: 'log.dirs', type: 'list', defaultValue: null },
  { name: 'log.dir', type: 'string', defaultValue: '/tmp/kafka-logs' },
  { name: 'log.segment.bytes', type: 'int', defaultValue: 1073741824, validate: atLeast(14), dynamic: 'cluster-wide' },
  { name: 'log.roll.hours', type: 'int', defaultValue: 168, validate: atLeast(1) },
  { name: 'log.roll.ms', type: 'long', defaultValue: null, dynamic: 'cluster-wide' },
  { name: 'log.roll.jitter.hours', type: 'int', defaultValue: 0, validate: atLeast(0) },
  { name: 'log.roll.jitter.ms', type: 'long', defaultValue: null, dynamic: 'cluster-wide' },
  { name: 'log.retention.hours', type: 'int', defaultValue: 168 },
  { name: 'log.retention.minutes', type: 'int', defaultValue: null },
  { name: 'log.retention.ms', type: 'long', defaultValue: null, dynamic: 'cluster-wide' },
  { name: 'log.retention.bytes', type: 'long', defaultValue: -1, dynamic: 'cluster-wide' },
  { name: 'log.retention.check.interval.ms', type: 'long', defaultValue: 300000, validate: atLeast(1) },
  {
    name: 'log.index.size.max.bytes',
    type: 'int',
    defaultValue: 10485760,
    validate: atLeast(4),
    dynamic: 'cluster-wide',
  },
  { name: 'log.index.interval.bytes', type: 'int', defaultValue: 4096, validate: atLeast(0), dynamic: 'cluster-wide' },
  {
    name: 'log.flush.interval.messages',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(1),
    dynamic: 'cluster-wide',
  },
  { name: 'log.flush.interval.ms', type: 'long', defaultValue: null, dynamic: 'cluster-wide' },
  { name: 'log.flush.scheduler.interval.ms', type: 'long', defaultValue: LONG_MAX },
  { name: 'log.flush.offset.checkpoint.interval.ms', type: 'int', defaultValue: 60000, validate: atLeast(0) },
  { name: 'log.flush.start.offset.checkpoint.interval.ms', type: 'int', defaultValue: 60000, validate: atLeast(0) },
  {
    name: 'log.segment.delete.delay.ms',
    type: 'long',
    defaultValue: 60000,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  {
    name: 'log.cleanup.policy',
    type: 'list',
    defaultValue: ['delete'],
    validate: oneOf('delete', 'compact'),
    dynamic: 'cluster-wide',
  },
  { name: 'log.cleaner.enable', type: 'boolean', defaultValue: true },
  { name: 'log.cleaner.threads', type: 'int', defaultValue: 1, validate: atLeast(0), dynamic: 'cluster-wide' },
  { name: 'log.cleaner.backoff.ms', type: 'long', defaultValue: 15000, validate: atLeast(0), dynamic: 'cluster-wide' },
  {
    name: 'log.cleaner.delete.retention.ms',
    type: 'long',
    defaultValue: 86400000,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  {
    name: 'log.cleaner.min.compaction.lag.ms',
    type: 'long',
    defaultValue: 0,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  {
    name: 'log.cleaner.max.compaction.lag.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(1),
    dynamic: 'cluster-wide',
  },
  {
    name: 'log.cleaner.min.cleanable.ratio',
    type: 'double',
    defaultValue: 0.5,
    validate: between(0, 1),
    dynamic: 'cluster-wide',
  },
  { name: 'log.cleaner.dedupe.buffer.size', type: 'long', defaultValue: 134217728, dynamic: 'cluster-wide' },
  { name: 'log.preallocate', type: 'boolean', defaultValue: false, dynamic: 'cluster-wide' },
  {
    name: 'log.message.timestamp.type',
    type: 'string',
    defaultValue: 'CreateTime',
    validate: oneOf('CreateTime', 'LogAppendTime'),
    dynamic: 'cluster-wide',
  },
  { name: 'log.message.timestamp.difference.max.ms', type: 'long', defaultValue: LONG_MAX, dynamic: 'cluster-wide' },
  { name: 'log.message.timestamp.before.max.ms', type: 'long', defaultValue: LONG_MAX, dynamic: 'cluster-wide' },
  { name: 'log.message.timestamp.after.max.ms', type: 'long', defaultValue: 3600000, dynamic: 'cluster-wide' },
  { name: 'log.message.format.version', type: 'string', defaultValue: '3.0-IV1' },
  {
    name: 'num.recovery.threads.per.data.dir',
    type: 'int',
    defaultValue: 2,
    validate: atLeast(1),
    dynamic: 'cluster-wide',
  },
  {
    name: 'producer.id.expiration.ms',
    type: 'int',
    defaultValue: 86400000,
    validate: atLeast(1),
    dynamic: 'cluster-wide',
  },
  // --- groups and offsets
  { name: 'offsets.topic.num.partitions', type: 'int', defaultValue: 50, validate: atLeast(1) },
  { name: 'offsets.topic.replication.factor', type: 'short', defaultValue: 3, validate: atLeast(1) },
  { name: 'offsets.topic.segment.bytes', type: 'int', defaultValue: 104857600, validate: atLeast(1) },
  { name: 'offsets.topic.compression.codec', type: 'int', defaultValue: 0 },
  { name: 'offsets.load.buffer.size', type: 'int', defaultValue: 5242880, validate: atLeast(1) },
  { name: 'offsets.retention.minutes', type: 'int', defaultValue: 10080, validate: atLeast(1) },
  { name: 'offsets.retention.check.interval.ms', type: 'long', defaultValue: 600000, validate: atLeast(1) },
  { name: 'offsets.commit.required.acks', type: 'short', defaultValue: -1 },
  { name: 'offsets.commit.timeout.ms', type: 'int', defaultValue: 5000, validate: atLeast(1) },
  { name: 'offset.metadata.max.bytes', type: 'int', defaultValue: 4096 },
  { name: 'group.initial.rebalance.delay.ms', type: 'int', defaultValue: 3000 },
  { name: 'group.min.session.timeout.ms', type: 'int', defaultValue: 6000 },
  { name: 'group.max.session.timeout.ms', type: 'int', defaultValue: 1800000 },
  { name: 'group.max.size', type: 'int', defaultValue: INT_MAX, validate: atLeast(1) },
  // --- consumer groups (KIP-848)
  { name: 'group.consumer.assignors', type: 'list', defaultValue: ['uniform', 'range'] },
  { name: 'group.consumer.session.timeout.ms', type: 'int', defaultValue: 45000, validate: atLeast(1) },
  { name: 'group.consumer.heartbeat.interval.ms', type: 'int', defaultValue: 5000, validate: atLeast(1) },
  { name: 'group.consumer.max.size', type: 'int', defaultValue: INT_MAX, validate: atLeast(1) },
  {
    name: 'group.consumer.migration.policy',
    type: 'string',
    defaultValue: 'bidirectional',
    // Kafka's ConfigDef.CaseInsensitiveValidString over ConsumerGroupMigrationPolicy's names.
    validate: (value) =>
      typeof value === 'string' && !CONSUMER_GROUP_MIGRATION_POLICIES.includes(value.toLowerCase())
        ? `String must be one of (case insensitive): ${CONSUMER_GROUP_MIGRATION_POLICIES.join(', ')}`
        : undefined,
  },
  // --- transactions
  { name: 'transaction.state.log.num.partitions', type: 'int', defaultValue: 50, validate: atLeast(1) },
  { name: 'transaction.state.log.replication.factor', type: 'short', defaultValue: 3, validate: atLeast(1) },
  { name: 'transaction.state.log.min.isr', type: 'int', defaultValue: 2, validate: atLeast(1) },
  { name: 'transaction.state.log.segment.bytes', type: 'int', defaultValue: 104857600, validate: atLeast(1) },
  { name: 'transaction.max.timeout.ms', type: 'int', defaultValue: 900000, validate: atLeast(1) },
  { name: 'transactional.id.expiration.ms', type: 'int', defaultValue: 604800000, validate: atLeast(1) },
  {
    name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms',
    type: 'int',
    defaultValue: 10000,
    validate: atLeast(1),
  },
  {
    name: 'transaction.remove.expired.transaction.cleanup.interval.ms',
    type: 'int',
    defaultValue: 3600000,
    validate: atLeast(1),
  },
  // --- replication and cluster (used from the cluster stage on)
  { name: 'zookeeper.connect', type: 'string', defaultValue: null },
  { name: 'zookeeper.connection.timeout.ms', type: 'int', defaultValue: null },
  { name: 'zookeeper.session.timeout.ms', type: 'int', defaultValue: 18000 },
  { name: 'replica.lag.time.max.ms', type: 'long', defaultValue: 30000 },
  { name: 'replica.fetch.max.bytes', type: 'int', defaultValue: 1048576, validate: atLeast(0) },
  { name: 'replica.fetch.wait.max.ms', type: 'int', defaultValue: 500 },
  { name: 'replica.fetch.min.bytes', type: 'int', defaultValue: 1 },
  { name: 'replica.fetch.response.max.bytes', type: 'int', defaultValue: 10485760, validate: atLeast(0) },
  { name: 'replica.high.watermark.checkpoint.interval.ms', type: 'long', defaultValue: 5000 },
  { name: 'replica.fetch.backoff.ms', type: 'int', defaultValue: 1000, validate: atLeast(0) },
  { name: 'replica.socket.timeout.ms', type: 'int', defaultValue: 30000, validate: atLeast(1) },
  { name: 'replica.selector.class', type: 'string', defaultValue: null },
  { name: 'num.replica.fetchers', type: 'int', defaultValue: 1, dynamic: 'cluster-wide' },
  // Replication throttles (KIP-73): dynamic broker configs, per broker or cluster-wide default.
  {
    name: 'leader.replication.throttled.rate',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  {
    name: 'follower.replication.throttled.rate',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  // The bound on copying replicas between this broker's log dirs (AlterReplicaLogDirs), every move
  // counted, over replication.quota.window.*; Kafka's reassignment tool sets it with
  // --replica-alter-log-dirs-throttle.
  {
    name: 'replica.alter.log.dirs.io.max.bytes.per.second',
    type: 'long',
    defaultValue: LONG_MAX,
    validate: atLeast(0),
    dynamic: 'cluster-wide',
  },
  { name: 'replication.quota.window.num', type: 'int', defaultValue: 11, validate: atLeast(1) },
  { name: 'replication.quota.window.size.seconds', type: 'int', defaultValue: 1, validate: atLeast(1) },
  { name: 'auto.leader.rebalance.enable', type: 'boolean', defaultValue: true },
  { name: 'controlled.shutdown.enable', type: 'boolean', defaultValue: true },
  { name: 'controlled.shutdown.max.retries', type: 'int', defaultValue: 3, validate: atLeast(0) },
  { name: 'controlled.shutdown.retry.backoff.ms', type: 'long', defaultValue: 5000, validate: atLeast(0) },
  { name: 'leader.imbalance.check.interval.seconds', type: 'long', defaultValue: 300, validate: atLeast(1) },
  { name: 'leader.imbalance.per.broker.percentage', type: 'int', defaultValue: 10, validate: atLeast(0) },
  { name: 'controller.socket.timeout.ms', type: 'int', defaultValue: 30000, validate: atLeast(1) },
  { name: 'zookeeper.max.in.flight.requests', type: 'int', defaultValue: 10, validate: atLeast(1) },
  { name: 'reserved.broker.max.id', type: 'int', defaultValue: 1000, validate: atLeast(0) },
  { name: 'broker.id.generation.enable', type: 'boolean', defaultValue: true },
  // --- authorization (ACLs)
  {
    name: 'authorizer.class.name',
    type: 'string',
    defaultValue: '',
    validate: authorizerClassNameProblem,
    doc: "The authorizer: empty for none (every request allowed), or one of Kafka's ACL authorizers' class names.",
  },
  {
    name: 'super.users',
    type: 'string',
    defaultValue: null,
    doc: 'Principals allowed everything, separated by semicolons (User:admin;User:broker).',
  },
  { name: 'allow.everyone.if.no.acl.found', type: 'boolean', defaultValue: false },
  ...SECURITY_CONFIG_KEYS,
];

/** Keys accepted for compatibility whose value does not change Samsa's behaviour. */
export const ACCEPTED_WITHOUT_EFFECT: ReadonlySet<string> = new Set([
  'num.network.threads',
  'num.io.threads',
  'queued.max.requests',
  'socket.send.buffer.bytes',
  'socket.receive.buffer.bytes',
  'log.message.format.version',
  'log.cleaner.threads',
  'log.cleaner.dedupe.buffer.size',
  'offsets.load.buffer.size',
  'num.replica.fetchers',
  'broker.id.generation.enable',
  'reserved.broker.max.id',
  ...KERBEROS_CONFIG_KEYS,
]);
