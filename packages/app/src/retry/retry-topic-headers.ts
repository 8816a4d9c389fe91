import type { RecordHeader } from '@samsa/client';
import { lastHeader } from '../listener/listener-message.js';
import { RetryTopicHeaders } from '../support/kafka-headers.js';

/**
 * Java's `BigInteger.toByteArray()`: minimal big-endian two's complement, as Spring writes the
 * back-off and original timestamps (epoch ms today: 6 bytes; a record without a timestamp, -1,
 * is one 0xff byte).
 */
export function bigIntegerBytes(value: bigint): Buffer {
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length++;
  const unsigned = value < 0n ? value + (1n << BigInt(8 * length)) : value;
  return Buffer.from(unsigned.toString(16).padStart(2 * length, '0'), 'hex');
}

/** Reads `BigInteger.toByteArray()` bytes (`new BigInteger(bytes)`), any length: an 8-byte long too. */
export function readBigInteger(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return ((bytes[0] as number) & 0x80) === 0 ? unsigned : unsigned - (1n << BigInt(8 * bytes.length));
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

/**
 * The first delivery's timestamp, carried from hop to hop: Spring reads it as
 * `new BigInteger(bytes).longValue()`, whatever the length.
 */
export function originalTimestampOf(headers: readonly RecordHeader[], fallback: number): number {
  const h = lastHeader(headers, RetryTopicHeaders.ORIGINAL_TIMESTAMP);
  return h === undefined || h === null || h.length === 0 ? fallback : Number(readBigInteger(h));
}

/**
 * The headers of a record sent on to a retry topic or the DLT, as Spring's
 * DeadLetterPublishingRecovererFactory writes them: the original timestamp and the due time as
 * `BigInteger.toByteArray()`, the attempt as a 4-byte int.
 */
export function retryHeaders(attempt: number, originalTimestampMs: number, dueMs: number | undefined): RecordHeader[] {
  const attempts = Buffer.alloc(4);
  attempts.writeInt32BE(attempt);
  const out: RecordHeader[] = [
    { key: RetryTopicHeaders.ORIGINAL_TIMESTAMP, value: bigIntegerBytes(BigInt(originalTimestampMs)) },
    { key: RetryTopicHeaders.ATTEMPTS, value: attempts },
  ];
  if (dueMs !== undefined)
    out.push({ key: RetryTopicHeaders.BACKOFF_TIMESTAMP, value: bigIntegerBytes(BigInt(dueMs)) });
  return out;
}
