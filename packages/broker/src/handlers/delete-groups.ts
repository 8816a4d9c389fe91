/**
 * DeleteGroups (API key 42), versions 0-2: deletes Empty groups and their offsets
 * (NON_EMPTY_GROUP while a group has members, GROUP_ID_NOT_FOUND for unknown groups).
 * - v1: same as v0.
 * - v2: flexible versions.
 */
import { ApiKey, type DeleteGroupsRequest, type DeleteGroupsResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponseInput>({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    return { results: await ctx.services.groupCoordinator.deleteGroups(request.groupsNames) };
  },
  errorResponse: (request, errorCode) => ({
    results: request.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
});
