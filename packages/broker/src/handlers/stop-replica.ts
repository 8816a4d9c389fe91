/**
 * StopReplica (key 5), versions 3-4: the controller tells a broker to stop following partitions,
 * and with DeletePartition to delete them (topic deletion, reassignment). Inter-broker only.
 * v3: per-partition leader epoch and delete flag. v4: isKRaftController.
 *
 * ACLs (KafkaApis): CLUSTER_ACTION on the cluster (brokers and the controller have it), else
 * CLUSTER_AUTHORIZATION_FAILED.
 */
import { ApiKey, ErrorCode, type StopReplicaRequest, type StopReplicaResponseInput } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const stopReplicaHandler = defineHandler<StopReplicaRequest, StopReplicaResponseInput>({
  apiKey: ApiKey.StopReplica,
  minVersion: 3,
  maxVersion: 4,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const { services } = ctx;
    const zk = services.zk;
    if (zk === undefined) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, partitionErrors: [] };
    if (request.brokerEpoch !== -1n && request.brokerEpoch < zk.brokerEpoch()) {
      return { errorCode: ErrorCode.STALE_BROKER_EPOCH, partitionErrors: [] };
    }
    const partitions = request.topicStates.flatMap((t) =>
      t.partitionStates.map((p) => ({
        topic: t.topicName,
        partition: p.partitionIndex,
        leaderEpoch: p.leaderEpoch,
        deletePartition: p.deletePartition,
      })),
    );
    const { errorCode, partitionErrors } = await services.replicaManager.stopReplicas(
      request.controllerEpoch,
      partitions,
    );
    return {
      errorCode,
      partitionErrors: partitions.map((p) => ({
        topicName: p.topic,
        partitionIndex: p.partition,
        errorCode: partitionErrors.get(`${p.topic}-${p.partition}`) ?? errorCode,
      })),
    };
  },
});
