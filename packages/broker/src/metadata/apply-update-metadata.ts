import { securityProtocolName, type UpdateMetadataRequest } from '@samsa/protocol';
import type { Endpoint } from '../config/listeners.js';
import { LEADER_DURING_DELETE } from '../zk/zk-data.js';
import {
  type BrokerRegistration,
  ClusterImage,
  type PartitionRegistration,
  type TopicRegistration,
} from './cluster-image.js';

/**
 * The metadata image after an UpdateMetadata request (Kafka's ZkMetadataCache.updateMetadata):
 * the live brokers and the controller are replaced; partition states are upserted, and a state
 * whose leader is LeaderDuringDelete (-2) removes its partition — a topic left with none is gone.
 * Topic config overrides come from `overridesOf` (ZooKeeper), since UpdateMetadata carries none.
 */
export function applyUpdateMetadata(
  image: ClusterImage,
  request: UpdateMetadataRequest,
  overridesOf: (topic: string) => Readonly<Record<string, string>>,
): ClusterImage {
  const brokers = new Map<number, BrokerRegistration>();
  for (const b of request.liveBrokers) {
    const endpoints: Endpoint[] = b.endpoints.map((e) => ({
      listenerName: e.listener,
      securityProtocol: securityProtocolName(e.securityProtocol) ?? 'PLAINTEXT',
      host: e.host,
      port: e.port,
    }));
    brokers.set(b.id, { brokerId: b.id, rack: b.rack, endpoints });
  }
  const topics = new Map<string, TopicRegistration>(image.topics);
  for (const topicState of request.topicStates) {
    const name = topicState.topicName;
    const existing = topics.get(name);
    // A topic re-created under the same name has a new id: its old partitions are not carried over.
    const sameTopic = existing !== undefined && existing.topicId === topicState.topicId;
    const partitions = new Map<number, PartitionRegistration>(
      sameTopic ? existing.partitions.map((p) => [p.partition, p]) : [],
    );
    for (const p of topicState.partitionStates) {
      if (p.leader === LEADER_DURING_DELETE) {
        partitions.delete(p.partitionIndex);
        continue;
      }
      partitions.set(p.partitionIndex, {
        partition: p.partitionIndex,
        replicas: p.replicas,
        isr: p.isr,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        partitionEpoch: p.zkVersion,
        offlineReplicas: p.offlineReplicas,
      });
    }
    if (partitions.size === 0) {
      topics.delete(name);
      continue;
    }
    topics.set(name, {
      name,
      topicId: topicState.topicId,
      partitions: [...partitions.values()].sort((a, b) => a.partition - b.partition),
      configs: overridesOf(name),
    });
  }
  return new ClusterImage(image.clusterId, request.controllerId, brokers, topics);
}
