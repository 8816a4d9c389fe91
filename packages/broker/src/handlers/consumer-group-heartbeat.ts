/**
 * ConsumerGroupHeartbeat (API key 68), versions 0-1: a member of a KIP-848 consumer group joins
 * (epoch 0), heartbeats with its epoch and owned partitions, or leaves (epoch -1, or -2 for a
 * static member leaving temporarily); the coordinator answers with its epoch and assignment.
 * - v1: SubscribedTopicRegex; the member generates its member id (KIP-1082), so an empty one is
 *   INVALID_REQUEST.
 *
 * ACLs (KafkaApis.handleConsumerGroupHeartbeat): READ on the group, else
 * GROUP_AUTHORIZATION_FAILED; DESCRIBE on every subscribed topic name, else
 * TOPIC_AUTHORIZATION_FAILED. Topics matched by a regex are not filtered by ACLs (Kafka 4.0 does).
 */
import {
  ApiKey,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { assignmentFromWire } from '../coordinator/group/consumer/assignment.js';
import { AclOperationCode } from '../security/authorizer.js';
import { requireGroup } from './authorization.js';
import { subscriptionRefusal, topicsViewOf } from './consumer-group-topics.js';
import { defineHandler } from './handler.js';

export const consumerGroupHeartbeatHandler = defineHandler<
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponseInput
>({
  apiKey: ApiKey.ConsumerGroupHeartbeat,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const names = request.subscribedTopicNames;
    const refusal = subscriptionRefusal(ctx, names);
    if (refusal !== undefined) {
      return {
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        errorMessage: refusal,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
    return ctx.services.groupCoordinator.consumerGroupHeartbeat(
      {
        apiVersion: ctx.apiVersion,
        groupId: request.groupId,
        memberId: request.memberId,
        memberEpoch: request.memberEpoch,
        instanceId: request.instanceId,
        rackId: request.rackId,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        subscribedTopicNames: names,
        subscribedTopicRegex: ctx.apiVersion >= 1 ? request.subscribedTopicRegex : null,
        serverAssignor: request.serverAssignor,
        topicPartitions: request.topicPartitions === null ? null : assignmentFromWire(request.topicPartitions),
        clientId: ctx.clientId ?? '',
        clientHost: ctx.clientHost,
      },
      topicsViewOf(ctx.services.metadata.image),
    );
  },
});
