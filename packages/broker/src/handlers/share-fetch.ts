/**
 * ShareFetch (API key 78), version 1 (KIP-932, Kafka 4.1): a share group member's fetch from the
 * partitions this broker leads. The member's share session (epoch 0 opens it, -1 closes it) keeps
 * the partitions it fetches; acknowledgements of earlier deliveries ride along. Each partition
 * answers with whole record batches read from the log and the offset ranges acquired for the
 * member in them (with their delivery counts): the client delivers only those. Served when
 * `group.share.enable=true`.
 *
 * ACLs (KafkaApis.handleShareFetchRequest): READ on the group, else GROUP_AUTHORIZATION_FAILED;
 * READ on each topic, else that partition answers TOPIC_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type ShareFetchRequest,
  type ShareFetchResponseInput,
  type ShareFetchResponsePartitionDataInput,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized, requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';
import { LeaderHints } from './leader-hints.js';
import { acknowledgementBatchesOf, namedPartitions } from './share-request-support.js';

const EMPTY = Buffer.alloc(0);

export const shareFetchHandler = defineHandler<ShareFetchRequest, ShareFetchResponseInput>({
  apiKey: ApiKey.ShareFetch,
  minVersion: 1,
  maxVersion: 1,
  async handle(request, ctx) {
    const { services } = ctx;
    const groupId = request.groupId ?? '';
    const memberId = request.memberId ?? '';
    const fail = (errorCode: number, errorMessage: string): ShareFetchResponseInput => ({
      errorCode,
      errorMessage,
      responses: [],
    });
    if (groupId === '' || memberId === '') return fail(ErrorCode.INVALID_REQUEST, 'GroupId and MemberId must be set.');
    requireGroup(ctx, AclOperationCode.READ, groupId);
    const { sessions, partitions: manager } = services.shares;
    const image = services.metadata.image;

    const added = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topicId: t.topicId, partition: p.partitionIndex })),
    );
    const forgotten = request.forgottenTopicsData.flatMap((t) =>
      t.partitions.map((partition) => ({ topicId: t.topicId, partition })),
    );
    const update = sessions.update(groupId, memberId, request.shareSessionEpoch, added, forgotten);
    if (!update.ok) return fail(update.errorCode, update.message);
    const { session, closing, replaced } = update;
    const nameOf = (topicId: string) => image.topicById(topicId)?.name;
    // The member's own previous session, or another member's idle one evicted to make room.
    if (replaced !== undefined)
      manager.releaseMember(replaced.groupId, replaced.memberId, namedPartitions(replaced, nameOf));

    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      [...session.partitions.values()].flatMap((p) => nameOf(p.topicId) ?? []),
    );
    const out = new Map<string, ShareFetchResponsePartitionDataInput & { topicId: string }>();
    const entry = (topicId: string, partition: number) => {
      const key = `${topicId}:${partition}`;
      let found = out.get(key);
      if (found === undefined) {
        found = {
          topicId,
          partitionIndex: partition,
          errorCode: ErrorCode.NONE,
          acknowledgeErrorCode: ErrorCode.NONE,
          records: EMPTY,
          acquiredRecords: [],
        };
        out.set(key, found);
      }
      return found;
    };

    // Acknowledgements of earlier deliveries first, so that released records can go out again now.
    for (const t of request.topics) {
      const topic = nameOf(t.topicId);
      for (const p of t.partitions) {
        if (p.acknowledgementBatches.length === 0) continue;
        const e = entry(t.topicId, p.partitionIndex);
        if (topic === undefined) e.acknowledgeErrorCode = ErrorCode.UNKNOWN_TOPIC_ID;
        else if (!readable.has(topic)) e.acknowledgeErrorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        else
          e.acknowledgeErrorCode = manager.acknowledge(
            groupId,
            memberId,
            { topicId: t.topicId, topic, partition: p.partitionIndex },
            acknowledgementBatchesOf(p.acknowledgementBatches),
          );
      }
    }

    if (closing) {
      manager.releaseMember(groupId, memberId, namedPartitions(session, nameOf));
    } else {
      const wanted: { topicId: string; topic: string; partition: number }[] = [];
      for (const p of session.partitions.values()) {
        const topic = nameOf(p.topicId);
        if (topic === undefined) entry(p.topicId, p.partition).errorCode = ErrorCode.UNKNOWN_TOPIC_ID;
        else if (!readable.has(topic)) entry(p.topicId, p.partition).errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        else wanted.push({ topicId: p.topicId, topic, partition: p.partition });
      }
      const fetched = await manager.fetch(groupId, memberId, wanted, {
        maxWaitMs: request.maxWaitMs,
        minBytes: request.minBytes,
        maxBytes: Math.min(request.maxBytes, services.config.int('fetch.max.bytes')),
        maxRecords: request.maxRecords,
      });
      fetched.forEach((r, i) => {
        const w = wanted[i] as { topicId: string; partition: number };
        if (r.errorCode === ErrorCode.NONE && r.acquired.length === 0) return;
        const e = entry(w.topicId, w.partition);
        e.errorCode = r.errorCode;
        e.records = r.records;
        e.acquiredRecords = r.acquired.map((a) => ({
          firstOffset: BigInt(a.firstOffset),
          lastOffset: BigInt(a.lastOffset),
          deliveryCount: a.deliveryCount,
        }));
      });
    }

    const hints = new LeaderHints(services.metadata, ctx.listenerName);
    const byTopic = new Map<string, ShareFetchResponsePartitionDataInput[]>();
    for (const { topicId, ...partition } of out.values()) {
      const topic = nameOf(topicId);
      if (topic !== undefined && (partition.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) {
        const leader = hints.currentLeader(topic, partition.partitionIndex ?? 0, partition.errorCode ?? ErrorCode.NONE);
        if (leader !== undefined) partition.currentLeader = leader;
      }
      const list = byTopic.get(topicId) ?? [];
      list.push(partition);
      byTopic.set(topicId, list);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      acquisitionLockTimeoutMs: manager.lockDurationMs(groupId),
      responses: [...byTopic].map(([topicId, partitions]) => ({ topicId, partitions })),
      nodeEndpoints: hints.nodeEndpoints(),
    };
  },
});
