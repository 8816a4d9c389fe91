/**
 * ShareGroupDescribe (API key 77), version 1: KIP-932 share groups with their epochs, members and
 * assignments (assignor `simple`). An unknown group, or one of another type, answers
 * GROUP_ID_NOT_FOUND. Served when `group.share.enable=true`.
 *
 * ACLs (KafkaApis.handleDescribeShareGroupsRequest): DESCRIBE on each group, else that group
 * answers GROUP_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type ShareGroupDescribeRequest,
  type ShareGroupDescribeResponseDescribedGroupInput,
  type ShareGroupDescribeResponseInput,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { authorizedOperations } from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const shareGroupDescribeHandler = defineHandler<ShareGroupDescribeRequest, ShareGroupDescribeResponseInput>({
  apiKey: ApiKey.ShareGroupDescribe,
  minVersion: 1,
  maxVersion: 1,
  async handle(request, ctx) {
    const describable = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.GROUP, request.groupIds);
    const image = ctx.services.metadata.image;
    const described = await ctx.services.groupCoordinator.shareGroupDescribe(
      request.groupIds.filter((groupId) => describable.has(groupId)),
      (topicId) => image.topicById(topicId)?.name,
    );
    const byId = new Map(described.map((g) => [g.groupId, g]));
    const groups = request.groupIds.map((groupId): ShareGroupDescribeResponseDescribedGroupInput => {
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
      if (!request.includeAuthorizedOperations || (group.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) return group;
      return { ...group, authorizedOperations: authorizedOperations(ctx, ResourceType.GROUP, groupId) };
    });
    return { throttleTimeMs: 0, groups };
  },
  errorResponse: (request, errorCode) => ({
    groups: request.groupIds.map((groupId) => ({ groupId, errorCode, groupState: '', members: [] })),
  }),
});
