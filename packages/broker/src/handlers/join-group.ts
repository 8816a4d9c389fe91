/**
 * JoinGroup (API key 11), versions 0-9: a member joins (or rejoins) a classic group; the response
 * is parked until the rebalance's join phase completes.
 * - v0: no rebalance timeout: the session timeout serves as both (as in Kafka).
 * - v1: rebalance timeout (KIP-62).
 * - v2: throttle time in the response.
 * - v3: same as v2.
 * - v4: a new member first gets MEMBER_ID_REQUIRED with its member id (KIP-394).
 * - v5: group instance id, static membership (KIP-345); members in the response carry theirs.
 * - v6: flexible versions.
 * - v7: protocol type in the response; protocol name nullable (KIP-559).
 * - v8: join reason (KIP-800), accepted and ignored.
 * - v9: skip assignment for a replaced static leader (KIP-814).
 *
 * ACLs (KafkaApis.handleJoinGroupRequest): READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
import { ApiKey, type JoinGroupRequest, type JoinGroupResponseInput } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

export const joinGroupHandler = defineHandler<JoinGroupRequest, JoinGroupResponseInput>({
  apiKey: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const version = ctx.apiVersion;
    const response = await ctx.services.groupCoordinator.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      clientId: ctx.clientId ?? '',
      clientHost: ctx.clientHost,
      requireKnownMemberId: version >= 4,
      supportSkippingAssignment: version >= 9,
    });
    const { protocolType, protocolName, skipAssignment, ...rest } = response;
    return {
      ...rest,
      ...(version >= 7 ? { protocolType: protocolType ?? null } : {}),
      protocolName: version >= 7 ? (protocolName ?? null) : (protocolName ?? ''),
      ...(version >= 9 ? { skipAssignment: skipAssignment ?? false } : {}),
    };
  },
});
