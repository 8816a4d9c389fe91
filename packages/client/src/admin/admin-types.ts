import {
  ConfigResourceType,
  ConfigSource as ConfigSourceCode,
  type ConfigSourceName,
  type KafkaError,
} from '@samsa/protocol';
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

/** Kafka's config resource types and their wire codes (the protocol package's table, re-exported). */
export { ConfigResourceType };
/** A config resource type as the admin API names it: Kafka's name in lower case (UNKNOWN is no resource). */
export type ConfigResourceTypeName = Lowercase<Exclude<keyof typeof ConfigResourceType, 'UNKNOWN'>>;

export interface ConfigResource {
  readonly type: ConfigResourceTypeName;
  /** Topic name, broker ID as a string ('' for the cluster-wide broker default), group ID. */
  readonly name: string;
}

/** Where a config value comes from, by the name of Kafka's admin API (`ConfigEntry.ConfigSource`). */
export type ConfigSource = ConfigSourceName;

/** Every config source name, in wire-code order (the codes are the protocol package's `ConfigSource`). */
export const CONFIG_SOURCES: readonly ConfigSource[] = (Object.keys(ConfigSourceCode) as ConfigSource[]).sort(
  (a, b) => ConfigSourceCode[a] - ConfigSourceCode[b],
);

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

/**
 * ElectLeaders' `ElectionType` wire codes (Java's `org.apache.kafka.common.ElectionType`):
 * PREFERRED moves leadership back to the first replica of the assignment when it is in the ISR;
 * UNCLEAN elects any live replica, even out of the ISR, for a partition without a leader.
 */
export const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;
export type ElectionTypeName = keyof typeof ElectionType;

/** One partition's outcome of an election; `error` is ELECTION_NOT_NEEDED when it already had the leader asked for. */
export interface ElectionResult extends TopicPartition {
  readonly error: KafkaError | null;
}

/** One partition's outcome of AlterPartitionReassignments; null error means the move started (or was cancelled). */
export interface ReassignmentResult extends TopicPartition {
  readonly error: KafkaError | null;
}

/** A reassignment in progress: `replicas` holds the target and the original set together until it completes. */
export interface PartitionReassignment extends TopicPartition {
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

/** One partition's outcome of DeleteRecords: its new log start offset, or why it failed. */
/** A replica of a partition on one broker (Java's TopicPartitionReplica). */
export interface TopicPartitionReplica extends TopicPartition {
  readonly brokerId: number;
}

/** A replica and the absolute path of the log dir it should live in on its broker. */
export interface ReplicaLogDirAssignment extends TopicPartitionReplica {
  readonly logDir: string;
}

/** The outcome of moving one replica to a log dir: started (or nothing to do), or the error. */
export interface ReplicaLogDirResult extends TopicPartitionReplica {
  readonly error: KafkaError | null;
}

export type DeletedRecords = TopicPartition &
  (
    | { readonly lowWatermark: bigint; readonly error: null }
    | { readonly lowWatermark: null; readonly error: KafkaError }
  );
