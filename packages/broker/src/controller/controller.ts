import type { TopicRegistration } from '../metadata/cluster-image.js';

export interface TopicCreation {
  readonly name: string;
  /** -1 → `num.partitions` (ignored when `assignments` are given). */
  readonly numPartitions: number;
  /** -1 → `default.replication.factor` (ignored when `assignments` are given). */
  readonly replicationFactor: number;
  /** Explicit replica assignment by partition index; empty for automatic placement. */
  readonly assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[];
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * Cluster-wide metadata changes. A single-node broker is its own controller (`LocalController`);
 * in a cluster the elected controller makes these changes through ZooKeeper. Every method throws
 * `KafkaError` with Kafka's code and message on refusal.
 */
export interface Controller {
  createTopic(creation: TopicCreation, validateOnly: boolean): Promise<TopicRegistration>;
  deleteTopic(name: string): Promise<void>;
  /** Grows a topic to `totalCount` partitions (never shrinks). */
  createPartitions(
    name: string,
    totalCount: number,
    assignments: readonly (readonly number[])[] | null,
    validateOnly: boolean,
  ): Promise<void>;
  /**
   * A topic's config overrides as the cluster stores them, or undefined if the topic does not
   * exist — what an incremental config change starts from (in a cluster, read from ZooKeeper, so
   * a topic just created elsewhere is found).
   */
  topicConfigOverrides(name: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Replaces a topic's config overrides with `configs`. */
  alterTopicConfigs(name: string, configs: Readonly<Record<string, string>>, validateOnly: boolean): Promise<void>;
  /** Sets (or, with null, removes) dynamic broker configs; `brokerId` null means the cluster-wide default. */
  alterBrokerConfigs(
    brokerId: number | null,
    changes: Readonly<Record<string, string | null>>,
    validateOnly: boolean,
  ): Promise<void>;
  /** Reserves `count` producer IDs and returns the first (Kafka allocates blocks of 1000). */
  allocateProducerIds(count: number): Promise<number>;
  /**
   * ElectLeaders: preferred (0) or unclean (1) leader elections for the given partitions (every
   * partition when null); the outcome of each by `topic-partition`. Throws NOT_CONTROLLER on a
   * broker that is not the controller.
   */
  electLeaders(
    electionType: number,
    partitions: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): Promise<Map<string, PartitionOutcome>>;
  /**
   * AlterPartitionReassignments (KIP-455): moves each partition to its target replicas, or cancels
   * its reassignment in progress (replicas null). Outcomes by `topic-partition`; NOT_CONTROLLER on
   * a broker that is not the controller.
   */
  alterPartitionReassignments(requests: readonly ReassignmentRequest[]): Promise<Map<string, PartitionOutcome>>;
  /** ListPartitionReassignments: the reassignments in progress among `partitions` (all when null). */
  listPartitionReassignments(
    partitions: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): Promise<OngoingReassignment[]>;
}

/** One partition of AlterPartitionReassignments. */
export interface ReassignmentRequest {
  readonly topic: string;
  readonly partition: number;
  /** The target replicas; null cancels the reassignment in progress. */
  readonly replicas: readonly number[] | null;
}

/** A reassignment in progress, as ListPartitionReassignments reports it. */
export interface OngoingReassignment {
  readonly topic: string;
  readonly partition: number;
  /** The current replica set: target and original together while the move lasts. */
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

/** What ElectLeaders or AlterPartitionReassignments answers for one partition. */
export interface PartitionOutcome {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}
