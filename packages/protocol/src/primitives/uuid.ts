import { randomBytes } from 'node:crypto';

/** Kafka's all-zero UUID (`Uuid.ZERO_UUID`), meaning "no topic ID". */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/**
 * A random Kafka UUID in Kafka's rendering (URL-safe base64, 22 characters). Like Kafka's
 * `Uuid.randomUuid()`, it never returns the zero UUID nor one whose rendering starts with '-',
 * which would read as a command-line flag.
 */
export function randomUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    // RFC 4122 version 4 bits, as java.util.UUID.randomUUID sets them.
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    const text = bytes.toString('base64url');
    if (text !== ZERO_UUID && !text.startsWith('-')) return text;
  }
}
