import type { TopicPartition } from '../common/topic-partition.js';

export interface NewTopic {
  readonly name: string;
  /** -1 (default): the broker's num.partitions. Ignored when `assignments` is given. */
  readonly numPartitions?: number;
  /** -1 (default): the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Explicit replica assignment: partition → broker IDs (the first is the preferred leader). */
  readonly assignments?: Readonly<Record<number, readonly number[]>>;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface CreatedTopic {
  readonly name: string;
  readonly topicId: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly topicId: string;
  readonly isInternal: boolean;
  readonly partitions: readonly PartitionDescription[];
}

/** Kafka's config resource types. */
export const ConfigResourceType = {
  TOPIC: 2,
  GROUP: 3,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
} as const;
export type ConfigResourceTypeName = Lowercase<keyof typeof ConfigResourceType>;

export interface ConfigResource {
  readonly type: ConfigResourceTypeName;
  /** Topic name, broker ID as a string ('' for the cluster-wide broker default), group ID. */
  readonly name: string;
}

/** Where a config value comes from (Kafka's ConfigSource). */
export const CONFIG_SOURCES = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
] as const;
export type ConfigSource = (typeof CONFIG_SOURCES)[number];

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly isDefault: boolean;
  readonly isSensitive: boolean;
  readonly source: ConfigSource;
  readonly synonyms: readonly { readonly name: string; readonly value: string | null; readonly source: ConfigSource }[];
  readonly documentation: string | null;
}

export interface ConfigDescription extends ConfigResource {
  readonly configs: readonly ConfigEntry[];
}

export interface AlterConfigOp {
  readonly name: string;
  readonly op: 'set' | 'delete' | 'append' | 'subtract';
  readonly value?: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string;
  readonly controllerId: number;
  readonly brokers: readonly {
    readonly nodeId: number;
    readonly host: string;
    readonly port: number;
    readonly rack: string | null;
  }[];
}

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: string;
  readonly type: string;
}

export interface MemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Decoded when the group uses the consumer protocol. */
  readonly subscribedTopics: readonly string[];
  readonly assignment: readonly TopicPartition[];
  readonly memberMetadata: Buffer;
  readonly memberAssignment: Buffer;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  /** The assignor in use (for consumer groups). */
  readonly protocol: string;
  readonly members: readonly MemberDescription[];
  readonly coordinator: number;
}

export interface GroupOffset extends TopicPartition {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface LogDirDescription {
  readonly broker: number;
  readonly logDir: string;
  readonly errorCode: number;
  readonly totalBytes: bigint;
  readonly usableBytes: bigint;
  readonly partitions: readonly (TopicPartition & {
    readonly size: bigint;
    readonly offsetLag: bigint;
    readonly isFuture: boolean;
  })[];
}

export interface ProducerStateDescription {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestamp: bigint;
  readonly coordinatorEpoch: number;
  /** -1n when the producer has no open transaction. */
  readonly currentTransactionStartOffset: bigint;
}

export interface PartitionProducers extends TopicPartition {
  readonly activeProducers: readonly ProducerStateDescription[];
}

/** Where to reset group offsets to. */
export type OffsetResetSpec =
  | 'earliest'
  | 'latest'
  | { readonly timestamp: number | bigint }
  | { readonly offset: bigint };
