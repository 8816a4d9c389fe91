import { ErrorCode, KafkaError } from '@samsa/protocol';

/**
 * Offsets, timestamps and producer IDs are JS numbers throughout storage. They are exact below
 * 2^53 (Number.MAX_SAFE_INTEGER), which Kafka offsets and millisecond timestamps do not reach in
 * practice; a stored value beyond that is treated as corruption rather than silently rounded.
 */
export function readInt64(buf: Buffer, pos: number): number {
  const high = buf.readInt32BE(pos);
  const low = buf.readUInt32BE(pos + 4);
  if (high >= 0x200000 || high < -0x200000) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `64-bit value at ${pos} is outside the range storage supports`);
  }
  return high * 0x100000000 + low;
}

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const high = Math.floor(value / 0x100000000);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * 0x100000000, pos + 4);
}

/** Kafka's Long.MAX_VALUE defaults ("never") are represented by this. */
export const MAX_SAFE_MS = Number.MAX_SAFE_INTEGER;
