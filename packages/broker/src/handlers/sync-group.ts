/**
 * SyncGroup (API key 14), versions 0-5: members fetch their assignment; the leader's request
 * carries everyone's. Parked until the leader's assignment is stored.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: group instance id (KIP-345).
 * - v4: flexible versions.
 * - v5: protocol type and name in request (checked: INCONSISTENT_GROUP_PROTOCOL) and response (KIP-559).
 *
 * ACLs (KafkaApis.handleSyncGroupRequest): READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
import { ApiKey, type SyncGroupRequest, type SyncGroupResponseInput } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

export const syncGroupHandler = defineHandler<SyncGroupRequest, SyncGroupResponseInput>({
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const response = await ctx.services.groupCoordinator.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      protocolType: request.protocolType,
      protocolName: request.protocolName,
      assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
    });
    const { protocolType, protocolName, ...rest } = response;
    return ctx.apiVersion >= 5
      ? { ...rest, protocolType: protocolType ?? null, protocolName: protocolName ?? null }
      : rest;
  },
});
