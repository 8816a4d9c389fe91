/**
 * LeaderAndIsr (key 4), versions 5-7: the controller tells a broker which partitions it hosts,
 * who leads them, their ISR and epochs. Inter-broker only (ZooKeeper mode).
 * v5: topic ids, errors grouped by topic id. v6: leader recovery state. v7: isKRaftController.
 * Samsa's controller sends v7.
 *
 * ACLs (KafkaApis): CLUSTER_ACTION on the cluster (brokers and the controller have it), else
 * CLUSTER_AUTHORIZATION_FAILED.
 */
import { ApiKey, ErrorCode, type LeaderAndIsrRequest, type LeaderAndIsrResponseInput } from '@samsa/protocol';
import type { PartitionLeadership } from '../replica/replica-manager.js';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const leaderAndIsrHandler = defineHandler<LeaderAndIsrRequest, LeaderAndIsrResponseInput>({
  apiKey: ApiKey.LeaderAndIsr,
  minVersion: 5,
  maxVersion: 7,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const { services } = ctx;
    const zk = services.zk;
    if (zk === undefined) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, topics: [] };
    // A request meant for an earlier incarnation of this broker (KIP-380).
    if (request.brokerEpoch !== -1n && request.brokerEpoch < zk.brokerEpoch()) {
      return { errorCode: ErrorCode.STALE_BROKER_EPOCH, topics: [] };
    }
    await zk.topicConfigs.load(request.topicStates.map((t) => t.topicName));
    const partitions: PartitionLeadership[] = request.topicStates.flatMap((t) =>
      t.partitionStates.map((p) => ({
        topic: t.topicName,
        topicId: t.topicId,
        registration: {
          partition: p.partitionIndex,
          replicas: p.replicas,
          isr: p.isr,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          partitionEpoch: p.partitionEpoch,
        },
      })),
    );
    // Followers fetch from the leaders' addresses the controller sends along (the metadata cache
    // may not know a new topic's leaders yet).
    const leaderEndpoints = new Map(
      request.liveLeaders.map((l) => [l.brokerId, { brokerId: l.brokerId, host: l.hostName, port: l.port }]),
    );
    const { errorCode, partitionErrors } = await services.replicaManager.becomeLeaderOrFollower(
      request.controllerEpoch,
      partitions,
      (topic) => services.topicConfigs.logConfig(zk.topicConfigs.overrides(topic)),
      leaderEndpoints,
    );
    return {
      errorCode,
      topics: request.topicStates.map((t) => ({
        topicId: t.topicId,
        partitionErrors: t.partitionStates.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: partitionErrors.get(`${t.topicName}-${p.partitionIndex}`) ?? errorCode,
        })),
      })),
    };
  },
});
