/**
 * InitProducerId (key 22), versions 0-5.
 * v1: same as v0. v2: flexible. v3: producerId/producerEpoch let an idempotent producer bump
 * its epoch instead of getting a new id (KIP-360). v4: PRODUCER_FENCED may be returned.
 * v5: same as v4.
 *
 * Idempotent producers (no transactional id) get a fresh producer id, or their epoch bumped.
 * Transactional ids need the transaction coordinator, which Samsa does not have yet. They are
 * refused with INVALID_REQUEST, a fatal error for clients: COORDINATOR_NOT_AVAILABLE would be
 * retried until the producer's timeout and hide the reason.
 */
import { ApiKey, ErrorCode, type InitProducerIdRequest, type InitProducerIdResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

/** Epochs are int16 and Kafka never hands out Short.MAX_VALUE (it marks exhaustion). */
const MAX_EPOCH = 32766;

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponseInput>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    if (request.transactionalId !== null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.INVALID_REQUEST,
        producerId: -1n,
        producerEpoch: -1,
      };
    }
    const producerId = Number(request.producerId);
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
