import { createHash } from 'node:crypto';

/**
 * The records of a foreign-key join's internal topics and store, in the layout of Java's
 * `SubscriptionWrapper` v0, `SubscriptionResponseWrapper` v0 and `CombinedKey` — except the
 * value hash, which is MD5 here where Java uses Murmur3 (128 bits both): the hash only has to
 * tell this application whether a response is stale, so it never leaves the application.
 */
export const Instruction = {
  DELETE_KEY_NO_PROPAGATE: 0,
  DELETE_KEY_AND_PROPAGATE: 1,
  PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE: 2,
  PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE: 3,
} as const;
export type Instruction = (typeof Instruction)[keyof typeof Instruction];

/** 128-bit hash of a left value's bytes (null for no value). */
export function valueHash(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : createHash('md5').update(bytes).digest();
}

export interface Subscription {
  readonly hash: Buffer | null;
  readonly instruction: Instruction;
  readonly primaryKey: Buffer;
}

/** version byte (0, high bit set when there is no hash), instruction, [16-byte hash], primary key. */
export function writeSubscription(s: Subscription): Buffer {
  const head = Buffer.from([s.hash === null ? 0x80 : 0, s.instruction]);
  return Buffer.concat(s.hash === null ? [head, s.primaryKey] : [head, s.hash, s.primaryKey]);
}

export function readSubscription(data: Uint8Array): Subscription {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const hasHash = ((b[0] ?? 0) & 0x80) === 0;
  return {
    hash: hasHash ? b.subarray(2, 18) : null,
    instruction: (b[1] ?? 0) as Instruction,
    primaryKey: b.subarray(hasHash ? 18 : 2),
  };
}

export interface Response {
  readonly hash: Buffer | null;
  /** The foreign table's value bytes, or null. */
  readonly foreignValue: Buffer | null;
}

/** version byte (0, high bit set when there is no hash), [16-byte hash], foreign value bytes. */
export function writeResponse(r: Response): Buffer {
  const parts: Buffer[] = [Buffer.from([r.hash === null ? 0x80 : 0])];
  if (r.hash !== null) parts.push(r.hash);
  if (r.foreignValue !== null) parts.push(r.foreignValue);
  return Buffer.concat(parts);
}

export function readResponse(data: Uint8Array): Response {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const hasHash = ((b[0] ?? 0) & 0x80) === 0;
  const rest = b.subarray(hasHash ? 17 : 1);
  // Java cannot tell an empty value from none either: both are written as no bytes.
  return { hash: hasHash ? b.subarray(1, 17) : null, foreignValue: rest.length === 0 ? null : rest };
}

/** Java's `CombinedKey`: 4-byte foreign key length, foreign key, primary key. */
export function combinedKey(foreignKey: Uint8Array, primaryKey: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(foreignKey.length);
  return Buffer.concat([len, foreignKey, primaryKey]);
}

export function combinedKeyPrefix(foreignKey: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(foreignKey.length);
  return Buffer.concat([len, foreignKey]);
}
