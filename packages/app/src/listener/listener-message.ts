import type { ConsumerRecord, RecordHeader } from '@samsa/client';
import { KafkaHeaders } from '../support/kafka-headers.js';

/**
 * Spring's `MessageHeaders` for a record: the `kafka_received*` entries (what `@Header(...)`
 * reads in Java) plus the record's own headers by key (last value wins, as raw bytes).
 */
export type MessageHeaders = Readonly<Record<string, unknown>>;

/** A record or batch as error handlers see it (Spring's `Message<?>`: payload + headers). */
export interface ListenerMessage<P = unknown> {
  readonly payload: P;
  readonly headers: MessageHeaders;
}

export function recordHeaders(
  record: ConsumerRecord<unknown, unknown>,
  groupId: string | null,
  deliveryAttempt: number,
): MessageHeaders {
  const headers: Record<string, unknown> = {};
  for (const h of record.headers) headers[h.key] = h.value;
  headers[KafkaHeaders.RECEIVED_TOPIC] = record.topic;
  headers[KafkaHeaders.RECEIVED_PARTITION] = record.partition;
  headers[KafkaHeaders.OFFSET] = record.offset;
  headers[KafkaHeaders.RECEIVED_KEY] = record.key;
  headers[KafkaHeaders.RECEIVED_TIMESTAMP] = record.timestamp;
  headers[KafkaHeaders.TIMESTAMP_TYPE] = record.timestampType === 'CreateTime' ? 'CREATE_TIME' : 'LOG_APPEND_TIME';
  if (groupId !== null) headers[KafkaHeaders.GROUP_ID] = groupId;
  headers[KafkaHeaders.DELIVERY_ATTEMPT] = deliveryAttempt;
  return headers;
}

/** For a batch, each `kafka_received*` entry is a list, one element per record (Spring's batch headers). */
export function batchHeaders(
  records: readonly ConsumerRecord<unknown, unknown>[],
  groupId: string | null,
): MessageHeaders {
  const headers: Record<string, unknown> = {
    [KafkaHeaders.RECEIVED_TOPIC]: records.map((r) => r.topic),
    [KafkaHeaders.RECEIVED_PARTITION]: records.map((r) => r.partition),
    [KafkaHeaders.OFFSET]: records.map((r) => r.offset),
    [KafkaHeaders.RECEIVED_KEY]: records.map((r) => r.key),
    [KafkaHeaders.RECEIVED_TIMESTAMP]: records.map((r) => r.timestamp),
  };
  if (groupId !== null) headers[KafkaHeaders.GROUP_ID] = groupId;
  return headers;
}

/** The last header with `key`, as Kafka's `Headers.lastHeader`. */
export function lastHeader(headers: readonly RecordHeader[], key: string): Buffer | null | undefined {
  for (let i = headers.length - 1; i >= 0; i--) {
    const h = headers[i];
    if (h !== undefined && h.key === key) return h.value;
  }
  return undefined;
}
