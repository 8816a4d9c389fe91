import { ConfigDef, ConfigException, Validators } from '../config/config-def.js';
import {
  EXACTLY_ONCE_SOURCE_SUPPORT_DOC,
  EXACTLY_ONCE_SOURCE_SUPPORT_VALUES,
  type ExactlyOnceSourceSupport,
  exactlyOnceSourceSupport,
} from '../runtime/exactly-once-source.js';
import { getLogger } from '../runtime/loggers.js';
import { COMMON_WORKER_CONFIG_DEF, parseWorkerConfig, type WorkerConfig } from '../runtime/worker-config.js';
import type { TopicSettings } from '../storage/kafka-based-log.js';

const log = getLogger('org.apache.kafka.connect.runtime.distributed.DistributedConfig');

/** The Mac algorithms internal requests may be signed with (Java's names). */
export const HMAC_ALGORITHMS = ['HmacSHA256', 'HmacSHA1', 'HmacSHA384', 'HmacSHA512'] as const;

/** `connect.protocol` values (Kafka's ConnectProtocolCompatibility). */
export type ConnectProtocolName = 'eager' | 'compatible' | 'sessioned';

const replicationFactor = (topic: string) =>
  `Replication factor used when creating the ${topic} storage topic. -1 means the broker's default replication factor.`;

