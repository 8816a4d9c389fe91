/**
 * ShareAcknowledge (API key 79), version 1 (KIP-932, Kafka 4.1): a share group member acknowledges
 * records it was delivered (ACCEPT, RELEASE, REJECT, and GAP for offsets that hold no record)
 * without fetching, within its share session: the epoch must be the session's (then it moves on),
 * and -1 closes the session after the acknowledgements, releasing what the member still holds.
 * Epoch 0 is refused: a session is opened by ShareFetch. Served when `group.share.enable=true`.
 *
 * ACLs (KafkaApis.handleShareAcknowledgeRequest): READ on the group, else
 * GROUP_AUTHORIZATION_FAILED; READ on each topic, else TOPIC_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type ShareAcknowledgeRequest,
  type ShareAcknowledgeResponseInput,
  type ShareAcknowledgeResponsePartitionDataInput,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { INITIAL_SHARE_SESSION_EPOCH } from '../share/share-sessions.js';
import { filterAuthorized, requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';
import { LeaderHints } from './leader-hints.js';
import { acknowledgementBatchesOf, namedPartitions } from './share-request-support.js';

export const shareAcknowledgeHandler = defineHandler<ShareAcknowledgeRequest, ShareAcknowledgeResponseInput>({
  apiKey: ApiKey.ShareAcknowledge,
  minVersion: 1,
  maxVersion: 1,
  handle(request, ctx) {
    const { services } = ctx;
    const groupId = request.groupId ?? '';
    const memberId = request.memberId ?? '';
    const fail = (errorCode: number, errorMessage: string): ShareAcknowledgeResponseInput => ({
      errorCode,
      errorMessage,
      responses: [],
    });
    if (groupId === '' || memberId === '') return fail(ErrorCode.INVALID_REQUEST, 'GroupId and MemberId must be set.');
    requireGroup(ctx, AclOperationCode.READ, groupId);
    if (request.shareSessionEpoch === INITIAL_SHARE_SESSION_EPOCH) {
      return fail(ErrorCode.INVALID_SHARE_SESSION_EPOCH, 'A share session cannot be opened by ShareAcknowledge.');
    }
    const { sessions, partitions: manager } = services.shares;
    const update = sessions.update(groupId, memberId, request.shareSessionEpoch, [], []);
    if (!update.ok) return fail(update.errorCode, update.message);
    const { session, closing } = update;
    const image = services.metadata.image;
    const nameOf = (topicId: string) => image.topicById(topicId)?.name;
    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      request.topics.flatMap((t) => nameOf(t.topicId) ?? []),
    );
    const hints = new LeaderHints(services.metadata, ctx.listenerName);
    const responses = request.topics.map((t) => {
      const topic = nameOf(t.topicId);
      return {
        topicId: t.topicId,
        partitions: t.partitions.map((p): ShareAcknowledgeResponsePartitionDataInput => {
          let errorCode: number;
          if (topic === undefined) errorCode = ErrorCode.UNKNOWN_TOPIC_ID;
          else if (!readable.has(topic)) errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
          else
            errorCode = manager.acknowledge(
              groupId,
              memberId,
              { topicId: t.topicId, topic, partition: p.partitionIndex },
              acknowledgementBatchesOf(p.acknowledgementBatches),
            );
          const leader = topic === undefined ? undefined : hints.currentLeader(topic, p.partitionIndex, errorCode);
          return leader === undefined
            ? { partitionIndex: p.partitionIndex, errorCode }
            : { partitionIndex: p.partitionIndex, errorCode, currentLeader: leader };
        }),
      };
    });
    if (closing) {
      manager.releaseMember(groupId, memberId, namedPartitions(session, nameOf));
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, responses, nodeEndpoints: hints.nodeEndpoints() };
  },
});
