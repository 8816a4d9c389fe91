/**
 * ListOffsets (key 2), versions 0-10.
 * v0: up to maxNumOffsets "old style" offsets (Samsa returns one, as Kafka does since 0.10).
 * v1: one offset with its timestamp. v2: isolation level (LATEST is the LSO for read_committed).
 * v4: current leader epoch (KIP-320) and the leader epoch of the found offset. v6: flexible.
 * v7: MAX_TIMESTAMP (-3, KIP-734). v8: EARLIEST_LOCAL (-4). v9: LATEST_TIERED (-5).
 * v10: timeout (unused on a single node).
 *
 * Timestamps: -1 latest, -2 earliest, -3 max timestamp, -4 earliest local, -5 latest tiered
 * (-1: nothing is tiered), otherwise the first offset whose timestamp is at or after the target,
 * only below the high watermark.
 *
 * ACLs (KafkaApis.handleListOffsetRequest): DESCRIBE on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked).
 */
import {
  ApiKey,
  ErrorCode,
  IsolationLevel,
  type ListOffsetsRequest,
  type ListOffsetsResponseInput,
  type ListOffsetsResponseListOffsetsPartitionResponseInput,
} from '@samsa/protocol';
import { ListOffsetsTimestamp } from '@samsa/storage';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

const LATEST_TIERED = -5;
/** replicaId of ordinary consumers; -2 is Kafka's "debugging consumer" (may read to the LEO). */
const CONSUMER_REPLICA_ID = -1;

export const listOffsetsHandler = defineHandler<ListOffsetsRequest, ListOffsetsResponseInput>({
  apiKey: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 10,
  handle(request, ctx) {
    const { services, apiVersion } = ctx;
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p): ListOffsetsResponseListOffsetsPartitionResponseInput => {
        const fail = (errorCode: number) => ({
          partitionIndex: p.partitionIndex,
          errorCode,
          oldStyleOffsets: [],
          timestamp: -1n,
          offset: -1n,
          leaderEpoch: -1,
        });
        if (!describable.has(topic.name)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        const partition = services.replicaManager.getPartition(topic.name, p.partitionIndex);
        if (partition === undefined) return fail(services.replicaManager.notHostedError(topic.name, p.partitionIndex));
        if (!partition.isLeader) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        const epochError = partition.checkLeaderEpoch(p.currentLeaderEpoch);
        if (epochError !== ErrorCode.NONE) return fail(epochError);
        const log = partition.log;
        const target = Number(p.timestamp);
        const fromClient = request.replicaId === CONSUMER_REPLICA_ID;
        const upperBound = !fromClient
          ? log.logEndOffset
          : request.isolationLevel === IsolationLevel.READ_COMMITTED
            ? log.lastStableOffset
            : log.highWatermark;
        let offset = -1;
        let timestamp = -1;
        let leaderEpoch = -1;
        if (target === ListOffsetsTimestamp.LATEST) {
          offset = upperBound;
          leaderEpoch = log.leaderEpochCache.latestEpoch ?? -1;
        } else if (target === LATEST_TIERED) {
          offset = -1;
        } else {
          const found = log.fetchOffsetByTimestamp(target);
          if (found !== undefined && (target < 0 || found.offset < upperBound)) {
            offset = found.offset;
            timestamp = found.timestamp;
            leaderEpoch = found.leaderEpoch ?? -1;
          }
        }
        return {
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.NONE,
          oldStyleOffsets: apiVersion === 0 && offset >= 0 ? [BigInt(offset)] : [],
          timestamp: BigInt(timestamp),
          offset: BigInt(offset),
          leaderEpoch,
        };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  }),
});
