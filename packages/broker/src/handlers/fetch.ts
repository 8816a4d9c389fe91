/**
 * Fetch (key 1), versions 4-17 (v4 is the first with isolation levels and message format v2
 * semantics; older clients are not served, as in Kafka 4).
 * v5: log start offset. v7: fetch sessions (KIP-227). v9: current leader epoch (KIP-320).
 * v11: rack id. v12: flexible, diverging epoch. v13: topic IDs. v15: replica state. v17: replica
 * directory id.
 *
 * Fetch sessions: Samsa does not create sessions yet. Asking for a new one (epoch 0) gets
 * session id 0, which clients read as "no session" and keep sending full requests — Kafka's own
 * answer when its session cache is full. An incremental request for a session id that was never
 * handed out is FETCH_SESSION_ID_NOT_FOUND.
 */
import {
  ApiKey,
  ErrorCode,
  type FetchRequest,
  type FetchResponseFetchableTopicResponseInput,
  type FetchResponseInput,
  type FetchResponsePartitionDataInput,
} from '@samsa/protocol';
import type { FetchPartitionRequest } from '../replica/replica-manager.js';
import { defineHandler } from './handler.js';
import { LeaderHints } from './leader-hints.js';

/** Never null: librdkafka fails on a null records field. */
const EMPTY_RECORDS = Buffer.alloc(0);

export const fetchHandler = defineHandler<FetchRequest, FetchResponseInput>({
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 17,
  async handle(request, ctx) {
    const { services, apiVersion } = ctx;
    if (apiVersion >= 7) {
      if (request.sessionId !== 0) return { errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0 };
      if (request.sessionEpoch !== -1 && request.sessionEpoch !== 0) {
        return { errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: 0 };
      }
    }
    const useTopicIds = apiVersion >= 13;
    const image = services.metadata.image;
    const wanted: FetchPartitionRequest[] = [];
    const unknownTopic: boolean[] = [];
    const names: string[] = [];
    for (const topic of request.topics) {
      const name = useTopicIds ? image.topicById(topic.topicId)?.name : topic.topic;
      names.push(name ?? '');
      for (const p of topic.partitions) {
        unknownTopic.push(name === undefined);
        wanted.push({
          topic: name ?? '',
          partition: p.partition,
          fetchOffset: Number(p.fetchOffset),
          partitionMaxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch,
          lastFetchedEpoch: p.lastFetchedEpoch,
        });
      }
    }
    const replicaId = apiVersion >= 15 ? request.replicaState.replicaId : request.replicaId;
    // Followers size their responses with replica.fetch.response.max.bytes; consumers are capped
    // by the broker's fetch.max.bytes.
    const maxBytes =
      replicaId >= 0 ? request.maxBytes : Math.min(request.maxBytes, services.config.int('fetch.max.bytes'));
    const results = await services.replicaManager.fetchMessages({
      replicaId,
      ...(apiVersion >= 11 ? { clientRack: request.rackId } : {}),
      maxWaitMs: request.maxWaitMs,
      minBytes: request.minBytes,
      maxBytes,
      isolationLevel: request.isolationLevel,
      partitions: wanted,
    });
    let i = 0;
    const hints = new LeaderHints(services.metadata, ctx.listenerName);
    const responses: FetchResponseFetchableTopicResponseInput[] = request.topics.map((topic, t) => ({
      topic: names[t] ?? '',
      topicId: topic.topicId,
      partitions: topic.partitions.map((p) => {
        const index = i++;
        const r = results[index];
        if (r === undefined) throw new Error('fetch result missing');
        const errorCode = unknownTopic[index]
          ? useTopicIds
            ? ErrorCode.UNKNOWN_TOPIC_ID
            : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
          : r.errorCode;
        const response: FetchResponsePartitionDataInput = {
          partitionIndex: p.partition,
          errorCode,
          highWatermark: BigInt(r.highWatermark),
          lastStableOffset: BigInt(r.lastStableOffset),
          logStartOffset: BigInt(r.logStartOffset),
          abortedTransactions:
            r.abortedTransactions === null
              ? null
              : r.abortedTransactions.map((a) => ({
                  producerId: BigInt(a.producerId),
                  firstOffset: BigInt(a.firstOffset),
                })),
          preferredReadReplica: r.preferredReadReplica ?? -1,
          // Never null: librdkafka fails on a null records field.
          records: r.records,
        };
        if (r.divergingEpoch !== undefined)
          response.divergingEpoch = { epoch: r.divergingEpoch.epoch, endOffset: BigInt(r.divergingEpoch.endOffset) };
        if (errorCode !== ErrorCode.NONE) {
          const currentLeader = hints.currentLeader(names[t] ?? '', p.partition, errorCode);
          if (currentLeader !== undefined) response.currentLeader = currentLeader;
        }
        return response;
      }),
    }));
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses,
      nodeEndpoints: hints.nodeEndpoints(),
    };
  },
  // v4-6 have no top-level error code: the error goes on every partition.
  errorResponse: (request, errorCode) => ({
    errorCode,
    responses: request.topics.map((topic) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((p) => ({ partitionIndex: p.partition, errorCode, records: EMPTY_RECORDS })),
    })),
  }),
});
