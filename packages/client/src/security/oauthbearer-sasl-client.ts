import { ErrorCode, KafkaError } from '@samsa/protocol';
import { invalidTokenReason, type OAuthBearerToken, type OAuthBearerTokenProvider } from './oauthbearer-token.js';
import type { SaslClient } from './sasl-client.js';

/** RFC 7628's separator between key=value pairs of the client's message. */
const KVSEP = '\u0001';

/**
 * SASL/OAUTHBEARER (RFC 7628, KIP-255) as Kafka's OAuthBearerSaslClient:
 *
 *   initialResponse()         → `n,,\x01auth=Bearer <token>\x01<key>=<value>\x01...\x01`
 *   evaluateChallenge(empty)  → undefined: the broker accepted the token
 *   evaluateChallenge(json)   → `\x01`: RFC 7628's error path. The broker sent a JSON status
 *                               instead of failing outright; the client acknowledges, and the
 *                               broker then fails the exchange with SASL_AUTHENTICATION_FAILED.
 */
export class OAuthBearerSaslClient implements SaslClient {
  readonly mechanism = 'OAUTHBEARER';
  private state: 'initial' | 'sent' | 'error-acknowledged' | 'complete' = 'initial';
  /** The broker's RFC 7628 error status (JSON), kept for the failure message. */
  failureDetail: string | undefined;

  constructor(
    private readonly provider: OAuthBearerTokenProvider,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get isComplete(): boolean {
    return this.state === 'complete';
  }

  async initialResponse(): Promise<Buffer> {
    let token: OAuthBearerToken;
    try {
      token = await this.provider();
    } catch (error) {
      throw new KafkaError(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        `OAUTHBEARER: the token provider failed: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
    const reason = invalidTokenReason(token, this.nowMs());
    if (reason !== undefined) throw new KafkaError(ErrorCode.SASL_AUTHENTICATION_FAILED, `OAUTHBEARER: ${reason}`);
    this.state = 'sent';
    return oauthBearerInitialResponse(token.value, token.extensions ?? {});
  }

  evaluateChallenge(challenge: Buffer): Buffer | undefined {
    if (this.state !== 'sent') {
      throw new KafkaError(ErrorCode.ILLEGAL_SASL_STATE, `OAUTHBEARER: unexpected challenge in state ${this.state}`);
    }
    if (challenge.length === 0) {
      this.state = 'complete';
      return undefined;
    }
    this.failureDetail = challenge.toString('utf8');
    this.state = 'error-acknowledged';
    return Buffer.from(KVSEP, 'utf8');
  }
}

/** The client's first message (Kafka's OAuthBearerClientInitialResponse), without an authzid. */
export function oauthBearerInitialResponse(token: string, extensions: Readonly<Record<string, string>>): Buffer {
  const pairs = Object.entries(extensions)
    .map(([key, value]) => `${KVSEP}${key}=${value}`)
    .join('');
  return Buffer.from(`n,,${KVSEP}auth=Bearer ${token}${pairs}${KVSEP}${KVSEP}`, 'utf8');
}
