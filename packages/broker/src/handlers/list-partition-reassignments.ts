/**
 * ListPartitionReassignments (key 46), version 0 (KIP-455): the reassignments in progress, for the
 * given partitions or all (topics null). Served by the controller (NOT_CONTROLLER elsewhere).
 *
 * ACLs (KafkaApis.handleListPartitionReassignmentsRequest): DESCRIBE on the cluster, else the
 * top-level CLUSTER_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type ListPartitionReassignmentsRequest,
  type ListPartitionReassignmentsResponseInput,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const listPartitionReassignmentsHandler = defineHandler<
  ListPartitionReassignmentsRequest,
  ListPartitionReassignmentsResponseInput
>({
  apiKey: ApiKey.ListPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.DESCRIBE);
    const wanted =
      request.topics === null
        ? null
        : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const ongoing = await ctx.services.controller.listPartitionReassignments(wanted);
    const byTopic = new Map<
      string,
      { partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[]
    >();
    for (const r of ongoing) {
      let list = byTopic.get(r.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(r.topic, list);
      }
      list.push({
        partitionIndex: r.partition,
        replicas: [...r.replicas],
        addingReplicas: [...r.addingReplicas],
        removingReplicas: [...r.removingReplicas],
      });
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    };
  },
});
