/**
 * Heartbeat (API key 12), versions 0-4: keeps a member's session alive and tells it when the group
 * rebalances (REBALANCE_IN_PROGRESS).
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: group instance id (KIP-345).
 * - v4: flexible versions.
 *
 * ACLs (KafkaApis.handleHeartbeatRequest): READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
import { ApiKey, type HeartbeatRequest, type HeartbeatResponseInput } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

export const heartbeatHandler = defineHandler<HeartbeatRequest, HeartbeatResponseInput>({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    return ctx.services.groupCoordinator.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
    });
  },
});
