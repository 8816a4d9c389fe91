/**
 * ListGroups (API key 16), versions 0-5: the groups this broker coordinates.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: flexible versions.
 * - v4: states filter and each group's state (KIP-518).
 * - v5: types filter and each group's type: classic, consumer (KIP-848) or share (KIP-932).
 *
 * ACLs (KafkaApis.handleListGroupsRequest): every group with DESCRIBE on the cluster; otherwise
 * only the groups the principal may DESCRIBE, the others left out without a word.
 */
import { ApiKey, type ListGroupsRequest, type ListGroupsResponseInput } from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorizeCluster, filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponseInput>({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const clusterDescribe = authorizeCluster(ctx, AclOperationCode.DESCRIBE);
    const response = await ctx.services.groupCoordinator.listGroups(request.statesFilter, request.typesFilter);
    if (clusterDescribe) return response;
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.GROUP,
      response.groups.map((g) => g.groupId ?? ''),
    );
    return { ...response, groups: response.groups.filter((g) => describable.has(g.groupId ?? '')) };
  },
});
