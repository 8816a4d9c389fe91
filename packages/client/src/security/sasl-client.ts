/** The SASL mechanisms this client speaks, by the names SaslHandshake carries. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISMS)[number];

/**
 * The client side of one SASL exchange, sans-io like Java's `javax.security.sasl.SaslClient`: the
 * connection carries each token in a SaslAuthenticate request (KIP-152) and hands the broker's
 * answer back. A fresh instance serves each authentication (a new connection, or a KIP-368
 * re-authentication), so no state leaks from one to the next.
 *
 * Failures throw KafkaError(SASL_AUTHENTICATION_FAILED) with the reason.
 */
export interface SaslClient {
  readonly mechanism: SaslMechanismName;
  /** The first token (async: OAUTHBEARER asks its token provider). */
  initialResponse(): Promise<Buffer>;
  /**
   * The broker's answer to the last token → the next token, or undefined when the client has
   * nothing more to send (the exchange is then complete, or failed with a throw).
   */
  evaluateChallenge(challenge: Buffer): Buffer | undefined;
  readonly isComplete: boolean;
  /** What the broker said about a failure inside the exchange (OAUTHBEARER's JSON status), if anything. */
  readonly failureDetail?: string | undefined;
}
