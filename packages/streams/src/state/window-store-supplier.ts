import type { KeyValueBytesStore } from './bytes-store.js';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';

/** Kafka Streams' `KeyValueBytesStoreSupplier` shape (declared here too: stores.ts imports this file). */
interface BytesStoreSupplier {
  name(): string;
  get(): KeyValueBytesStore;
}

/**
 * Kafka Streams' `WindowBytesStoreSupplier`: a byte store plus the window store's retention,
 * window size and whether it keeps duplicates (join stores do: two records with the same key and
 * timestamp are both kept, told apart by a sequence number).
 */
export interface WindowBytesStoreSupplier extends BytesStoreSupplier {
  retentionPeriod(): number;
  windowSize(): number;
  retainDuplicates(): boolean;
  /** SQLite-backed (Java: RocksDB) rather than in memory. */
  readonly persistent: boolean;
}

export function windowStoreSupplier(
  name: string,
  retentionPeriodMs: number,
  windowSizeMs: number,
  retainDuplicates: boolean,
  persistent: boolean,
): WindowBytesStoreSupplier {
  if (retentionPeriodMs < windowSizeMs) {
    throw new RangeError(
      `The retention period of the window store ${name} must be no smaller than its window size. Got size=[${windowSizeMs}], retention=[${retentionPeriodMs}]`,
    );
  }
  return {
    name: () => name,
    get: (): KeyValueBytesStore => (persistent ? new SqliteKeyValueStore(name) : new InMemoryKeyValueStore(name)),
    retentionPeriod: () => retentionPeriodMs,
    windowSize: () => windowSizeMs,
    retainDuplicates: () => retainDuplicates,
    persistent,
  };
}
