/**
 * ControlledShutdown (key 7), versions 0-3: a broker about to stop asks the controller to move
 * its leaderships away first; the answer lists the partitions it still leads. Served by the
 * active controller (NOT_CONTROLLER elsewhere). v1: same as v0. v2: broker epoch. v3: flexible.
 *
 * ACLs (KafkaApis): CLUSTER_ACTION on the cluster (brokers and the controller have it), else
 * CLUSTER_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  type ControlledShutdownRequest,
  type ControlledShutdownResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const controlledShutdownHandler = defineHandler<ControlledShutdownRequest, ControlledShutdownResponseInput>({
  apiKey: ApiKey.ControlledShutdown,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const controller = ctx.services.zk?.kafkaController;
    if (controller === undefined || !controller.isActive)
      return { errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] };
    const { errorCode, remaining } = await controller.controlledShutdown(request.brokerId, request.brokerEpoch);
    return {
      errorCode,
      remainingPartitions: remaining.map((p) => ({ topicName: p.topic, partitionIndex: p.partition })),
    };
  },
});
