/**
 * Every setting the client accepts, in Kafka's property names, with its type, default and the
 * clients it applies to. Constructors resolve user input against this table, so a typo or a
 * value of the wrong type fails at construction with the key in the message, never later.
 *
 * Defaults are Kafka 4.0's Java client defaults unless a comment says otherwise.
 */
/** Admin has only the common settings, so producer and consumer keys fail there. */
export type ConfigRole = 'common' | 'producer' | 'consumer' | 'admin';

export type ConfigType =
  | 'string'
  | 'nullable-string'
  | 'int'
  | 'boolean'
  | 'list'
  | 'enum'
  | 'acks'
  | 'serializer'
  | 'deserializer'
  | 'partitioner'
  | 'assignors'
  | 'object'
  | 'function';

export interface ConfigDefinition {
  /** Kafka's property name, e.g. `linger.ms`. The camelCase form (`lingerMs`) is derived. */
  readonly key: string;
  readonly type: ConfigType;
  readonly roles: readonly ConfigRole[];
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** Not a Kafka property: accepted only in camelCase (hooks such as listeners). */
  readonly camelOnly?: boolean;
  readonly doc: string;
}

const C: ConfigRole[] = ['common'];
const P: ConfigRole[] = ['producer'];
const K: ConfigRole[] = ['consumer'];
const INT_MAX = 0x7fffffff;

