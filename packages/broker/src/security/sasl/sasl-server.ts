/**
 * The broker's side of one SASL mechanism for one connection (Java's SaslServer): consumes the
 * client's tokens in turn, answers each, and knows when the client is authenticated.
 */
export interface SaslServer {
  readonly mechanism: string;
  /** Answers one client token. Throws SaslAuthenticationError when the client is refused. */
  evaluate(token: Buffer): Buffer;
  readonly isComplete: boolean;
  /** The authenticated user name (the principal is `User:<this>`); only once complete. */
  authorizationId(): string;
  /** When the credential itself expires (an OAUTHBEARER token's `exp`), in ms since the epoch. */
  credentialExpiresAtMs?(): number | undefined;
}

/** A refusal; its message is what the client is told (Kafka's SaslAuthenticationException). */
export class SaslAuthenticationError extends Error {
  override readonly name = 'SaslAuthenticationError';
}

/** Kafka's message for a wrong password or an unknown user: it says which mechanism, never which. */
export function invalidCredentials(mechanism: string): SaslAuthenticationError {
  return new SaslAuthenticationError(
    `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
  );
}
