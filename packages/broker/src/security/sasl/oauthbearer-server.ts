import { SaslAuthenticationError, type SaslServer } from './sasl-server.js';

/** What a token validator learns from a valid token. */
export interface ValidatedToken {
  readonly principalName: string;
  /** `exp` in ms since the epoch. */
  readonly expiresAtMs: number;
}

/** Validates a bearer token; throws TokenValidationError with the reason (logged, not sent). */
export interface TokenValidator {
  validate(token: string): ValidatedToken;
}

export class TokenValidationError extends Error {
  override readonly name = 'TokenValidationError';
}

const SEPARATOR = '\u0001';

/**
 * SASL/OAUTHBEARER (RFC 7628) as Kafka's OAuthBearerSaslServer: the client's single message
 * carries `auth=Bearer <token>` and optional extensions. A bad token is answered with the RFC's
 * JSON error challenge (`{"status":"invalid_token"}`); the client acknowledges it with a lone
 * 0x01 and the exchange then fails.
 */
export class OAuthBearerSaslServer implements SaslServer {
  readonly mechanism = 'OAUTHBEARER';
  private token: ValidatedToken | undefined;
  private errorSent = false;

  constructor(private readonly validator: TokenValidator) {}

  get isComplete(): boolean {
    return this.token !== undefined;
  }

  evaluate(response: Buffer): Buffer {
    const text = response.toString('utf8');
    if (this.errorSent) {
      throw new SaslAuthenticationError('Authentication failed: Credentials were not valid');
    }
    if (this.token !== undefined) throw new SaslAuthenticationError('Authentication failed: exchange already complete');
    // gs2-header SEP *(key=value SEP) SEP, where SEP is 0x01.
    const parts = text.split(SEPARATOR);
    const header = /^[ny],(a=[^,]*)?,$/.exec(parts[0] ?? '');
    if (header === null || parts.length < 3 || parts.at(-1) !== '' || parts.at(-2) !== '') {
      throw new SaslAuthenticationError('Invalid OAUTHBEARER client first message');
    }
    const fields = new Map<string, string>();
    for (const kv of parts.slice(1, -2)) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new SaslAuthenticationError('Invalid OAUTHBEARER client first message');
      fields.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    const auth = /^Bearer +(\S+)$/i.exec(fields.get('auth') ?? '');
    if (auth === null) throw new SaslAuthenticationError('Invalid OAUTHBEARER client first message: no bearer token');
    let token: ValidatedToken;
    try {
      token = this.validator.validate(auth[1] as string);
    } catch (err) {
      if (!(err instanceof TokenValidationError)) throw err;
      this.errorSent = true;
      return Buffer.from(JSON.stringify({ status: 'invalid_token' }), 'utf8');
    }
    const authzid = header[1]?.slice(2);
    if (authzid !== undefined && authzid !== '' && authzid !== token.principalName) {
      throw new SaslAuthenticationError(
        `Authentication failed: Client requested an authorization id (${authzid}) that is different from the token's principal name (${token.principalName})`,
      );
    }
    this.token = token;
    return Buffer.alloc(0);
  }

  authorizationId(): string {
    if (this.token === undefined) throw new Error('OAUTHBEARER authentication is not complete');
    return this.token.principalName;
  }

  credentialExpiresAtMs(): number | undefined {
    return this.token?.expiresAtMs;
  }
}