/** The distributed worker's settings (Kafka's DistributedConfig), names and defaults as Kafka's. */
export const DISTRIBUTED_CONFIG_DEF = COMMON_WORKER_CONFIG_DEF.merge(
  new ConfigDef()
    .define({
      name: 'group.id',
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'A unique string that identifies the Connect cluster group this worker belongs to.',
    })
    .define({
      name: 'config.storage.topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      documentation: 'The name of the Kafka topic where connector configurations are stored',
    })
    .define({
      name: 'config.storage.replication.factor',
      type: 'SHORT',
      defaultValue: 3,
      importance: 'LOW',
      documentation: replicationFactor('configuration'),
    })
    .define({
      name: 'offset.storage.topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      documentation: 'The name of the Kafka topic where source connector offsets are stored',
    })
    .define({
      name: 'offset.storage.partitions',
      type: 'INT',
      defaultValue: 25,
      importance: 'LOW',
      documentation: 'The number of partitions used when creating the offset storage topic',
    })
    .define({
      name: 'offset.storage.replication.factor',
      type: 'SHORT',
      defaultValue: 3,
      importance: 'LOW',
      documentation: replicationFactor('offset'),
    })
    .define({
      name: 'status.storage.topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      documentation: 'The name of the Kafka topic where connector and task status are stored',
    })
    .define({
      name: 'status.storage.partitions',
      type: 'INT',
      defaultValue: 5,
      importance: 'LOW',
      documentation: 'The number of partitions used when creating the status storage topic',
    })
    .define({
      name: 'status.storage.replication.factor',
      type: 'SHORT',
      defaultValue: 3,
      importance: 'LOW',
      documentation: replicationFactor('status'),
    })
    .define({
      name: 'session.timeout.ms',
      type: 'INT',
      defaultValue: 10000,
      importance: 'HIGH',
      documentation:
        'The timeout used to detect worker failures. The worker sends periodic heartbeats to indicate its liveness to the broker. If no heartbeats are received by the broker before the expiration of this session timeout, then the broker will remove the worker from the group and initiate a rebalance.',
    })
    .define({
      name: 'heartbeat.interval.ms',
      type: 'INT',
      defaultValue: 3000,
      importance: 'HIGH',
      documentation:
        "The expected time between heartbeats to the group coordinator when using Kafka's group management facilities.",
    })
    .define({
      name: 'rebalance.timeout.ms',
      type: 'INT',
      defaultValue: 60000,
      importance: 'HIGH',
      documentation: 'The maximum allowed time for each worker to join the group once a rebalance has begun.',
    })
    .define({
      name: 'worker.sync.timeout.ms',
      type: 'INT',
      defaultValue: 3000,
      importance: 'MEDIUM',
      documentation:
        'When the worker is out of sync with other workers and needs to resynchronize configurations, wait up to this amount of time before giving up, leaving the group, and waiting a backoff period before rejoining.',
    })
    .define({
      name: 'connect.protocol',
      type: 'STRING',
      defaultValue: 'sessioned',
      validator: Validators.validString('eager', 'compatible', 'sessioned'),
      importance: 'LOW',
      documentation:
        'Compatibility mode for Kafka Connect Protocol: eager (v0), compatible (v1, incremental cooperative rebalancing, KIP-415) or sessioned (v2: compatible plus signed internal requests, KIP-507).',
    })
    .define({
      name: 'inter.worker.key.generation.algorithm',
      type: 'STRING',
      defaultValue: 'HmacSHA256',
      validator: Validators.validString(...HMAC_ALGORITHMS),
      importance: 'LOW',
      documentation: 'The algorithm to use for generating internal request keys.',
    })
    .define({
      name: 'inter.worker.key.size',
      type: 'INT',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        'The size of the key to use for signing internal requests, in bits. If null, the default key size for the key generation algorithm will be used.',
    })
    .define({
      name: 'inter.worker.key.ttl.ms',
      type: 'INT',
      defaultValue: 3600000,
      validator: Validators.range(0, 2147483647),
      importance: 'LOW',
      documentation: 'The TTL of generated session keys used for internal request validation (in milliseconds)',
    })
    .define({
      name: 'inter.worker.signature.algorithm',
      type: 'STRING',
      defaultValue: 'HmacSHA256',
      validator: Validators.validString(...HMAC_ALGORITHMS),
      importance: 'LOW',
      documentation: 'The algorithm used to sign internal requests',
    })
    .define({
      name: 'inter.worker.verification.algorithms',
      type: 'LIST',
      defaultValue: 'HmacSHA256',
      importance: 'LOW',
      documentation:
        'A list of permitted algorithms for verifying internal requests, which must include the algorithm used for the inter.worker.signature.algorithm property.',
    })
    .define({
      name: 'exactly.once.source.support',
      type: 'STRING',
      defaultValue: 'disabled',
      validator: Validators.validStringIgnoreCase(...EXACTLY_ONCE_SOURCE_SUPPORT_VALUES),
      importance: 'HIGH',
      documentation: EXACTLY_ONCE_SOURCE_SUPPORT_DOC,
    })
    .define({
      name: 'scheduled.rebalance.max.delay.ms',
      type: 'INT',
      defaultValue: 300000,
      validator: Validators.range(0, 2147483647),
      importance: 'LOW',
      documentation:
        'The maximum delay that is scheduled in order to wait for the return of one or more departed workers before rebalancing and reassigning their connectors and tasks to the group. During this period the connectors and tasks of the departed workers remain unassigned.',
    }),
);

export interface DistributedConfig {
  readonly worker: WorkerConfig;
  readonly groupId: string;
  readonly configTopic: TopicSettings;
  readonly offsetTopic: TopicSettings;
  readonly statusTopic: TopicSettings;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly workerSyncTimeoutMs: number;
  readonly connectProtocol: ConnectProtocolName;
  readonly scheduledRebalanceMaxDelayMs: number;
  /** KIP-618: `enabled` makes source tasks transactional; anything but `disabled` reads internal topics read_committed. */
  readonly exactlyOnceSourceSupport: ExactlyOnceSourceSupport;
  /** Session keys for internal requests (sessioned protocol). */
  readonly interWorker: {
    readonly keyGenerationAlgorithm: string;
    /** Bytes of a generated key. */
    readonly keyBytes: number;
    readonly keyTtlMs: number;
    readonly signatureAlgorithm: string;
    readonly verificationAlgorithms: readonly string[];
  };
}

