import { timingSafeEqual } from 'node:crypto';
import { SaslAuthenticationError, type SaslServer } from './sasl-server.js';

/**
 * SASL/PLAIN (RFC 4616) as Kafka's PlainSaslServer: one message `authzid NUL user NUL password`,
 * checked against the `user_<name>="<password>"` options of the listener's JAAS config.
 */
export class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  private user: string | undefined;

  constructor(private readonly passwords: ReadonlyMap<string, string>) {}

  get isComplete(): boolean {
    return this.user !== undefined;
  }

  evaluate(token: Buffer): Buffer {
    if (this.user !== undefined)
      throw new SaslAuthenticationError('Authentication failed: PLAIN exchange already complete');
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new SaslAuthenticationError('Invalid SASL/PLAIN response: expected 3 tokens');
    const [authzid, user, password] = parts as [string, string, string];
    if (user === '') throw new SaslAuthenticationError('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationError('Authentication failed: password not specified');
    const expected = this.passwords.get(user);
    if (expected === undefined || !sameText(expected, password)) {
      // Kafka's PlainSaslServer message: it does not say whether the user exists.
      throw new SaslAuthenticationError('Authentication failed: Invalid username or password');
    }
    if (authzid !== '' && authzid !== user) {
      throw new SaslAuthenticationError(
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    }
    this.user = user;
    return Buffer.alloc(0);
  }

  authorizationId(): string {
    if (this.user === undefined) throw new Error('PLAIN authentication is not complete');
    return this.user;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
