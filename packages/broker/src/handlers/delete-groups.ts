/**
 * DeleteGroups (API key 42), versions 0-2: deletes Empty groups and their offsets
 * (NON_EMPTY_GROUP while a group has members, GROUP_ID_NOT_FOUND for unknown groups).
 * - v1: same as v0.
 * - v2: flexible versions.
 *
 * ACLs (KafkaApis.handleDeleteGroupsRequest): DELETE on each group, else
 * GROUP_AUTHORIZATION_FAILED for it while the others are deleted.
 */
import { ApiKey, type DeleteGroupsRequest, type DeleteGroupsResponseInput, ErrorCode } from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponseInput>({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const deletable = filterAuthorized(ctx, AclOperationCode.DELETE, ResourceType.GROUP, request.groupsNames);
    const allowed = request.groupsNames.filter((groupId) => deletable.has(groupId));
    const results = allowed.length === 0 ? [] : await ctx.services.groupCoordinator.deleteGroups(allowed);
    for (const groupId of new Set(request.groupsNames)) {
      if (!deletable.has(groupId)) results.push({ groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED });
    }
    return { results };
  },
  errorResponse: (request, errorCode) => ({
    results: request.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
});
