/**
 * Fetch (key 1), versions 4-17 (v4 is the first with isolation levels and message format v2
 * semantics; older clients are not served, as in Kafka 4).
 * v5: log start offset. v7: fetch sessions (KIP-227). v9: current leader epoch (KIP-320).
 * v11: rack id. v12: flexible, diverging epoch. v13: topic IDs. v15: replica state. v17: replica
 * directory id.
 *
 * Fetch sessions (KIP-227): `FetchManager` turns the request's sessionId/sessionEpoch into a
 * context — sessionless (0/-1, and every request before v7), a full fetch creating a session
 * (epoch 0), an incremental fetch of a cached session (epoch > 0) or a session error, answered
 * with the top-level error code and no partitions. An incremental fetch reads every partition of
 * its session, waits like any fetch (fetch.min.bytes over all of them), and answers only the
 * partitions with something new. Topic IDs (v13+) are resolved against the current metadata at
 * every request, so a session's partition of a deleted topic answers UNKNOWN_TOPIC_ID.
 *
 * ACLs (KafkaApis.handleFetchRequest), on every partition of the context (a session's too): a
 * follower (replicaId >= 0) needs CLUSTER_ACTION on the cluster, else every partition answers
 * TOPIC_AUTHORIZATION_FAILED; a consumer needs READ on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (checked after topic-id resolution, before existence). One
 * `authorize` call per request; none at all without an authorizer.
 */
