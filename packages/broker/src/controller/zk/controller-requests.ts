/**
 * The bodies of the controller's requests to brokers, built from the controller context. Versions
 * are the newest each API had in ZooKeeper mode: every broker of a Samsa cluster serves them.
 */
import {
  ApiKey,
  type LeaderAndIsrRequestInput,
  SecurityProtocol,
  type SecurityProtocolName,
  type StopReplicaRequestInput,
  type UpdateMetadataRequestInput,
  ZERO_UUID,
} from '@samsa/protocol';
import { LEADER_DURING_DELETE } from '../../zk/zk-data.js';
import { type ControllerContext, partitionKey } from './controller-context.js';

export const LEADER_AND_ISR_VERSION = 7;
export const UPDATE_METADATA_VERSION = 8;
export const STOP_REPLICA_VERSION = 4;
export { ApiKey };

export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

function groupByTopic<P extends PartitionRef>(partitions: Iterable<P>): Map<string, P[]> {
  const byTopic = new Map<string, P[]>();
  for (const p of partitions) {
    let list = byTopic.get(p.topic);
    if (list === undefined) {
      list = [];
      byTopic.set(p.topic, list);
    }
    list.push(p);
  }
  return byTopic;
}

/** LeaderAndIsr for one broker: the state of each partition it hosts, and the leaders' addresses. */
export function leaderAndIsrRequest(
  ctx: ControllerContext,
  controllerId: number,
  brokerId: number,
  partitions: readonly (PartitionRef & { readonly isNew?: boolean })[],
  /** The listener brokers talk to each other on: followers fetch from the leaders there. */
  listenerName: string,
): LeaderAndIsrRequestInput {
  const leaders = new Set<number>();
  const topicStates = [...groupByTopic(partitions)].map(([topic, list]) => ({
    topicName: topic,
    topicId: ctx.topics.get(topic)?.topicId ?? ZERO_UUID,
    partitionStates: list.flatMap((p) => {
      const state = ctx.stateOf(topic, p.partition);
      if (state === undefined) return [];
      if (state.leader >= 0) leaders.add(state.leader);
      return [
        {
          partitionIndex: p.partition,
          controllerEpoch: state.controllerEpoch,
          leader: state.leader,
          leaderEpoch: state.leaderEpoch,
          isr: [...state.isr],
          partitionEpoch: state.zkVersion,
          replicas: [...ctx.replicasOf(topic, p.partition)],
          addingReplicas: [...(ctx.reassignments.get(partitionKey(topic, p.partition))?.adding ?? [])],
          removingReplicas: [...(ctx.reassignments.get(partitionKey(topic, p.partition))?.removing ?? [])],
          isNew: p.isNew === true,
        },
      ];
    }),
  }));
  return {
    controllerId,
    isKRaftController: false,
    controllerEpoch: ctx.epoch,
    brokerEpoch: ctx.liveBrokers.get(brokerId)?.epoch ?? -1n,
    type: 0,
    topicStates,
    liveLeaders: [...leaders].flatMap((id) => {
      const endpoints = ctx.liveBrokers.get(id)?.info.endpoints ?? [];
      const endpoint = endpoints.find((e) => e.listenerName === listenerName) ?? endpoints[0];
      return endpoint === undefined ? [] : [{ brokerId: id, hostName: endpoint.host, port: endpoint.port }];
    }),
  };
}

/**
 * UpdateMetadata for one broker: every live broker, and the states of `partitions` (those of
 * topics being deleted with leader -2, so brokers drop them).
 */
export function updateMetadataRequest(
  ctx: ControllerContext,
  controllerId: number,
  brokerId: number,
  partitions: Iterable<PartitionRef>,
): UpdateMetadataRequestInput {
  const topicStates = [...groupByTopic(partitions)].map(([topic, list]) => {
    const deleting = ctx.topicsToBeDeleted.has(topic);
    return {
      topicName: topic,
      topicId: ctx.topics.get(topic)?.topicId ?? ZERO_UUID,
      partitionStates: list.flatMap((p) => {
        const state = ctx.stateOf(topic, p.partition);
        if (state === undefined) return [];
        const replicas = ctx.replicasOf(topic, p.partition);
        return [
          {
            partitionIndex: p.partition,
            controllerEpoch: state.controllerEpoch,
            leader: deleting ? LEADER_DURING_DELETE : state.leader,
            leaderEpoch: state.leaderEpoch,
            isr: [...state.isr],
            zkVersion: state.zkVersion,
            replicas: [...replicas],
            offlineReplicas: ctx.offlineReplicasOf(topic, p.partition),
          },
        ];
      }),
    };
  });
  return {
    controllerId,
    isKRaftController: false,
    controllerEpoch: ctx.epoch,
    brokerEpoch: ctx.liveBrokers.get(brokerId)?.epoch ?? -1n,
    topicStates,
    liveBrokers: [...ctx.liveBrokers.values()].map(({ info }) => ({
      id: info.brokerId,
      endpoints: info.endpoints.map((e) => ({
        port: e.port,
        host: e.host,
        listener: e.listenerName,
        securityProtocol: SecurityProtocol[e.securityProtocol as SecurityProtocolName] ?? SecurityProtocol.PLAINTEXT,
      })),
      rack: info.rack,
    })),
  };
}

/** StopReplica for one broker: stop following (and with `deletePartition`, delete) the partitions. */
export function stopReplicaRequest(
  ctx: ControllerContext,
  controllerId: number,
  brokerId: number,
  partitions: readonly PartitionRef[],
  deletePartition: boolean,
): StopReplicaRequestInput {
  return {
    controllerId,
    isKRaftController: false,
    controllerEpoch: ctx.epoch,
    brokerEpoch: ctx.liveBrokers.get(brokerId)?.epoch ?? -1n,
    topicStates: [...groupByTopic(partitions)].map(([topic, list]) => ({
      topicName: topic,
      partitionStates: list.map((p) => ({
        partitionIndex: p.partition,
        // -2: deletion, which any epoch may request (Kafka's EpochDuringDelete).
        leaderEpoch: deletePartition ? -2 : (ctx.stateOf(topic, p.partition)?.leaderEpoch ?? -1),
        deletePartition,
      })),
    })),
  };
}
