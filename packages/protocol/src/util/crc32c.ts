import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/**
 * CRC-32C (Castagnoli) of `buf[start, end)`, unsigned, as Kafka's `Crc32C` computes it: record
 * batches and producer-state snapshots. Native code (hardware CRC instructions where the CPU has
 * them), the one implementation every package uses.
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const bytes = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return nativeCrc32c(bytes) >>> 0;
}
