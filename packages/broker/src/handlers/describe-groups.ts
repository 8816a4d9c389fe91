/**
 * DescribeGroups (API key 15), versions 0-5: state, protocol and members of groups.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: authorized operations on request (KIP-430).
 * - v4: members' group instance id (KIP-345).
 * - v5: flexible versions.
 * An unknown group is described as "Dead" without error (v6 would answer GROUP_ID_NOT_FOUND).
 */
import { ApiKey, type DescribeGroupsRequest, type DescribeGroupsResponseInput } from '@samsa/protocol';
import { ALL_GROUP_OPERATIONS } from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const describeGroupsHandler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponseInput>({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const groups = await ctx.services.groupCoordinator.describeGroups(request.groups);
    if (!request.includeAuthorizedOperations) return { groups };
    return { groups: groups.map((g) => ({ ...g, authorizedOperations: ALL_GROUP_OPERATIONS })) };
  },
  errorResponse: (request, errorCode) => ({
    groups: request.groups.map((groupId) => ({ groupId, errorCode })),
  }),
});
