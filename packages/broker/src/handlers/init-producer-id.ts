/**
 * InitProducerId (key 22), versions 0-5.
 * v1: same as v0. v2: flexible. v3: producerId/producerEpoch let a producer bump its epoch
 * instead of getting a new id (KIP-360). v4: PRODUCER_FENCED may be returned. v5: same as v4.
 *
 * Idempotent producers (no transactional id) get a fresh producer id, or their epoch bumped.
 * Transactional ids go to the transaction coordinator, which binds the id to a producer id and
 * fences older instances by bumping the epoch.
 *
 * ACLs (KafkaApis.handleInitProducerIdRequest): a transactional id needs WRITE on it, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED; an idempotent producer needs IDEMPOTENT_WRITE on the
 * cluster or WRITE on some topic (KIP-679), else CLUSTER_AUTHORIZATION_FAILED.
 */
import { ApiKey, ErrorCode, type InitProducerIdRequest, type InitProducerIdResponseInput } from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize, authorizeByResourceType, authorizeCluster } from './authorization.js';
import { defineHandler, type RequestContext } from './handler.js';
import { producerFencedFor } from './txn-error-versions.js';

/** Epochs are int16 and Kafka never hands out Short.MAX_VALUE (it marks exhaustion). */
const MAX_EPOCH = 32766;

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponseInput>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const refused = ctx.services.authorizer === undefined ? ErrorCode.NONE : authorizationError(request, ctx);
    if (refused !== ErrorCode.NONE)
      return { throttleTimeMs: 0, errorCode: refused, producerId: -1n, producerEpoch: -1 };
    const producerId = Number(request.producerId);
    if (request.transactionalId !== null) {
      const expected = producerId >= 0 ? { producerId, producerEpoch: request.producerEpoch } : undefined;
      const result = await ctx.services.transactionCoordinator.initProducerId(
        request.transactionalId,
        request.transactionTimeoutMs,
        expected,
      );
      return {
        throttleTimeMs: 0,
        errorCode: producerFencedFor(result.errorCode, ctx.apiVersion, 4),
        producerId: BigInt(result.producerId),
        producerEpoch: result.producerEpoch,
      };
    }
    if (producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < MAX_EPOCH) {
      // KIP-360: an idempotent producer bumps its own epoch after a fatal sequence error.
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        producerId: BigInt(producerId),
        producerEpoch: request.producerEpoch + 1,
      };
    }
    const id = await ctx.services.producerIds.generateProducerId();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: BigInt(id), producerEpoch: 0 };
  },
});

function authorizationError(request: InitProducerIdRequest, ctx: RequestContext): number {
  if (request.transactionalId !== null) {
    return authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId)
      ? ErrorCode.NONE
      : ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
  }
  return authorizeCluster(ctx, AclOperationCode.IDEMPOTENT_WRITE) ||
    authorizeByResourceType(ctx, AclOperationCode.WRITE, ResourceType.TOPIC)
    ? ErrorCode.NONE
    : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
}
