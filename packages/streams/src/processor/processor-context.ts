import type { Serde } from '../serde/serde.js';
import type { StateStore } from '../state/state-store.js';
import type { Cancellable, PunctuationType, Punctuator } from './punctuation-type.js';
import type { Record } from './record.js';
import type { TaskId } from './task-id.js';

/** Where the record being processed came from (Kafka's `RecordMetadata` of the processor API). */
export interface RecordMetadata {
  topic(): string;
  partition(): number;
  offset(): bigint;
}

/**
 * Kafka Streams' `api.ProcessorContext`: what a processor may do besides returning. `forward`
 * hands a record to all children (or the one named), synchronously and depth-first as in Java;
 * `schedule` registers a punctuator; `getStateStore` returns a store connected to this processor.
 */
export interface ProcessorContext<KForward = unknown, VForward = unknown> {
  applicationId(): string;
  taskId(): TaskId;
  recordMetadata(): RecordMetadata | null;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** The application's settings as given to `KafkaStreams` (Java's `appConfigs()`). */
  appConfigs(): Readonly<{ [key: string]: unknown }>;
  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void;
  schedule(intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable;
  getStateStore<S extends StateStore>(name: string): S;
  /** The application's default key serde (`default.key.serde`), as Java's `keySerde()`. */
  keySerde(): Serde<unknown>;
  /** The application's default value serde (`default.value.serde`). */
  valueSerde(): Serde<unknown>;
  /** Asks for a commit soon (Java's `context.commit()`), rather than at `commit.interval.ms`. */
  commit(): void;
}
