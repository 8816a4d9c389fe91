import type { RecordHeader } from '@samsa/client';
import { lastHeader } from '../listener/listener-message.js';
import { RetryTopicHeaders } from '../support/kafka-headers.js';

/** Java's `BigInteger.toByteArray()`: minimal big-endian two's complement (Spring's back-off header). */
export function bigIntegerBytes(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('only non-negative values are written');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** Reads `BigInteger.toByteArray()` bytes of a non-negative value. */
export function readBigInteger(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** The delivery attempt a record is on: 1 without the header (the main topic). */
export function attemptsOf(headers: readonly RecordHeader[]): number {
  const h = lastHeader(headers, RetryTopicHeaders.ATTEMPTS);
  if (h === undefined || h === null) return 1;
  // Spring wrote one byte before 2.7.? and four since; both are big-endian.
  return h.length === 4 ? h.readInt32BE(0) : h.length === 1 ? (h[0] as number) : 1;
}

/** When the record may be handled (epoch ms), or undefined when it carries no back-off. */
export function dueTimestampOf(headers: readonly RecordHeader[]): number | undefined {
  const h = lastHeader(headers, RetryTopicHeaders.BACKOFF_TIMESTAMP);
  return h === undefined || h === null ? undefined : Number(readBigInteger(h));
}

/** The first delivery's timestamp, carried from hop to hop. */
export function originalTimestampOf(headers: readonly RecordHeader[], fallback: number): number {
  const h = lastHeader(headers, RetryTopicHeaders.ORIGINAL_TIMESTAMP);
  return h !== undefined && h !== null && h.length === 8 ? Number(h.readBigInt64BE(0)) : fallback;
}

export function retryHeaders(attempt: number, originalTimestampMs: number, dueMs: number | undefined): RecordHeader[] {
  const attempts = Buffer.alloc(4);
  attempts.writeInt32BE(attempt);
  const original = Buffer.alloc(8);
  original.writeBigInt64BE(BigInt(originalTimestampMs));
  const out: RecordHeader[] = [
    { key: RetryTopicHeaders.ORIGINAL_TIMESTAMP, value: original },
    { key: RetryTopicHeaders.ATTEMPTS, value: attempts },
  ];
  if (dueMs !== undefined)
    out.push({ key: RetryTopicHeaders.BACKOFF_TIMESTAMP, value: bigIntegerBytes(BigInt(dueMs)) });
  return out;
}
