import type { BrokerInfo, LeaderIsrAndControllerEpoch } from '../../zk/zk-data.js';

/** A live broker as the controller sees it: its registration and its epoch (the znode's czxid). */
export interface LiveBroker {
  readonly info: BrokerInfo;
  readonly epoch: bigint;
}

/** A reassignment in progress (KIP-455): the replica set moves from `original` to `target`. */
export interface ReassignmentState {
  readonly original: readonly number[];
  readonly target: readonly number[];
  /** target − original: replicas catching up before they count. */
  readonly adding: readonly number[];
  /** original − target: replicas to go once the target is in sync. */
  readonly removing: readonly number[];
}

export interface TopicState {
  readonly topicId: string;
  /** Replicas by partition index, in assignment order (the first is the preferred leader). */
  readonly replicas: Map<number, readonly number[]>;
}

/** `topic-partition`, Kafka's TopicPartition.toString; unambiguous since the partition is last. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * What the active controller knows of the cluster (Kafka's ControllerContext): read from
 * ZooKeeper on failover and kept current by the controller's own writes and watches. Only the
 * controller's event loop touches it, one event at a time.
 */
export class ControllerContext {
  epoch = 0;
  /** Version of the `/controller_epoch` znode after this controller's bump: fences its writes. */
  epochZkVersion = 0;
  readonly liveBrokers = new Map<number, LiveBroker>();
  readonly shuttingDownBrokers = new Set<number>();
  readonly topics = new Map<string, TopicState>();
  /** Partition states by partitionKey. */
  readonly states = new Map<string, LeaderIsrAndControllerEpoch>();
  readonly topicsToBeDeleted = new Set<string>();
  /** Replicas of topics being deleted that have confirmed their deletion, by topic. */
  readonly deletedReplicas = new Map<string, Set<number>>();
  /** Reassignments in progress, by partitionKey. */
  readonly reassignments = new Map<string, ReassignmentState>();
  /** Replicas whose log dir failed, by broker id (partitionKeys), until that broker restarts. */
  readonly offlineReplicas = new Map<number, Set<string>>();

  isLive = (brokerId: number): boolean => this.liveBrokers.has(brokerId) && !this.shuttingDownBrokers.has(brokerId);

  /** Live at all, shutting down or not (a shutting-down broker still serves until it stops). */
  isRegistered = (brokerId: number): boolean => this.liveBrokers.has(brokerId);

  /** A live replica of this partition whose log dir has not failed. */
  isReplicaOnline(brokerId: number, topic: string, partition: number): boolean {
    return this.isLive(brokerId) && this.offlineReplicas.get(brokerId)?.has(partitionKey(topic, partition)) !== true;
  }

  /** The replicas of a partition that cannot serve it: their broker is gone or their log dir failed. */
  offlineReplicasOf(topic: string, partition: number): number[] {
    const key = partitionKey(topic, partition);
    return this.replicasOf(topic, partition).filter(
      (r) => !this.isRegistered(r) || this.offlineReplicas.get(r)?.has(key) === true,
    );
  }

  replicasOf(topic: string, partition: number): readonly number[] {
    return this.topics.get(topic)?.replicas.get(partition) ?? [];
  }

  stateOf(topic: string, partition: number): LeaderIsrAndControllerEpoch | undefined {
    return this.states.get(partitionKey(topic, partition));
  }

  /** Every partition of every topic, in topic then partition order. */
  *allPartitions(): Iterable<{ topic: string; partition: number }> {
    for (const [topic, state] of this.topics) {
      for (const partition of [...state.replicas.keys()].sort((a, b) => a - b)) yield { topic, partition };
    }
  }

  partitionsOnBroker(brokerId: number): { topic: string; partition: number }[] {
    return [...this.allPartitions()].filter((p) => this.replicasOf(p.topic, p.partition).includes(brokerId));
  }

  clear(): void {
    this.liveBrokers.clear();
    this.shuttingDownBrokers.clear();
    this.topics.clear();
    this.states.clear();
    this.topicsToBeDeleted.clear();
    this.deletedReplicas.clear();
    this.reassignments.clear();
    this.offlineReplicas.clear();
  }
}
