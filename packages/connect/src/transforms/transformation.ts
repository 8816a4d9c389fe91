import type { ConfigDef } from '../config/config-def.js';
import type { ConnectHeader } from '../connector/connect-record.js';
import type { Schema } from '../data/schema.js';

/**
 * What a transformation sees of a record: the fields SourceRecord and SinkRecord share. A
 * transformation returns a new record built with `{ ...record, … }`, so the source- or sink-only
 * fields (`sourceOffset`, `kafkaOffset`…) pass through unchanged.
 */
export interface ConnectRecord {
  readonly topic: string;
  readonly kafkaPartition?: number | null;
  readonly keySchema?: Schema | null;
  readonly key?: unknown;
  readonly valueSchema?: Schema | null;
  readonly value: unknown;
  readonly timestamp?: number | null;
  readonly headers?: readonly ConnectHeader[];
  /** Set on sink records only. */
  readonly kafkaOffset?: bigint;
}

/**
 * Kafka's Transformation (a single message transform): `configure` gets the settings under
 * `transforms.<alias>.` with that prefix removed; `apply` returns the new record or null to drop it.
 */
export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  configure(props: Readonly<Record<string, string>>): void;
  apply(record: R): R | null;
  config(): ConfigDef;
  close(): void;
}

/** Kafka's Predicate, for `transforms.<alias>.predicate`; configured with `predicates.<alias>.*`. */
export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(props: Readonly<Record<string, string>>): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close(): void;
}
