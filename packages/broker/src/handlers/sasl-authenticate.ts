/**
 * SaslAuthenticate (API key 36), versions 0-2: carries one SASL token each way (KIP-152).
 * - v1: session lifetime in the response (KIP-368 re-authentication).
 * - v2: flexible versions.
 * A refusal (SASL_AUTHENTICATION_FAILED with the reason) is sent after
 * connection.failed.authentication.delay.ms, then the connection is closed.
 */
import { ApiKey, ErrorCode, type SaslAuthenticateRequest, type SaslAuthenticateResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const saslAuthenticateHandler = defineHandler<SaslAuthenticateRequest, SaslAuthenticateResponseInput>({
  apiKey: ApiKey.SaslAuthenticate,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const sasl = ctx.sasl;
    if (sasl === undefined) {
      return {
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received on a listener without SASL',
        authBytes: Buffer.alloc(0),
      };
    }
    const outcome = await sasl.authenticate(ctx.apiVersion, request.authBytes);
    if (outcome.close) ctx.closeAfterResponse?.();
    return {
      errorCode: outcome.errorCode,
      errorMessage: outcome.errorMessage,
      // A view of nothing the frame owns: the token is the mechanism's own buffer.
      authBytes: outcome.authBytes,
      sessionLifetimeMs: BigInt(outcome.sessionLifetimeMs),
    };
  },
});