/** Parses `connect-distributed.properties`; throws a ConfigException naming the first bad key. */
export function parseDistributedConfig(
  props: Readonly<Record<string, string>>,
  warn: (message: string) => void = (message) => log.warn(`connect: WARN ${message}`),
): DistributedConfig {
  const worker = parseWorkerConfig(props, warn, DISTRIBUTED_CONFIG_DEF);
  const parsed = DISTRIBUTED_CONFIG_DEF.parse(props);
  const groupId = (parsed['group.id'] as string).trim();
  if (groupId === '') throw new ConfigException('group.id', props['group.id'], 'must not be empty');
  const topics = ['config.storage.topic', 'offset.storage.topic', 'status.storage.topic'].map((k) =>
    (parsed[k] as string).trim(),
  );
  if (new Set(topics).size !== topics.length) {
    // Kafka's message when two of the internal topics are the same.
    throw new ConfigException(
      `Topic names ${topics.join(', ')} (config.storage.topic, offset.storage.topic, status.storage.topic) must be different`,
    );
  }
  for (const key of [
    'config.storage.replication.factor',
    'offset.storage.replication.factor',
    'status.storage.replication.factor',
    'offset.storage.partitions',
    'status.storage.partitions',
  ]) {
    const value = parsed[key] as number;
    if (value === 0 || value < -1) {
      throw new ConfigException(key, value, 'must be -1 (the broker default) or a positive number');
    }
  }
  const protocol = parsed['connect.protocol'] as ConnectProtocolName;
  const signatureAlgorithm = parsed['inter.worker.signature.algorithm'] as string;
  const verificationAlgorithms = parsed['inter.worker.verification.algorithms'] as string[];
  if (!verificationAlgorithms.includes(signatureAlgorithm)) {
    // Kafka's check: a worker must accept its own signatures.
    throw new ConfigException(
      'inter.worker.verification.algorithms',
      verificationAlgorithms.join(','),
      `Signature algorithm '${signatureAlgorithm}' must be present in the list of verification algorithms`,
    );
  }
  for (const algorithm of verificationAlgorithms) {
    if (!(HMAC_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new ConfigException(
        'inter.worker.verification.algorithms',
        verificationAlgorithms.join(','),
        `Unsupported algorithm '${algorithm}'`,
      );
    }
  }
  const keyBits = parsed['inter.worker.key.size'] as number | null;
  if (keyBits !== null && (keyBits <= 0 || keyBits % 8 !== 0)) {
    throw new ConfigException('inter.worker.key.size', keyBits, 'must be a positive multiple of 8');
  }
  return {
    worker,
    groupId,
    configTopic: {
      name: topics[0]!,
      partitions: 1,
      replicationFactor: parsed['config.storage.replication.factor'] as number,
      setting: 'config.storage.topic',
      purpose: 'connector configurations',
    },
    offsetTopic: {
      name: topics[1]!,
      partitions: parsed['offset.storage.partitions'] as number,
      replicationFactor: parsed['offset.storage.replication.factor'] as number,
      setting: 'offset.storage.topic',
      purpose: 'source connector offsets',
    },
    statusTopic: {
      name: topics[2]!,
      partitions: parsed['status.storage.partitions'] as number,
      replicationFactor: parsed['status.storage.replication.factor'] as number,
      setting: 'status.storage.topic',
      purpose: 'connector and task statuses',
    },
    sessionTimeoutMs: parsed['session.timeout.ms'] as number,
    heartbeatIntervalMs: parsed['heartbeat.interval.ms'] as number,
    rebalanceTimeoutMs: parsed['rebalance.timeout.ms'] as number,
    workerSyncTimeoutMs: parsed['worker.sync.timeout.ms'] as number,
    connectProtocol: protocol,
    scheduledRebalanceMaxDelayMs: parsed['scheduled.rebalance.max.delay.ms'] as number,
    exactlyOnceSourceSupport: exactlyOnceSourceSupport(parsed['exactly.once.source.support'] as string),
    interWorker: {
      keyGenerationAlgorithm: parsed['inter.worker.key.generation.algorithm'] as string,
      // 256 bits when unset: Java's KeyGenerator default for HmacSHA256.
      keyBytes: keyBits === null ? 32 : keyBits / 8,
      keyTtlMs: parsed['inter.worker.key.ttl.ms'] as number,
      signatureAlgorithm,
      verificationAlgorithms,
    },
  };
}
