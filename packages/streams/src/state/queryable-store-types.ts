import type { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import type { KeyValueStore } from './key-value-store.js';
import type { ReadOnlySessionStore } from './read-only-session-store.js';
import type { ReadOnlyWindowStore } from './read-only-window-store.js';

/** Kafka Streams' `InvalidStateStoreException`: the store cannot be queried now (not running, rebalancing, unknown). */
export class InvalidStateStoreException extends Error {
  override readonly name = 'InvalidStateStoreException';
}

/**
 * Kafka Streams' `ReadOnlyKeyValueStore`: what interactive queries see of a key-value store
 * across this instance's tasks. A key lives in one task (one partition), so `get` asks each
 * task's store until one has it; `all`/`range` merge them in key byte order.
 */
export class ReadOnlyKeyValueStore<K, V> {
  constructor(private readonly stores: () => readonly KeyValueStore<K, V>[]) {}

  get(key: K): V | null {
    for (const store of this.stores()) {
      const value = store.get(key);
      if (value !== null) return value;
    }
    return null;
  }

  all(): KeyValueIterator<K, V> {
    return this.merge((s) => s.all());
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.merge((s) => s.range(from, to));
  }

  approximateNumEntries(): number {
    return this.stores().reduce((n, s) => n + s.approximateNumEntries(), 0);
  }

  private merge(read: (store: KeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    const entries: { kv: KeyValue<K, V>; bytes: Buffer }[] = [];
    for (const store of this.stores()) {
      for (const kv of read(store)) entries.push({ kv, bytes: Buffer.from(store.serializedKey(kv.key)) });
    }
    entries.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    return new KeyValueIterator(entries.map((e) => e.kv));
  }
}

/** Kafka Streams' `QueryableStoreTypes`: which read-only view `KafkaStreams.store` returns. */
export const QueryableStoreTypes = {
  keyValueStore: <K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> => ({ kind: 'keyValue' }),
  /** A time- or sliding-windowed aggregation's store (values without their timestamps, as Java's facade). */
  windowStore: <K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> => ({ kind: 'window' }),
  sessionStore: <K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> => ({ kind: 'session' }),
} as const;

export interface QueryableStoreType<T> {
  readonly kind: 'keyValue' | 'window' | 'session';
  /** Carries the view's type to `KafkaStreams.store` (never set). */
  readonly view?: T;
}

/** Kafka Streams' `StoreQueryParameters`. */
export class StoreQueryParameters<T> {
  private constructor(
    readonly storeName: string,
    readonly queryableStoreType: QueryableStoreType<T>,
  ) {}

  static fromNameAndType<T>(storeName: string, type: QueryableStoreType<T>): StoreQueryParameters<T> {
    return new StoreQueryParameters(storeName, type);
  }
}
