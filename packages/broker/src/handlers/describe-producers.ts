/**
 * DescribeProducers (key 61), version 0: the active idempotent/transactional producers of each
 * partition, from the log's producer state.
 *
 * ACLs (KafkaApis.handleDescribeProducersRequest): READ on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked).
 */
import {
  ApiKey,
  type DescribeProducersRequest,
  type DescribeProducersResponseInput,
  ErrorCode,
  errorByCode,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const describeProducersHandler = defineHandler<DescribeProducersRequest, DescribeProducersResponseInput>({
  apiKey: ApiKey.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  handle(request, ctx) {
    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((index) => {
        if (!readable.has(topic.name)) {
          return {
            partitionIndex: index,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            errorMessage: errorByCode(ErrorCode.TOPIC_AUTHORIZATION_FAILED).message,
            activeProducers: [],
          };
        }
        const partition = ctx.services.replicaManager.getPartition(topic.name, index);
        if (partition === undefined) {
          return {
            partitionIndex: index,
            errorCode: ctx.services.replicaManager.notHostedError(topic.name, index),
            errorMessage: null,
            activeProducers: [],
          };
        }
        if (!partition.isLeader) {
          return {
            partitionIndex: index,
            errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
            errorMessage: null,
            activeProducers: [],
          };
        }
        return {
          partitionIndex: index,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          activeProducers: partition.log.activeProducers().map((p) => ({
            producerId: BigInt(p.producerId),
            producerEpoch: p.producerEpoch,
            lastSequence: p.lastSequence,
            lastTimestamp: BigInt(p.lastTimestamp),
            coordinatorEpoch: p.coordinatorEpoch,
            currentTxnStartOffset: BigInt(p.currentTxnStartOffset),
          })),
        };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode })),
    })),
  }),
});
