/**
 * OffsetForLeaderEpoch (key 23), versions 0-4.
 * v1: the leader epoch of the end offset. v2: current leader epoch (KIP-320) and throttle time.
 * v3: replica id (followers send theirs, consumers -1). v4: flexible.
 * Answers from the partition's leader epoch cache: the end offset of the requested epoch (the
 * start of the next one, or the log end offset for the latest), UNDEFINED (-1/-1) when unknown.
 *
 * ACLs (KafkaApis.handleOffsetForLeaderEpochRequest): CLUSTER_ACTION on the cluster (followers)
 * allows every topic; otherwise (consumers, KIP-320) DESCRIBE on each topic, else its partitions
 * answer TOPIC_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponseInput,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { ALL_AUTHORIZED, authorizeCluster, filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const offsetForLeaderEpochHandler = defineHandler<
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponseInput
>({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  handle(request, ctx) {
    const describable = authorizeCluster(ctx, AclOperationCode.CLUSTER_ACTION)
      ? ALL_AUTHORIZED
      : filterAuthorized(
          ctx,
          AclOperationCode.DESCRIBE,
          ResourceType.TOPIC,
          request.topics.map((t) => t.topic),
        );
    const topics = request.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((p) => {
        const fail = (errorCode: number) => ({ errorCode, partition: p.partition, leaderEpoch: -1, endOffset: -1n });
        if (!describable.has(topic.topic)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        const partition = ctx.services.replicaManager.getPartition(topic.topic, p.partition);
        if (partition === undefined) return fail(ctx.services.replicaManager.notHostedError(topic.topic, p.partition));
        if (!partition.isLeader) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        const epochError = partition.checkLeaderEpoch(p.currentLeaderEpoch);
        if (epochError !== ErrorCode.NONE) return fail(epochError);
        const log = partition.log;
        const found = log.leaderEpochCache.endOffsetFor(p.leaderEpoch, log.logEndOffset);
        return {
          errorCode: ErrorCode.NONE,
          partition: p.partition,
          leaderEpoch: found.epoch,
          endOffset: BigInt(found.endOffset),
        };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode })),
    })),
  }),
});
