import { createHmac, randomBytes } from 'node:crypto';
import {
  constantTimeEqual,
  decodeSaslName,
  parseScramAttributes,
  type ScramCredential,
  type ScramMechanismName,
  scramHash,
  scramHmac,
  scramNonce,
  xorBytes,
} from '@samsa/protocol';
import type { ScramCredentialStore } from '../scram-credential-store.js';
import { invalidCredentials, SaslAuthenticationError, type SaslServer } from './sasl-server.js';

type State = 'client-first' | 'client-final' | 'complete' | 'failed';

/**
 * Keys the made-up salt of an unknown user: the same name gets the same salt at every attempt, as
 * a real user does, so asking twice does not tell them apart (RFC 5802 section 9).
 */
const UNKNOWN_USER_SALT_KEY = randomBytes(32);

/**
 * SCRAM-SHA-256/512 server (RFC 5802, Kafka's ScramSaslServer): client-first → server-first (the
 * user's salt and iterations) → client-final with the proof → server-final with the server's
 * signature. No channel binding (gs2 header `n,,` or `y,,`), as Kafka.
 *
 * An unknown user is not told apart from a wrong password: the exchange continues with a made-up
 * salt and fails at the proof, with the same message.
 */
export class ScramSaslServer implements SaslServer {
  private state: State = 'client-first';
  private user = '';
  private credential: ScramCredential | undefined;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  constructor(
    readonly mechanism: ScramMechanismName,
    private readonly store: ScramCredentialStore,
  ) {}

  get isComplete(): boolean {
    return this.state === 'complete';
  }

  evaluate(token: Buffer): Buffer {
    try {
      if (this.state === 'client-first') return this.clientFirst(token.toString('utf8'));
      if (this.state === 'client-final') return this.clientFinal(token.toString('utf8'));
      throw new SaslAuthenticationError(`Authentication failed: SCRAM exchange in state ${this.state}`);
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }

  private clientFirst(message: string): Buffer {
    // gs2-header: channel-binding flag, optional authzid, then the bare message.
    const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message);
    if (match === null) throw new SaslAuthenticationError('Invalid SCRAM client first message');
    this.gs2Header = `${match[1] as string},${match[2] ?? ''},`;
    this.clientFirstBare = match[3] as string;
    const attributes = parseScramAttributes(this.clientFirstBare);
    const encodedUser = attributes?.get('n');
    const clientNonce = attributes?.get('r');
    if (attributes === undefined || encodedUser === undefined || clientNonce === undefined || clientNonce === '') {
      throw new SaslAuthenticationError('Invalid SCRAM client first message');
    }
    if (attributes.has('m'))
      throw new SaslAuthenticationError('Invalid SCRAM client first message: mandatory extension');
    if (attributes.get('tokenauth') === 'true') {
      throw new SaslAuthenticationError('Authentication failed: delegation tokens are not supported');
    }
    const user = decodeSaslName(encodedUser);
    if (user === undefined || user === '') throw new SaslAuthenticationError('Invalid SCRAM user name');
    const authzid = match[2]?.slice(2);
    if (authzid !== undefined && authzid !== '' && decodeSaslName(authzid) !== user) {
      throw new SaslAuthenticationError(
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    }
    this.user = user;
    this.credential = this.store.credential(user, this.mechanism);
    this.nonce = clientNonce + scramNonce();
    const salt = this.credential?.salt ?? createHmac('sha256', UNKNOWN_USER_SALT_KEY).update(user).digest();
    const iterations = this.credential?.iterations ?? 4096;
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`;
    this.state = 'client-final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private clientFinal(message: string): Buffer {
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new SaslAuthenticationError('Invalid SCRAM client final message');
    const withoutProof = message.slice(0, proofAt);
    const attributes = parseScramAttributes(withoutProof);
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    // The nonce must *end with* the combined one, as Kafka's broker checks it: librdkafka 2.0.2
    // (Debian's, under kcat and confluent-kafka) sends its own nonce again in front of it, and
    // signs what it sent.
    if (attributes === undefined || !(attributes.get('r') ?? '').endsWith(this.nonce)) {
      throw new SaslAuthenticationError('Invalid SCRAM client final message: nonce mismatch');
    }
    if (attributes.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) {
      throw new SaslAuthenticationError('Invalid SCRAM client final message: channel binding mismatch');
    }
    const credential = this.credential;
    if (credential === undefined) throw invalidCredentials(this.mechanism);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = scramHmac(this.mechanism, credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw invalidCredentials(this.mechanism);
    const clientKey = xorBytes(proof, clientSignature);
    if (!constantTimeEqual(scramHash(this.mechanism, clientKey), credential.storedKey)) {
      throw invalidCredentials(this.mechanism);
    }
    this.state = 'complete';
    const serverSignature = scramHmac(this.mechanism, credential.serverKey, authMessage);
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }

  authorizationId(): string {
    if (this.state !== 'complete') throw new Error('SCRAM authentication is not complete');
    return this.user;
  }
}
