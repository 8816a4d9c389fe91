import type { ControllerChannelManager } from './controller-channel-manager.js';
import type { ControllerContext } from './controller-context.js';
import {
  ApiKey,
  LEADER_AND_ISR_VERSION,
  leaderAndIsrRequest,
  type PartitionRef,
  STOP_REPLICA_VERSION,
  stopReplicaRequest,
  UPDATE_METADATA_VERSION,
  updateMetadataRequest,
} from './controller-requests.js';

/**
 * The controller's requests to brokers, built from the context at the moment they are queued
 * (Kafka's ControllerBrokerRequestBatch): LeaderAndIsr to the replicas of partitions, UpdateMetadata
 * to brokers, StopReplica. Nothing goes out while no channels are set (not the controller).
 */
export class ControllerRequestSender {
  channels: ControllerChannelManager | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly controllerId: number,
    private readonly listenerName: string,
  ) {}

  leaderAndIsr(
    brokerId: number,
    partitions: readonly (PartitionRef & { isNew?: boolean })[],
    onResponse?: (response: unknown) => void,
  ): void {
    if (partitions.length === 0) return;
    this.channels?.send(brokerId, {
      apiKey: ApiKey.LeaderAndIsr,
      version: LEADER_AND_ISR_VERSION,
      body: leaderAndIsrRequest(this.ctx, this.controllerId, brokerId, partitions, this.listenerName),
      ...(onResponse === undefined ? {} : { onResponse }),
    });
  }

  /** LeaderAndIsr to every live replica of each partition, batched per broker. */
  leaderAndIsrToReplicas(partitions: readonly (PartitionRef & { isNew?: boolean })[]): void {
    const byBroker = new Map<number, (PartitionRef & { isNew?: boolean })[]>();
    for (const p of partitions) {
      for (const replica of this.ctx.replicasOf(p.topic, p.partition)) {
        if (!this.ctx.isRegistered(replica)) continue;
        let list = byBroker.get(replica);
        if (list === undefined) {
          list = [];
          byBroker.set(replica, list);
        }
        list.push(p);
      }
    }
    for (const [brokerId, list] of byBroker) this.leaderAndIsr(brokerId, list);
  }

  /** UpdateMetadata with `partitions` (and always the live brokers) to each of `brokerIds`. */
  updateMetadata(brokerIds: readonly number[], partitions: readonly PartitionRef[]): void {
    for (const brokerId of brokerIds) {
      this.channels?.send(brokerId, {
        apiKey: ApiKey.UpdateMetadata,
        version: UPDATE_METADATA_VERSION,
        body: updateMetadataRequest(this.ctx, this.controllerId, brokerId, partitions),
      });
    }
  }

  /** UpdateMetadata with `partitions` to every live broker. */
  updateMetadataEverywhere(partitions: readonly PartitionRef[]): void {
    this.updateMetadata([...this.ctx.liveBrokers.keys()], partitions);
  }

  stopReplica(
    brokerId: number,
    partitions: readonly PartitionRef[],
    deletePartition: boolean,
    onResponse?: (response: unknown) => void,
  ): void {
    if (partitions.length === 0) return;
    this.channels?.send(brokerId, {
      apiKey: ApiKey.StopReplica,
      version: STOP_REPLICA_VERSION,
      body: stopReplicaRequest(this.ctx, this.controllerId, brokerId, partitions, deletePartition),
      ...(onResponse === undefined ? {} : { onResponse }),
    });
  }
}
