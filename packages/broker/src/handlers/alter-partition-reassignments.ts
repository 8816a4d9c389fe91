/**
 * AlterPartitionReassignments (key 45), version 0 (KIP-455): starts, changes or (with null
 * replicas) cancels partition reassignments. Served by the controller (NOT_CONTROLLER elsewhere);
 * answered once each reassignment has started, not when it completes.
 *
 * ACLs (KafkaApis.handleAlterPartitionReassignmentsRequest): ALTER on the cluster, else the
 * top-level CLUSTER_AUTHORIZATION_FAILED.
 */
import {
  type AlterPartitionReassignmentsRequest,
  type AlterPartitionReassignmentsResponseInput,
  ApiKey,
  ErrorCode,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const alterPartitionReassignmentsHandler = defineHandler<
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsResponseInput
>({
  apiKey: ApiKey.AlterPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.ALTER);
    const requests = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })),
    );
    const outcomes = await ctx.services.controller.alterPartitionReassignments(requests);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      responses: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          ...(outcomes.get(`${t.name}-${p.partitionIndex}`) ?? {
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: null,
          }),
        })),
      })),
    };
  },
});
