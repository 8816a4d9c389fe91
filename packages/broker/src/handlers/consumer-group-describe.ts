/**
 * ConsumerGroupDescribe (API key 69), versions 0-1: KIP-848 consumer groups with their epochs,
 * members, current and target assignments.
 * - v1: each member's type (KIP-1099): 1, a consumer protocol member (the only kind Samsa has).
 * An unknown group, or a classic one, answers GROUP_ID_NOT_FOUND.
 *
 * ACLs (KafkaApis.handleConsumerGroupDescribe): DESCRIBE on each group, else that group answers
 * GROUP_AUTHORIZATION_FAILED; a group whose assignments name a topic the principal may not
 * DESCRIBE answers TOPIC_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  type ConsumerGroupDescribeRequest,
  type ConsumerGroupDescribeResponseDescribedGroupInput,
  type ConsumerGroupDescribeResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { authorizedOperations } from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const consumerGroupDescribeHandler = defineHandler<
  ConsumerGroupDescribeRequest,
  ConsumerGroupDescribeResponseInput
>({
  apiKey: ApiKey.ConsumerGroupDescribe,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const describable = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.GROUP, request.groupIds);
    const allowed = request.groupIds.filter((groupId) => describable.has(groupId));
    const image = ctx.services.metadata.image;
    const described = await ctx.services.groupCoordinator.consumerGroupDescribe(
      allowed,
      (topicId) => image.topicById(topicId)?.name,
    );
    const byId = new Map(described.map((g) => [g.groupId, g]));
    const groups = request.groupIds.map((groupId): ConsumerGroupDescribeResponseDescribedGroupInput => {
      const group = byId.get(groupId);
      if (group === undefined) {
        return {
          groupId,
          errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          errorMessage: 'Group authorization failed.',
          groupState: '',
          members: [],
        };
      }
      if ((group.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) return group;
      const topics = new Set<string>();
      for (const member of group.members ?? []) {
        for (const tp of [
          ...(member.assignment?.topicPartitions ?? []),
          ...(member.targetAssignment?.topicPartitions ?? []),
        ]) {
          topics.add(tp.topicName ?? '');
        }
      }
      const describableTopics = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.TOPIC, topics);
      if ([...topics].some((t) => !describableTopics.has(t))) {
        return {
          groupId,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: 'The group has described topic(s) that the client is not authorized to describe.',
          groupState: '',
          members: [],
        };
      }
      if (request.includeAuthorizedOperations) {
        return { ...group, authorizedOperations: authorizedOperations(ctx, ResourceType.GROUP, groupId) };
      }
      return group;
    });
    return { groups };
  },
  errorResponse: (request, errorCode) => ({
    groups: request.groupIds.map((groupId) => ({ groupId, errorCode, groupState: '', members: [] })),
  }),
});
