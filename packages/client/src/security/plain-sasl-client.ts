import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { SaslClient } from './sasl-client.js';

/**
 * SASL/PLAIN (RFC 4616) as Kafka's PlainSaslClient: one token, `authzid NUL authcid NUL passwd`
 * with an empty authzid (the user acts as itself), UTF-8. The broker answers with empty bytes or
 * an error; there is nothing to verify, so PLAIN belongs on TLS (SASL_SSL) outside tests.
 */
export class PlainSaslClient implements SaslClient {
  readonly mechanism = 'PLAIN';
  private sent = false;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  get isComplete(): boolean {
    return this.sent;
  }

  async initialResponse(): Promise<Buffer> {
    this.sent = true;
    return plainToken(this.username, this.password);
  }

  /** Kafka's broker answers PLAIN with empty bytes; anything else is ignored, as Java's client does. */
  evaluateChallenge(_challenge: Buffer): Buffer | undefined {
    if (!this.sent) throw new KafkaError(ErrorCode.ILLEGAL_SASL_STATE, 'PLAIN: challenge before the initial response');
    return undefined;
  }
}

/** `\0user\0password`: no authorization id, RFC 4616's message. */
export function plainToken(username: string, password: string): Buffer {
  return Buffer.from(`\u0000${username}\u0000${password}`, 'utf8');
}
