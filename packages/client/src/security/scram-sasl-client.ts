import { ScramClient, type ScramMechanismName } from '@samsa/protocol';
import type { SaslClient } from './sasl-client.js';

/**
 * SASL/SCRAM-SHA-256 and -512 (RFC 5802 / 7677, KIP-84) over the protocol package's sans-io
 * ScramClient, which the broker's inter-broker client shares: gs2 header `n,,` (no channel
 * binding), iteration counts below 4096 refused, and the server signature checked, so a broker
 * that does not hold the user's credential is refused too.
 *
 *   initialResponse()          → client-first
 *   evaluateChallenge(first)   → client-final (proof)
 *   evaluateChallenge(final)   → undefined, after verifying `v=`
 */
export class ScramSaslClient implements SaslClient {
  private readonly scram: ScramClient;
  private step: 'first' | 'final' | 'verify' | 'done' = 'first';

  constructor(
    readonly mechanism: ScramMechanismName,
    username: string,
    password: string,
    /** Tests pass RFC 7677's nonce; otherwise a fresh random one. */
    clientNonce?: string,
  ) {
    this.scram =
      clientNonce === undefined
        ? new ScramClient(mechanism, username, password)
        : new ScramClient(mechanism, username, password, clientNonce);
  }

  get isComplete(): boolean {
    return this.scram.isComplete;
  }

  async initialResponse(): Promise<Buffer> {
    this.step = 'final';
    return this.scram.firstMessage();
  }

  evaluateChallenge(challenge: Buffer): Buffer | undefined {
    if (this.step === 'final') {
      this.step = 'verify';
      return this.scram.finalMessage(challenge);
    }
    // In any other step the ScramClient throws ILLEGAL state as SASL_AUTHENTICATION_FAILED.
    this.step = 'done';
    this.scram.verifyServerFinal(challenge);
    return undefined;
  }
}
