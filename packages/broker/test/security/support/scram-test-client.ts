/**
 * RFC 5802's client side built from the protocol's SCRAM primitives (not the package's ScramClient,
 * so that one shared mistake cannot make both sides agree), with knobs to send what a broken or
 * hostile client would.
 */
import {
  encodeSaslName,
  type ScramMechanismName,
  scramClientKey,
  scramHash,
  scramHmac,
  scramSaltedPassword,
  scramServerKey,
  xorBytes,
} from '@samsa/protocol';

/** `a=v,b=w` as a map (values may contain "="). */
export function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) out.set(part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1));
  return out;
}

export class TestScramClient {
  readonly clientNonce = `cn${Math.random().toString(36).slice(2)}`;
  readonly clientFirstBare: string;
  private expectedServerSignature = '';

  constructor(
    readonly mechanism: ScramMechanismName,
    readonly user: string,
    readonly password: string,
    readonly gs2Header = 'n,,',
    /** Kafka's extensions (`,tokenauth=true`), appended to client-first-bare. */
    extensions = '',
  ) {
    this.clientFirstBare = `n=${encodeSaslName(user)},r=${this.clientNonce}${extensions}`;
  }

  first(): Buffer {
    return Buffer.from(this.gs2Header + this.clientFirstBare);
  }

  final(serverFirst: Buffer, override: { nonce?: string; channelBinding?: string } = {}): Buffer {
    const text = serverFirst.toString('utf8');
    const a = attributes(text);
    const salted = scramSaltedPassword(
      this.mechanism,
      this.password,
      Buffer.from(a.get('s') as string, 'base64'),
      Number(a.get('i')),
    );
    const c = override.channelBinding ?? Buffer.from(this.gs2Header).toString('base64');
    const withoutProof = `c=${c},r=${override.nonce ?? (a.get('r') as string)}`;
    const authMessage = `${this.clientFirstBare},${text},${withoutProof}`;
    const clientKey = scramClientKey(this.mechanism, salted);
    const proof = xorBytes(clientKey, scramHmac(this.mechanism, scramHash(this.mechanism, clientKey), authMessage));
    this.expectedServerSignature = scramHmac(
      this.mechanism,
      scramServerKey(this.mechanism, salted),
      authMessage,
    ).toString('base64');
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  verifiesServerFinal(serverFinal: Buffer): boolean {
    return serverFinal.toString('utf8') === `v=${this.expectedServerSignature}`;
  }
}
