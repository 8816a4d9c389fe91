/**
 * DescribeProducers (key 61), version 0: the active idempotent/transactional producers of each
 * partition, from the log's producer state.
 */
import { ApiKey, type DescribeProducersRequest, type DescribeProducersResponseInput, ErrorCode } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const describeProducersHandler = defineHandler<DescribeProducersRequest, DescribeProducersResponseInput>({
  apiKey: ApiKey.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  handle(request, ctx) {
    const topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((index) => {
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
