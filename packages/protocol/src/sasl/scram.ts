import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SCRAM (RFC 5802 / RFC 7677) as Kafka uses it (KIP-84): the primitives both sides of a SASL
 * exchange compute, and the message attribute syntax. Client and broker build their state machines
 * on these; nothing here keeps state.
 */
export const SCRAM_MECHANISMS = {
  'SCRAM-SHA-256': { hash: 'sha256', keyBytes: 32, minIterations: 4096, type: 1 },
  'SCRAM-SHA-512': { hash: 'sha512', keyBytes: 64, minIterations: 4096, type: 2 },
} as const;

export type ScramMechanismName = keyof typeof SCRAM_MECHANISMS;

/** Kafka's upper bound on iterations (ScramMechanism.maxIterations). */
export const SCRAM_MAX_ITERATIONS = 16384;

export function isScramMechanism(name: string): name is ScramMechanismName {
  return Object.hasOwn(SCRAM_MECHANISMS, name);
}

/** The mechanism with Kafka's numeric type (DescribeUserScramCredentials' `mechanism`). */
export function scramMechanismOfType(type: number): ScramMechanismName | undefined {
  for (const [name, m] of Object.entries(SCRAM_MECHANISMS)) if (m.type === type) return name as ScramMechanismName;
  return undefined;
}

/** What a server stores for one user and mechanism: never the password. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
  readonly iterations: number;
}

export function scramHmac(mechanism: ScramMechanismName, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(SCRAM_MECHANISMS[mechanism].hash, key).update(data).digest();
}

export function scramHash(mechanism: ScramMechanismName, data: Buffer): Buffer {
  return createHash(SCRAM_MECHANISMS[mechanism].hash).update(data).digest();
}

/** Hi(password, salt, i): PBKDF2 with the mechanism's HMAC. */
export function scramSaltedPassword(
  mechanism: ScramMechanismName,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  const m = SCRAM_MECHANISMS[mechanism];
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyBytes, m.hash);
}

export function scramClientKey(mechanism: ScramMechanismName, salted: Buffer): Buffer {
  return scramHmac(mechanism, salted, 'Client Key');
}

export function scramServerKey(mechanism: ScramMechanismName, salted: Buffer): Buffer {
  return scramHmac(mechanism, salted, 'Server Key');
}

export function xorBytes(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new Error('SCRAM: xor of buffers of different lengths');
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** Equality that takes the same time whatever the bytes (proofs and signatures). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The stored credential for a password, as `kafka-configs.sh --add-config SCRAM-SHA-256=[...]` makes it. */
export function createScramCredential(
  mechanism: ScramMechanismName,
  password: string,
  iterations: number,
  salt: Buffer = randomBytes(32),
): ScramCredential {
  const salted = scramSaltedPassword(mechanism, password, salt, iterations);
  return {
    salt,
    storedKey: scramHash(mechanism, scramClientKey(mechanism, salted)),
    serverKey: scramServerKey(mechanism, salted),
    iterations,
  };
}

/**
 * Kafka's text form of a stored credential, as it appears in ZooKeeper's `/config/users/<user>`:
 * `salt=<b64>,stored_key=<b64>,server_key=<b64>,iterations=<n>`.
 */
export function formatScramCredential(credential: ScramCredential): string {
  return [
    `salt=${credential.salt.toString('base64')}`,
    `stored_key=${credential.storedKey.toString('base64')}`,
    `server_key=${credential.serverKey.toString('base64')}`,
    `iterations=${credential.iterations}`,
  ].join(',');
}

export function parseScramCredential(text: string): ScramCredential {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const salt = fields.get('salt');
  const storedKey = fields.get('stored_key');
  const serverKeyText = fields.get('server_key');
  const iterationsText = fields.get('iterations') ?? '';
  const iterations = Number(iterationsText);
  // Number('') is 0: only digits are an iteration count (Kafka's Integer.parseInt).
  if (
    salt === undefined ||
    storedKey === undefined ||
    serverKeyText === undefined ||
    !/^[0-9]+$/.test(iterationsText)
  ) {
    throw new Error('invalid SCRAM credential: expected salt, stored_key, server_key and iterations');
  }
  return {
    salt: Buffer.from(salt, 'base64'),
    storedKey: Buffer.from(storedKey, 'base64'),
    serverKey: Buffer.from(serverKeyText, 'base64'),
    iterations,
  };
}

/**
 * Parses SCRAM message attributes (`a=v,b=w`); a value may contain `=`. RFC 5802's attributes are
 * one letter; Kafka's extensions in the client-first message (`tokenauth=true`) have longer names.
 * Returns undefined for a malformed message (a part without `name=` form).
 */
export function parseScramAttributes(message: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return undefined;
    out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** RFC 5802 saslname: `=` and `,` in user names are escaped as `=3D` and `=2C`. */
export function encodeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** Inverse of encodeSaslName; undefined when an `=` is not part of a valid escape. */
export function decodeSaslName(text: string): string | undefined {
  if (/=(?!3D|2C)/.test(text)) return undefined;
  return text.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** A fresh printable nonce (RFC 5802: any printable ASCII but ','). */
export function scramNonce(): string {
  return randomBytes(24).toString('base64url');
}
