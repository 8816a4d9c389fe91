/**
 * LeaveGroup (API key 13), versions 0-5: members leave a group (which then rebalances).
 * - v0: one member id.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: a batch of members, by member id or group instance id, with per-member errors (KIP-345).
 * - v4: flexible versions.
 * - v5: per-member reason (KIP-800), accepted and ignored.
 *
 * ACLs (KafkaApis.handleLeaveGroupRequest): READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
import { ApiKey, ErrorCode, type LeaveGroupRequest, type LeaveGroupResponseInput } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

export const leaveGroupHandler = defineHandler<LeaveGroupRequest, LeaveGroupResponseInput>({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const batched = ctx.apiVersion >= 3;
    const members = batched
      ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
      : [{ memberId: request.memberId, groupInstanceId: null }];
    const response = await ctx.services.groupCoordinator.leaveGroup(request.groupId, members);
    if (batched) return response;
    // Before v3 the only error is the top-level one: the group's, else the member's.
    const topLevel = response.errorCode ?? ErrorCode.NONE;
    return { errorCode: topLevel !== ErrorCode.NONE ? topLevel : (response.members?.[0]?.errorCode ?? ErrorCode.NONE) };
  },
});