export const CONFIG_DEFINITIONS: readonly ConfigDefinition[] = [
  // Common to every client.
  { key: 'bootstrap.servers', type: 'list', roles: C, doc: 'host:port pairs to bootstrap from' },
  { key: 'client.id', type: 'string', roles: C, default: 'samsa-client', doc: 'sent with every request' },
  { key: 'client.rack', type: 'string', roles: C, default: '', doc: 'rack of this client (fetch from follower)' },
  { key: 'request.timeout.ms', type: 'int', roles: C, default: 30000, min: 1, doc: 'wait for a response' },
  { key: 'retry.backoff.ms', type: 'int', roles: C, default: 100, min: 0, doc: 'wait before a retry' },
  {
    key: 'retry.backoff.max.ms',
    type: 'int',
    roles: C,
    default: 1000,
    min: 0,
    doc: 'cap of exponential retry backoff',
  },
  { key: 'reconnect.backoff.ms', type: 'int', roles: C, default: 50, min: 0, doc: 'wait before reconnecting' },
  {
    key: 'reconnect.backoff.max.ms',
    type: 'int',
    roles: C,
    default: 1000,
    min: 0,
    doc: 'cap of exponential reconnect backoff',
  },
  {
    key: 'socket.connection.setup.timeout.ms',
    type: 'int',
    roles: C,
    default: 10000,
    min: 1,
    doc: 'wait for a TCP connection',
  },
  { key: 'metadata.max.age.ms', type: 'int', roles: C, default: 300000, min: 0, doc: 'refresh metadata this often' },
  {
    key: 'connections.max.idle.ms',
    type: 'int',
    roles: C,
    default: 540000,
    min: -1,
    doc: 'close idle connections (-1: never)',
  },
  {
    key: 'default.api.timeout.ms',
    type: 'int',
    roles: C,
    default: 60000,
    min: 0,
    doc: 'timeout of calls that take no explicit one',
  },

  // Security: Kafka's SslConfigs / SaslConfigs names, librdkafka's where Java has none. Files are
  // read and checked when the client is built (security/client-security.ts), so a bad path or
  // key fails the constructor naming the setting.
  {
    key: 'security.protocol',
    type: 'enum',
    roles: C,
    default: 'PLAINTEXT',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    doc: 'PLAINTEXT, SSL (TLS), SASL_PLAINTEXT or SASL_SSL (SASL over TLS)',
  },
  { key: 'ssl.truststore.location', type: 'nullable-string', roles: C, default: null, doc: 'PEM file of CAs' },
  {
    key: 'ssl.truststore.type',
    type: 'enum',
    roles: C,
    values: ['PEM', 'JKS', 'PKCS12'],
    doc: 'PEM only (JKS and PKCS12 are refused with how to convert); unset: PEM',
  },
  { key: 'ssl.truststore.certificates', type: 'nullable-string', roles: C, default: null, doc: 'inline PEM CAs' },
  {
    key: 'ssl.truststore.password',
    type: 'nullable-string',
    roles: C,
    default: null,
    doc: 'refused with PEM, as Java',
  },
  {
    key: 'ssl.keystore.location',
    type: 'nullable-string',
    roles: C,
    default: null,
    doc: 'client certificate: PEM (key + chain, KIP-651) or PKCS12',
  },
  {
    key: 'ssl.keystore.type',
    type: 'enum',
    roles: C,
    values: ['PEM', 'PKCS12', 'JKS'],
    doc: 'PEM or PKCS12 (JKS refused); unset: from the file',
  },
  { key: 'ssl.keystore.password', type: 'nullable-string', roles: C, default: null, doc: 'PKCS12 password' },
  { key: 'ssl.keystore.key', type: 'nullable-string', roles: C, default: null, doc: 'inline PEM private key' },
  {
    key: 'ssl.keystore.certificate.chain',
    type: 'nullable-string',
    roles: C,
    default: null,
    doc: 'inline PEM certificate chain',
  },
  { key: 'ssl.key.password', type: 'nullable-string', roles: C, default: null, doc: 'of an encrypted PEM key' },
  {
    key: 'ssl.endpoint.identification.algorithm',
    type: 'string',
    roles: C,
    default: 'https',
    doc: 'https: check the host name; empty: do not',
  },
  {
    key: 'ssl.enabled.protocols',
    type: 'list',
    roles: C,
    default: 'TLSv1.2,TLSv1.3',
    doc: 'TLS versions allowed',
  },
  { key: 'ssl.protocol', type: 'string', roles: C, default: 'TLSv1.3', doc: 'TLSv1.2 caps the version; TLS, TLSv1.3' },
  { key: 'ssl.cipher.suites', type: 'list', roles: C, doc: 'Java (IANA) or OpenSSL names; unset: Node defaults' },
  { key: 'ssl.ca.location', type: 'nullable-string', roles: C, default: null, doc: 'librdkafka: PEM CAs' },
  {
    key: 'ssl.certificate.location',
    type: 'nullable-string',
    roles: C,
    default: null,
    doc: 'librdkafka: PEM client certificate',
  },
  { key: 'ssl.key.location', type: 'nullable-string', roles: C, default: null, doc: 'librdkafka: PEM client key' },
  {
    key: 'tls.options',
    type: 'object',
    roles: C,
    camelOnly: true,
    doc: "Node's tls.ConnectionOptions, applied over the ssl.* settings",
  },
  {
    key: 'sasl.mechanism',
    type: 'enum',
    roles: C,
    default: 'PLAIN',
    values: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'],
    doc: 'for SASL_PLAINTEXT and SASL_SSL',
  },
  {
    key: 'sasl.jaas.config',
    type: 'nullable-string',
    roles: C,
    default: null,
    doc: 'PlainLoginModule, ScramLoginModule or OAuthBearerLoginModule entry',
  },
  { key: 'sasl.username', type: 'nullable-string', roles: C, default: null, doc: 'librdkafka: PLAIN/SCRAM user' },
  { key: 'sasl.password', type: 'nullable-string', roles: C, default: null, doc: 'librdkafka: its password' },
  {
    key: 'oauth.bearer.token.provider',
    type: 'function',
    roles: C,
    camelOnly: true,
    doc: 'OAUTHBEARER: () => Promise<{ value, lifetimeMs?, principalName?, extensions? }>',
  },
  {
    key: 'allow.auto.create.topics',
    type: 'boolean',
    roles: ['producer', 'consumer'],
    default: true,
    doc: 'let Metadata requests create missing topics',
  },

  // Producer.
  { key: 'acks', type: 'acks', roles: P, default: -1, doc: '0, 1 or all (-1)' },
  { key: 'linger.ms', type: 'int', roles: P, default: 5, min: 0, doc: 'wait this long for a batch to fill' },
  { key: 'batch.size', type: 'int', roles: P, default: 16384, min: 0, doc: 'bytes per partition batch' },
  { key: 'buffer.memory', type: 'int', roles: P, default: 33554432, min: 1, doc: 'bytes of unsent records' },
  {
    key: 'max.block.ms',
    type: 'int',
    roles: P,
    default: 60000,
    min: 0,
    doc: 'send waits this long for memory or metadata',
  },
  {
    key: 'max.request.size',
    type: 'int',
    roles: P,
    default: 1048576,
    min: 1,
    doc: 'largest record (and request) sent',
  },
  {
    key: 'compression.type',
    type: 'enum',
    roles: P,
    default: 'none',
    values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
    doc: 'codec of produced batches',
  },
  { key: 'compression.gzip.level', type: 'int', roles: P, default: 6, min: 1, max: 9, doc: 'gzip level' },
  { key: 'compression.zstd.level', type: 'int', roles: P, default: 3, min: -131072, max: 22, doc: 'zstd level' },
  { key: 'enable.idempotence', type: 'boolean', roles: P, default: true, doc: 'exactly-once per partition' },
  { key: 'transactional.id', type: 'nullable-string', roles: P, default: null, doc: 'enables transactions' },
  { key: 'transaction.timeout.ms', type: 'int', roles: P, default: 60000, min: 1, doc: 'coordinator aborts after' },
  { key: 'retries', type: 'int', roles: P, default: INT_MAX, min: 0, doc: 'retries of a failed batch' },
  {
    key: 'delivery.timeout.ms',
    type: 'int',
    roles: P,
    default: 120000,
    min: 1,
    doc: 'upper bound from send to acknowledgement',
  },
  {
    key: 'max.in.flight.requests.per.connection',
    type: 'int',
    roles: P,
    default: 5,
    min: 1,
    doc: 'unacknowledged requests per broker',
  },
  { key: 'key.serializer', type: 'serializer', roles: P, default: 'buffer', doc: 'function or string|json|buffer' },
  {
    key: 'value.serializer',
    type: 'serializer',
    roles: P,
    default: 'buffer',
    doc: 'function or string|json|buffer',
  },
  {
    key: 'partitioner',
    type: 'partitioner',
    roles: P,
    default: 'default',
    camelOnly: true,
    doc: 'default | murmur2 | round-robin | a function',
  },
  {
    key: 'partitioner.class',
    type: 'partitioner',
    roles: P,
    doc: 'Java partitioner class name (RoundRobinPartitioner, ...)',
  },
  {
    key: 'partitioner.ignore.keys',
    type: 'boolean',
    roles: P,
    default: false,
    doc: 'sticky partitioning even for keyed records',
  },
  {
    key: 'producer.listener',
    type: 'object',
    roles: P,
    camelOnly: true,
    doc: 'ProducerListener hooks (onSuccess/onError)',
  },

  // Consumer.
  { key: 'group.id', type: 'nullable-string', roles: K, default: null, doc: 'consumer group' },
  { key: 'group.instance.id', type: 'nullable-string', roles: K, default: null, doc: 'static membership' },
  {
    key: 'group.protocol',
    type: 'enum',
    roles: K,
    default: 'classic',
    values: ['classic', 'consumer'],
    doc: 'classic (JoinGroup/SyncGroup) or consumer (KIP-848 ConsumerGroupHeartbeat)',
  },
  {
    key: 'group.remote.assignor',
    type: 'nullable-string',
    roles: K,
    default: null,
    doc: "the broker's assignor for group.protocol=consumer (uniform, range); null: the broker's default",
  },
  { key: 'enable.auto.commit', type: 'boolean', roles: K, default: true, doc: 'commit delivered offsets' },
  { key: 'auto.commit.interval.ms', type: 'int', roles: K, default: 5000, min: 0, doc: 'auto-commit period' },
  {
    key: 'auto.offset.reset',
    type: 'enum',
    roles: K,
    default: 'latest',
    values: ['earliest', 'latest', 'none'],
    doc: 'where to start without a committed offset',
  },
  { key: 'max.poll.records', type: 'int', roles: K, default: 500, min: 1, doc: 'records per poll/batch' },
  { key: 'session.timeout.ms', type: 'int', roles: K, default: 45000, min: 1, doc: 'group session timeout' },
  { key: 'heartbeat.interval.ms', type: 'int', roles: K, default: 3000, min: 1, doc: 'heartbeat period' },
  {
    key: 'max.poll.interval.ms',
    type: 'int',
    roles: K,
    default: 300000,
    min: 1,
    doc: 'longest processing between polls',
  },
  { key: 'fetch.min.bytes', type: 'int', roles: K, default: 1, min: 0, doc: 'broker waits for this many bytes' },
  { key: 'fetch.max.wait.ms', type: 'int', roles: K, default: 500, min: 0, doc: 'long-poll wait' },
  { key: 'fetch.max.bytes', type: 'int', roles: K, default: 52428800, min: 0, doc: 'bytes per fetch response' },
  {
    key: 'max.partition.fetch.bytes',
    type: 'int',
    roles: K,
    default: 1048576,
    min: 0,
    doc: 'bytes per partition per fetch',
  },
  {
    key: 'isolation.level',
    type: 'enum',
    roles: K,
    default: 'read_uncommitted',
    values: ['read_uncommitted', 'read_committed'],
    doc: 'read_committed hides aborted and open transactions',
  },
  {
    key: 'partition.assignment.strategy',
    type: 'assignors',
    roles: K,
    default: 'range,cooperative-sticky',
    doc: 'range, roundrobin, sticky, cooperative-sticky (or Java class names)',
  },
  { key: 'check.crcs', type: 'boolean', roles: K, default: true, doc: 'verify fetched batch CRCs' },
  {
    key: 'exclude.internal.topics',
    type: 'boolean',
    roles: K,
    default: true,
    doc: 'patterns never match internal topics',
  },
  { key: 'key.deserializer', type: 'deserializer', roles: K, default: 'buffer', doc: 'function or name' },
  { key: 'value.deserializer', type: 'deserializer', roles: K, default: 'buffer', doc: 'function or name' },
  {
    key: 'rebalance.listener',
    type: 'object',
    roles: K,
    camelOnly: true,
    doc: 'onPartitionsAssigned/Revoked/Lost hooks',
  },
];

/** `linger.ms` → `lingerMs`, `max.in.flight.requests.per.connection` → `maxInFlightRequestsPerConnection`. */
export function camelCaseOf(key: string): string {
  return key.replace(/[.-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
