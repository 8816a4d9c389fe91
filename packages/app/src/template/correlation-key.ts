import { randomUUID } from 'node:crypto';

/**
 * A new correlation id as Spring's `ReplyingKafkaTemplate` makes one: the 16 bytes of a random
 * UUID, most significant half first (Spring writes `putLong(msb).putLong(lsb)`), so that tools
 * decoding Spring's ids as UUIDs read ours the same way.
 */
export function newCorrelationId(): Buffer {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex');
}

/**
 * The key pending requests are filed under: the id's bytes in hex (Spring's `CorrelationKey`
 * compares bytes; a `Map` compares Buffers by identity, so it needs a string).
 */
export function correlationKeyOf(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
