import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes in one self-describing string, `scrypt$N$r$p$salt$hash` (salt and hash in
 * unpadded base64url), so the cost can be raised later without breaking stored hashes. Defaults
 * follow OWASP's scrypt minimum (N=2^17, r=8, p=1), about 128 MiB and 0.2–0.5 s per check: slow
 * on purpose, it is the brake on guessing.
 */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, KEY_LENGTH);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `encoded` is a hash this module can check (the config loader rejects others). */
export function isPasswordHash(encoded: string): boolean {
  const m = FORMAT.exec(encoded);
  if (m === null) return false;
  const N = Number(m[1]);
  return N >= 2 && (N & (N - 1)) === 0 && Number(m[2]) >= 1 && Number(m[3]) >= 1;
}

/** The cost a hash was made with; DEFAULT_COST for a malformed one. */
export function costOf(encoded: string): ScryptCost {
  const m = FORMAT.exec(encoded);
  if (m === null || !isPasswordHash(encoded)) return DEFAULT_COST;
  return { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
}

/** Compares in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = FORMAT.exec(encoded);
  if (m === null || !isPasswordHash(encoded)) return false;
  const expected = Buffer.from(m[5] as string, 'base64url');
  const cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const actual = await derive(password, Buffer.from(m[4] as string, 'base64url'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}
