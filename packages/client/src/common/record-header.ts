/**
 * A record header as stored in a batch and delivered to consumers: key text and value bytes (or
 * null). Shared by the producer (what `send` normalizes headers to), the consumer and serdes.
 */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}
