/**
 * OffsetDelete (API key 47), version 0 (KIP-496): deletes committed offsets of a group, refusing
 * (GROUP_SUBSCRIBED_TO_TOPIC) partitions of topics a member of a live consumer group subscribes to.
 *
 * ACLs (KafkaApis.handleOffsetDeleteRequest): DELETE on the group, else GROUP_AUTHORIZATION_FAILED;
 * then READ on each topic, else its partitions answer TOPIC_AUTHORIZATION_FAILED while the others
 * go to the coordinator (whose group-level error, if any, answers alone, as Kafka merges them).
 */
import { ApiKey, ErrorCode, type OffsetDeleteRequest, type OffsetDeleteResponseInput } from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized, requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

export const offsetDeleteHandler = defineHandler<OffsetDeleteRequest, OffsetDeleteResponseInput>({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.DELETE, request.groupId);
    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const allowed = request.topics.filter((t) => readable.has(t.name));
    const response = await ctx.services.groupCoordinator.deleteOffsets(request.groupId, allowed);
    if (allowed.length === request.topics.length || (response.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) {
      return response;
    }
    const denied = request.topics
      .filter((t) => !readable.has(t.name))
      .map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        })),
      }));
    return { ...response, topics: [...denied, ...(response.topics ?? [])] };
  },
});
