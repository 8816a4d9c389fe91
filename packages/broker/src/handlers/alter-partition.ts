/**
 * AlterPartition (key 56), versions 0-1: a partition leader asks the controller to change the ISR
 * (KIP-497). Served by the active controller (NOT_CONTROLLER elsewhere). v1: leader recovery state.
 * Versions 2-3 (topic ids, broker epochs in the ISR) are KRaft-era and not served.
 *
 * ACLs (KafkaApis): CLUSTER_ACTION on the cluster (brokers and the controller have it), else
 * CLUSTER_AUTHORIZATION_FAILED.
 */
import { type AlterPartitionRequest, type AlterPartitionResponseInput, ApiKey, ErrorCode } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const alterPartitionHandler = defineHandler<AlterPartitionRequest, AlterPartitionResponseInput>({
  apiKey: ApiKey.AlterPartition,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const controller = ctx.services.zk?.kafkaController;
    if (controller === undefined || !controller.isActive)
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, topics: [] };
    const proposals = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topicName,
        partition: p.partitionIndex,
        leaderEpoch: p.leaderEpoch,
        newIsr: p.newIsr,
        partitionEpoch: p.partitionEpoch,
      })),
    );
    const { errorCode, results } = await controller.alterPartition(request.brokerId, request.brokerEpoch, proposals);
    return {
      throttleTimeMs: 0,
      errorCode,
      topics:
        errorCode !== ErrorCode.NONE
          ? []
          : request.topics.map((t) => ({
              topicName: t.topicName,
              partitions: t.partitions.map((p) => {
                const r = results.get(`${t.topicName}-${p.partitionIndex}`);
                return {
                  partitionIndex: p.partitionIndex,
                  errorCode: r?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  leaderId: r?.leaderId ?? -1,
                  leaderEpoch: r?.leaderEpoch ?? -1,
                  isr: [...(r?.isr ?? [])],
                  leaderRecoveryState: 0,
                  partitionEpoch: r?.partitionEpoch ?? -1,
                };
              }),
            })),
    };
  },
});
