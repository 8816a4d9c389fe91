/**
 * SaslHandshake (API key 17), versions 0-1: the client names its SASL mechanism; the answer lists
 * the listener's enabled ones.
 * - v0: the mechanism's tokens follow as raw size-prefixed frames (KIP-43).
 * - v1: they follow in SaslAuthenticate requests (KIP-152).
 * On a listener without SASL, or once authenticated without re-authentication, the answer is
 * ILLEGAL_SASL_STATE, as Kafka's KafkaApis gives.
 */
import { ApiKey, ErrorCode, type SaslHandshakeRequest, type SaslHandshakeResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const saslHandshakeHandler = defineHandler<SaslHandshakeRequest, SaslHandshakeResponseInput>({
  apiKey: ApiKey.SaslHandshake,
  minVersion: 0,
  maxVersion: 1,
  handle(request, ctx) {
    const sasl = ctx.sasl;
    if (sasl === undefined) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
    const outcome = sasl.handshake(ctx.apiVersion, request.mechanism);
    if (outcome.close) ctx.closeAfterResponse?.();
    return { errorCode: outcome.errorCode, mechanisms: [...outcome.mechanisms] };
  },
});
