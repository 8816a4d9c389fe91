import type { Endpoint } from '../config/listeners.js';

/** One partition's replica assignment and leadership, as the controller decided it. */
export interface PartitionRegistration {
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** -1 when the partition has no leader (offline). */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** Bumped on every change of replicas/ISR/leader (Kafka's partition epoch / ZK zkVersion). */
  readonly partitionEpoch: number;
  /**
   * Replicas the controller knows to be offline on a live broker (a failed log dir); replicas on
   * brokers that are not registered are offline as well, without being listed here.
   */
  readonly offlineReplicas?: readonly number[];
}

/** A partition's offline replicas: on brokers that are gone, or in a failed log dir of a live one. */
export function offlineReplicasOf(
  p: PartitionRegistration,
  brokers: ReadonlyMap<number, BrokerRegistration>,
): number[] {
  return p.replicas.filter((r) => !brokers.has(r) || p.offlineReplicas?.includes(r) === true);
}

export interface TopicRegistration {
  readonly name: string;
  /** Kafka's topic ID, base64url (22 characters). */
  readonly topicId: string;
  readonly partitions: readonly PartitionRegistration[];
  /** Topic-level config overrides, as set by CreateTopics/AlterConfigs (textual values). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface BrokerRegistration {
  readonly brokerId: number;
  readonly rack: string | null;
  /** Advertised endpoints by listener name. */
  readonly endpoints: readonly Endpoint[];
}

/** Names of Kafka's internal topics. */
export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC_NAME = '__transaction_state';

export function isInternalTopic(name: string): boolean {
  return name === GROUP_METADATA_TOPIC_NAME || name === TRANSACTION_STATE_TOPIC_NAME;
}

/**
 * An immutable snapshot of the cluster's metadata: brokers, topics and partitions, and the
 * controller. Readers (handlers) take the current image and never see a half-applied change;
 * writers (the controller) publish a new image.
 */
export class ClusterImage {
  private readonly byId: ReadonlyMap<string, TopicRegistration>;

  constructor(
    readonly clusterId: string,
    readonly controllerId: number,
    readonly brokers: ReadonlyMap<number, BrokerRegistration>,
    readonly topics: ReadonlyMap<string, TopicRegistration>,
  ) {
    this.byId = new Map([...topics.values()].map((t) => [t.topicId, t]));
  }

  topic(name: string): TopicRegistration | undefined {
    return this.topics.get(name);
  }

  topicById(topicId: string): TopicRegistration | undefined {
    return this.byId.get(topicId);
  }

  partition(topic: string, partition: number): PartitionRegistration | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  withTopic(topic: TopicRegistration): ClusterImage {
    const topics = new Map(this.topics);
    topics.set(topic.name, topic);
    return new ClusterImage(this.clusterId, this.controllerId, this.brokers, topics);
  }

  withoutTopic(name: string): ClusterImage {
    const topics = new Map(this.topics);
    topics.delete(name);
    return new ClusterImage(this.clusterId, this.controllerId, this.brokers, topics);
  }

  withBrokers(brokers: ReadonlyMap<number, BrokerRegistration>, controllerId: number): ClusterImage {
    return new ClusterImage(this.clusterId, controllerId, brokers, this.topics);
  }
}
