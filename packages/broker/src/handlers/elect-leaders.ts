/**
 * ElectLeaders (key 43), versions 0-2: preferred (or, v1+, unclean) leader election for the given
 * partitions, or all when the list is null. Served by the controller (NOT_CONTROLLER elsewhere).
 * v1: election type, top-level error code. v2: flexible.
 *
 * ACLs (KafkaApis.handleElectLeaders): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED at
 * the top level (v1+) and on every partition named.
 */
import {
  ApiKey,
  type ElectLeadersRequest,
  type ElectLeadersResponseInput,
  ErrorCode,
  errorByCode,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { authorizeCluster } from './authorization.js';
import { defineHandler } from './handler.js';

export const electLeadersHandler = defineHandler<ElectLeadersRequest, ElectLeadersResponseInput>({
  apiKey: ApiKey.ElectLeaders,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    if (!authorizeCluster(ctx, AclOperationCode.ALTER)) {
      return { throttleTimeMs: 0, ...electionErrors(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED) };
    }
    const wanted =
      request.topicPartitions === null
        ? null
        : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    const outcomes = await ctx.services.controller.electLeaders(
      ctx.apiVersion === 0 ? 0 : request.electionType,
      wanted,
    );
    const byTopic = new Map<string, { partitionId: number; errorCode: number; errorMessage: string | null }[]>();
    for (const [key, outcome] of outcomes) {
      const dash = key.lastIndexOf('-');
      const topic = key.slice(0, dash);
      let list = byTopic.get(topic);
      if (list === undefined) {
        list = [];
        byTopic.set(topic, list);
      }
      list.push({ partitionId: Number(key.slice(dash + 1)), ...outcome });
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      replicaElectionResults: [...byTopic].map(([topic, partitionResult]) => ({ topic, partitionResult })),
    };
  },
  // v0 has no top-level error code: the error goes on every partition named.
  errorResponse: (request, errorCode) => electionErrors(request, errorCode),
});

/** `errorCode` at the top level and on every partition the request named. */
function electionErrors(request: ElectLeadersRequest, errorCode: number): ElectLeadersResponseInput {
  return {
    errorCode,
    replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({
        partitionId,
        errorCode,
        errorMessage: errorByCode(errorCode).message,
      })),
    })),
  };
}
