/**
 * DeleteRecords (key 21), versions 0-2.
 * v1: same as v0. v2: flexible. An offset of -1 means "up to the high watermark"; beyond the high
 * watermark is OFFSET_OUT_OF_RANGE. The response's low watermark is the new log start offset.
 *
 * ACLs (KafkaApis.handleDeleteRecordsRequest): DELETE on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked).
 */
import {
  ApiKey,
  type DeleteRecordsRequest,
  type DeleteRecordsResponseInput,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const deleteRecordsHandler = defineHandler<DeleteRecordsRequest, DeleteRecordsResponseInput>({
  apiKey: ApiKey.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const deletable = filterAuthorized(
      ctx,
      AclOperationCode.DELETE,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const topics = [];
    for (const topic of request.topics) {
      const partitions = [];
      for (const p of topic.partitions) {
        if (!deletable.has(topic.name)) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          });
          continue;
        }
        const partition = ctx.services.replicaManager.getPartition(topic.name, p.partitionIndex);
        if (partition === undefined) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ctx.services.replicaManager.notHostedError(topic.name, p.partitionIndex),
          });
          continue;
        }
        if (!partition.isLeader) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
          });
          continue;
        }
        try {
          const low = await partition.log.deleteRecordsBefore(Number(p.offset));
          partitions.push({ partitionIndex: p.partitionIndex, lowWatermark: BigInt(low), errorCode: ErrorCode.NONE });
        } catch (err) {
          if (!(err instanceof KafkaError)) throw err;
          partitions.push({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: err.errorCode });
        }
      }
      topics.push({ name: topic.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode })),
    })),
  }),
});
