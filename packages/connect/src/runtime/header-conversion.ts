import type { ConnectHeader } from '../connector/connect-record.js';
import type { HeaderConverter } from '../converters/header-converter.js';
import { SimpleHeaderConverter } from '../converters/simple-header-converter.js';

const DEFAULT: HeaderConverter = new SimpleHeaderConverter();

/** A header as the client produces and consumes it. */
export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * A source record's headers to bytes with the connector's header converter (Kafka's
 * `WorkerSourceTask.convertHeaderFor`).
 */
export function fromConnectHeaders(
  converter: HeaderConverter | undefined,
  topic: string,
  headers: readonly ConnectHeader[] | undefined,
): KafkaHeader[] | undefined {
  if (headers === undefined || headers.length === 0) return undefined;
  return headers.map((h) => ({
    key: h.key,
    value: (converter ?? DEFAULT).fromConnectHeader(topic, h.key, h.schema ?? null, h.value),
  }));
}

/** A consumed record's header bytes to Connect headers (Kafka's `WorkerSinkTask.convertHeadersFor`). */
export function toConnectHeaders(
  converter: HeaderConverter | undefined,
  topic: string,
  headers: readonly KafkaHeader[],
): ConnectHeader[] {
  return headers.map((h) => {
    const { schema, value } = (converter ?? DEFAULT).toConnectHeader(topic, h.key, h.value);
    return { key: h.key, schema, value };
  });
}
