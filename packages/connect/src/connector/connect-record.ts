import type { RecordMetadata } from '@samsa/client';
import type { Schema } from '../data/schema.js';

/**
 * A header on a Connect record: a Connect value with its schema (none when unknown), converted
 * to and from the header's bytes by the connector's `header.converter`.
 */
export interface ConnectHeader {
  readonly key: string;
  readonly schema?: Schema | null;
  readonly value: unknown;
}

/**
 * A record a source task produces. `sourcePartition` names where it came from (`{filename}` for
 * the file source) and `sourceOffset` how far that source had been read once this record is
 * written (`{position}`); the worker stores the offset of every acknowledged record and gives the
 * last one back to the task on restart. Both must be JSON-serializable.
 */
export interface SourceRecord {
  readonly sourcePartition: Readonly<Record<string, unknown>> | null;
  readonly sourceOffset: Readonly<Record<string, unknown>> | null;
  readonly topic: string;
  readonly kafkaPartition?: number | null;
  readonly keySchema?: Schema | null;
  readonly key?: unknown;
  readonly valueSchema?: Schema | null;
  readonly value: unknown;
  readonly timestamp?: number | null;
  readonly headers?: readonly ConnectHeader[];
}

/** A record delivered to a sink task, converted from the consumed bytes. */
export interface SinkRecord {
  readonly topic: string;
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly headers: readonly ConnectHeader[];
}

/** Kafka's `TopicPartition` → next offset to consume, as handed to `SinkTask.flush`/`preCommit`. */
export type SinkOffsets = Map<string, { readonly topic: string; readonly partition: number; readonly offset: bigint }>;

export type { RecordMetadata };