import {
  ApiKey,
  ErrorCode,
  type FetchRequest,
  type FetchResponseFetchableTopicResponseInput,
  type FetchResponseInput,
  type FetchResponsePartitionDataInput,
  LEGACY_FETCH_METADATA,
} from '@samsa/protocol';
import { type RequestedPartition, sessionPartitionKey } from '../fetch-session/cached-partition.js';
import type { FetchContextPartition } from '../fetch-session/fetch-context.js';
import type { FetchPartitionRequest, FetchPartitionResult } from '../replica/replica-manager.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { type AuthorizedNames, authorizeCluster, filterAuthorized } from './authorization.js';
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
    const useTopicIds = apiVersion >= 13;
    const image = services.metadata.image;
    const nameOf = (topicId: string, name: string | undefined) => (useTopicIds ? image.topicById(topicId)?.name : name);

    const fetchData = new Map<string, RequestedPartition>();
    for (const topic of request.topics) {
      const name = nameOf(topic.topicId, topic.topic);
      for (const p of topic.partitions) {
        fetchData.set(sessionPartitionKey(useTopicIds, topic.topicId, name, p.partition), {
          topicId: topic.topicId,
          topic: name,
          partition: p.partition,
          data: {
            fetchOffset: Number(p.fetchOffset),
            logStartOffset: Number(p.logStartOffset),
            maxBytes: p.partitionMaxBytes,
            currentLeaderEpoch: p.currentLeaderEpoch,
            lastFetchedEpoch: p.lastFetchedEpoch,
          },
        });
      }
    }
    const toForget: string[] = [];
    for (const topic of apiVersion >= 7 ? request.forgottenTopicsData : []) {
      const name = nameOf(topic.topicId, topic.topic);
      for (const partition of topic.partitions) {
        toForget.push(sessionPartitionKey(useTopicIds, topic.topicId, name, partition));
      }
    }
    const replicaId = fetchReplicaId(request, apiVersion);
    const context = services.fetchSessions.newContext({
      apiVersion,
      metadata: apiVersion >= 7 ? { sessionId: request.sessionId, epoch: request.sessionEpoch } : LEGACY_FETCH_METADATA,
      isFromFollower: replicaId >= 0,
      fetchData,
      toForget,
      nowMs: Date.now(),
    });

    // Undefined: everything is readable (no authorizer, or an authorized follower).
    let readable: AuthorizedNames | undefined;
    if (services.authorizer !== undefined) {
      if (replicaId < 0) {
        readable = filterAuthorized(ctx, AclOperationCode.READ, ResourceType.TOPIC, topicNames(context, nameOf));
      } else if (!authorizeCluster(ctx, AclOperationCode.CLUSTER_ACTION)) {
        readable = NOTHING_READABLE;
      }
    }

    // Read every partition of the context; those whose topic id names no topic, or that the
    // principal may not read, are answered here.
    const results = new Map<string, FetchPartitionResult>();
    const names = new Map<string, string>();
    const wanted: FetchPartitionRequest[] = [];
    const wantedKeys: string[] = [];
    for (const [key, p] of context.partitions) {
      const name = nameOf(p.topicId, p.topic);
      if (readable === NOTHING_READABLE) {
        results.set(key, partitionError(ErrorCode.TOPIC_AUTHORIZATION_FAILED));
        continue;
      }
      if (name === undefined) {
        results.set(key, partitionError(ErrorCode.UNKNOWN_TOPIC_ID));
        continue;
      }
      if (readable !== undefined && !readable.has(name)) {
        results.set(key, partitionError(ErrorCode.TOPIC_AUTHORIZATION_FAILED));
        continue;
      }
      names.set(key, name);
      wantedKeys.push(key);
      wanted.push({
        topic: name,
        partition: p.partition,
        fetchOffset: p.data.fetchOffset,
        partitionMaxBytes: p.data.maxBytes,
        currentLeaderEpoch: p.data.currentLeaderEpoch,
        lastFetchedEpoch: p.data.lastFetchedEpoch,
      });
    }
    if (wanted.length > 0) {
      // Followers size their responses with replica.fetch.response.max.bytes; consumers are
      // capped by the broker's fetch.max.bytes.
      const maxBytes =
        replicaId >= 0 ? request.maxBytes : Math.min(request.maxBytes, services.config.int('fetch.max.bytes'));
      const read = await services.replicaManager.fetchMessages({
        replicaId,
        ...(apiVersion >= 11 ? { clientRack: request.rackId } : {}),
        maxWaitMs: request.maxWaitMs,
        minBytes: Math.min(request.minBytes, maxBytes),
        maxBytes,
        isolationLevel: request.isolationLevel,
        partitions: wanted,
      });
      read.forEach((r, i) => {
        results.set(wantedKeys[i] as string, r);
      });
    }
    const answer = context.respond(results, Date.now());

    const hints = new LeaderHints(services.metadata, ctx.listenerName);
    const responses: FetchResponseFetchableTopicResponseInput[] = [];
    let current: { topicId: string; topic: string; partitions: FetchResponsePartitionDataInput[] } | undefined;
    for (const entry of answer.partitions) {
      const { requested } = entry;
      const name = nameOf(requested.topicId, requested.topic) ?? '';
      // Consecutive partitions of one topic share an entry, as in Kafka's FetchResponse.of.
      if (current === undefined || current.topicId !== requested.topicId || current.topic !== name) {
        current = { topicId: requested.topicId, topic: name, partitions: [] };
        responses.push(current);
      }
      current.partitions.push(partitionResponse(entry, name, hints));
    }
    return {
      throttleTimeMs: 0,
      errorCode: answer.errorCode,
      sessionId: answer.sessionId,
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

/** Who fetches: a broker id for a follower, negative for a consumer (v15 moved it into ReplicaState). */
export function fetchReplicaId(
  request: { readonly replicaId: number; readonly replicaState: { readonly replicaId: number } },
  apiVersion: number,
): number {
  return apiVersion >= 15 ? request.replicaState.replicaId : request.replicaId;
}

/** A follower without CLUSTER_ACTION may read nothing. */
const NOTHING_READABLE: AuthorizedNames = Object.freeze({ has: () => false });

/** The resolved topic names of the context's partitions (unresolved topic ids are skipped). */
function* topicNames(
  context: { readonly partitions: ReadonlyMap<string, RequestedPartition> },
  nameOf: (topicId: string, name: string | undefined) => string | undefined,
): Generator<string> {
  for (const [, p] of context.partitions) {
    const name = nameOf(p.topicId, p.topic);
    if (name !== undefined) yield name;
  }
}

function partitionResponse(
  { requested, result: r }: FetchContextPartition,
  topic: string,
  hints: LeaderHints,
): FetchResponsePartitionDataInput {
  const response: FetchResponsePartitionDataInput = {
    partitionIndex: requested.partition,
    errorCode: r.errorCode,
    highWatermark: BigInt(r.highWatermark),
    lastStableOffset: BigInt(r.lastStableOffset),
    logStartOffset: BigInt(r.logStartOffset),
    abortedTransactions:
      r.abortedTransactions === null
        ? null
        : r.abortedTransactions.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
    preferredReadReplica: r.preferredReadReplica ?? -1,
    records: r.records,
  };
  if (r.divergingEpoch !== undefined)
    response.divergingEpoch = { epoch: r.divergingEpoch.epoch, endOffset: BigInt(r.divergingEpoch.endOffset) };
  if (r.errorCode !== ErrorCode.NONE) {
    const currentLeader = hints.currentLeader(topic, requested.partition, r.errorCode);
    if (currentLeader !== undefined) response.currentLeader = currentLeader;
  }
  return response;
}

function partitionError(errorCode: number): FetchPartitionResult {
  return {
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    records: EMPTY_RECORDS,
    abortedTransactions: null,
  };
}
