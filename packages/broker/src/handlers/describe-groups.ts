/**
 * DescribeGroups (API key 15), versions 0-5: state, protocol and members of groups.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: authorized operations on request (KIP-430).
 * - v4: members' group instance id (KIP-345).
 * - v5: flexible versions.
 * An unknown group is described as "Dead" without error (v6 would answer GROUP_ID_NOT_FOUND).
 *
 * ACLs (KafkaApis.handleDescribeGroupsRequest): DESCRIBE on each group, else the group answers
 * GROUP_AUTHORIZATION_FAILED with nothing else; authorized operations (v3+) are the principal's on
 * each group described without error.
 */
import {
  ApiKey,
  type DescribeGroupsRequest,
  type DescribeGroupsResponseDescribedGroupInput,
  type DescribeGroupsResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { authorizedOperations } from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const describeGroupsHandler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponseInput>({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const describable = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.GROUP, request.groups);
    const allowed = request.groups.filter((groupId) => describable.has(groupId));
    const described = await ctx.services.groupCoordinator.describeGroups(allowed);
    if (ctx.apiVersion >= 3 && request.includeAuthorizedOperations) {
      for (const group of described) {
        if ((group.errorCode ?? ErrorCode.NONE) === ErrorCode.NONE) {
          group.authorizedOperations = authorizedOperations(ctx, ResourceType.GROUP, group.groupId ?? '');
        }
      }
    }
    if (allowed.length === request.groups.length) return { groups: described };
    let next = 0;
    const groups = request.groups.map(
      (groupId): DescribeGroupsResponseDescribedGroupInput =>
        describable.has(groupId)
          ? (described[next++] as DescribeGroupsResponseDescribedGroupInput)
          : {
              groupId,
              errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
              groupState: '',
              protocolType: '',
              protocolData: '',
              members: [],
            },
    );
    return { groups };
  },
  errorResponse: (request, errorCode) => ({
    groups: request.groups.map((groupId) => ({ groupId, errorCode })),
  }),
});
