/**
 * InitProducerId (key 22), versions 0-5.
 * v1: same as v0. v2: flexible. v3: producerId/producerEpoch let a producer bump its epoch
 * instead of getting a new id (KIP-360). v4: PRODUCER_FENCED may be returned. v5: same as v4.
 *
 * Idempotent producers (no transactional id) get a fresh producer id, or their epoch bumped.
 * Transactional ids go to the transaction coordinator, which binds the id to a producer id and
 * fences older instances by bumping the epoch.
 */
import { ApiKey, ErrorCode, type InitProducerIdRequest, type InitProducerIdResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';
import { producerFencedFor } from './txn-error-versions.js';

/** Epochs are int16 and Kafka never hands out Short.MAX_VALUE (it marks exhaustion). */
const MAX_EPOCH = 32766;

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponseInput>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
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
