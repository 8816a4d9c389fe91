import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';
import {
  constantTimeEqual,
  encodeSaslName,
  parseScramAttributes,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MECHANISMS,
  type ScramMechanismName,
  scramClientKey,
  scramHash,
  scramHmac,
  scramNonce,
  scramSaltedPassword,
  scramServerKey,
  xorBytes,
} from './scram.js';

type State = 'client-first' | 'server-first' | 'server-final' | 'complete' | 'failed';

/** The gs2 header Kafka's clients send: no channel binding, no authorization id. */
const GS2_HEADER = 'n,,';

/**
 * SCRAM-SHA-256/512 client (RFC 5802 / RFC 7677, Kafka's ScramSaslClient), sans-io: the caller
 * carries each message in a SaslAuthenticate request and hands back the server's answer.
 *
 *   firstMessage()                → client-first  (`n,,n=<user>,r=<nonce>`)
 *   finalMessage(server-first)    → client-final  (`c=biws,r=<nonce>,p=<proof>`)
 *   verifyServerFinal(server-final)  checks `v=<server signature>`: only a server that holds the
 *                                    user's credential can compute it, so a match authenticates
 *                                    the server too.
 *
 * Each step may be taken once and in this order; any failure leaves the client failed. Failures
 * are KafkaError(SASL_AUTHENTICATION_FAILED). The password is used as its UTF-8 bytes without
 * SASLprep, as Kafka does. The salted password costs `i` PBKDF2 iterations of synchronous CPU,
 * so a server asking for more than Kafka ever stores (SCRAM_MAX_ITERATIONS) is refused.
 */
export class ScramClient {
  private state: State = 'client-first';
  private readonly clientFirstBare: string;
  private serverSignature: Buffer | undefined;

  constructor(
    readonly mechanism: ScramMechanismName,
    username: string,
    private readonly password: string,
    /** Tests pass RFC 7677's nonce; otherwise a fresh random one. */
    private readonly clientNonce: string = scramNonce(),
  ) {
    this.clientFirstBare = `n=${encodeSaslName(username)},r=${clientNonce}`;
  }

  get isComplete(): boolean {
    return this.state === 'complete';
  }

  firstMessage(): Buffer {
    this.expect('client-first');
    this.state = 'server-first';
    return Buffer.from(GS2_HEADER + this.clientFirstBare, 'utf8');
  }

  finalMessage(serverFirstBytes: Buffer): Buffer {
    this.expect('server-first');
    const serverFirst = serverFirstBytes.toString('utf8');
    const attributes = parseScramAttributes(serverFirst);
    const nonce = attributes?.get('r');
    const salt = attributes?.get('s');
    const iterations = Number(attributes?.get('i'));
    if (attributes?.has('e') === true) return this.fail(`SCRAM server error: ${attributes.get('e')}`);
    if (attributes === undefined || nonce === undefined || salt === undefined || attributes.has('m')) {
      return this.fail('Invalid SCRAM server first message');
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      return this.fail('Invalid SCRAM server nonce: does not extend the client nonce');
    }
    const minIterations = SCRAM_MECHANISMS[this.mechanism].minIterations;
    if (!Number.isInteger(iterations) || iterations < minIterations || iterations > SCRAM_MAX_ITERATIONS) {
      return this.fail(
        `Invalid SCRAM iterations ${attributes.get('i')}: expected ${minIterations} to ${SCRAM_MAX_ITERATIONS}`,
      );
    }
    const salted = scramSaltedPassword(this.mechanism, this.password, Buffer.from(salt, 'base64'), iterations);
    const withoutProof = `c=${Buffer.from(GS2_HEADER, 'utf8').toString('base64')},r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientKey = scramClientKey(this.mechanism, salted);
    const clientSignature = scramHmac(this.mechanism, scramHash(this.mechanism, clientKey), authMessage);
    const proof = xorBytes(clientKey, clientSignature);
    this.serverSignature = scramHmac(this.mechanism, scramServerKey(this.mechanism, salted), authMessage);
    this.state = 'server-final';
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  verifyServerFinal(serverFinalBytes: Buffer): void {
    this.expect('server-final');
    const attributes = parseScramAttributes(serverFinalBytes.toString('utf8'));
    if (attributes?.has('e') === true) this.fail(`SCRAM server error: ${attributes.get('e')}`);
    const signature = attributes?.get('v');
    if (signature === undefined) this.fail('Invalid SCRAM server final message');
    if (!constantTimeEqual(Buffer.from(signature as string, 'base64'), this.serverSignature as Buffer)) {
      this.fail('Invalid SCRAM server signature: the server does not know the credential');
    }
    this.state = 'complete';
  }

  private expect(state: State): void {
    if (this.state !== state) this.fail(`SCRAM client in state ${this.state}, expected ${state}`);
  }

  private fail(message: string): never {
    this.state = 'failed';
    throw new KafkaError(ErrorCode.SASL_AUTHENTICATION_FAILED, message);
  }
}
