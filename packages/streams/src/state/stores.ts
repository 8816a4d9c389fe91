import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.js';
import { KeyValueStore } from './key-value-store.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { windowStoreSupplier } from './window-store-supplier.js';

/** Kafka Streams' `KeyValueBytesStoreSupplier`: a name and a factory of byte stores. */
export interface KeyValueBytesStoreSupplier {
  name(): string;
  get(): KeyValueBytesStore;
}

/**
 * Kafka Streams' `StoreBuilder`: how a task makes its instance of a store. Logging (a compacted
 * `<application.id>-<store>-changelog` topic) is on by default, as in Java; `withLoggingEnabled`
 * takes topic configs for that changelog. Serdes left undefined are the application's defaults.
 */
export class KeyValueStoreBuilder<K, V> {
  private logging = true;
  private caching = false;
  private logConfig: { [key: string]: string } = {};
  /** Makes a store of another kind over the byte store (window and session stores, suppression buffers). */
  storeFactory: StoreFactory | undefined;

  constructor(
    readonly supplier: KeyValueBytesStoreSupplier,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}

  name(): string {
    return this.supplier.name();
  }

  loggingEnabled(): boolean {
    return this.logging;
  }

  logConfigs(): { [key: string]: string } {
    return this.logConfig;
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): this {
    this.logging = true;
    this.logConfig = { ...config };
    return this;
  }

  withLoggingDisabled(): this {
    this.logging = false;
    return this;
  }

  /**
   * Puts the record cache (`statestore.cache.max.bytes`) in front of the store. Off by default for
   * a store builder, as in Java; the DSL's stores have it on unless `Materialized` turns it off.
   * Only stores whose processor forwards through the cache's flush listener (the DSL's
   * aggregations) dedupe their downstream updates; for others it only buffers writes.
   */
  withCachingEnabled(): this {
    this.caching = true;
    return this;
  }

  withCachingDisabled(): this {
    this.caching = false;
    return this;
  }

  cachingEnabled(): boolean {
    return this.caching;
  }

  build(
    defaults: { keySerde: Serde<unknown>; valueSerde: Serde<unknown> },
    changelogTopic: string,
  ): KeyValueStore<K, V> {
    const keySerde = (this.keySerde ?? defaults.keySerde) as Serde<unknown>;
    const valueSerde = (this.valueSerde ?? defaults.valueSerde) as Serde<unknown>;
    if (this.storeFactory !== undefined) {
      return this.storeFactory(
        this.supplier.get(),
        keySerde,
        valueSerde,
        this.logging,
        changelogTopic,
      ) as KeyValueStore<K, V>;
    }
    return new KeyValueStore<K, V>(
      this.supplier.get(),
      keySerde as Serde<K>,
      this.valueSerde ?? (defaults.valueSerde as Serde<V>),
      this.logging,
      changelogTopic,
    );
  }
}

export type StoreFactory = (
  inner: KeyValueBytesStore,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
  loggingEnabled: boolean,
  changelogTopic: string,
) => KeyValueStore<unknown, unknown>;

/** Kafka Streams' `Stores` factory. `persistentKeyValueStore` is SQLite-backed (Java: RocksDB). */
export const Stores = {
  inMemoryKeyValueStore: (name: string): KeyValueBytesStoreSupplier => ({
    name: () => name,
    get: () => new InMemoryKeyValueStore(name),
  }),
  persistentKeyValueStore: (name: string): KeyValueBytesStoreSupplier => ({
    name: () => name,
    get: () => new SqliteKeyValueStore(name),
  }),
  /** Session stores keep Java's session key layout in a byte store (retention: see SessionWindowedKStream). */
  inMemorySessionStore: (name: string, _retentionPeriodMs?: number): KeyValueBytesStoreSupplier => ({
    name: () => name,
    get: () => new InMemoryKeyValueStore(name),
  }),
  persistentSessionStore: (name: string, _retentionPeriodMs?: number): KeyValueBytesStoreSupplier => ({
    name: () => name,
    get: () => new SqliteKeyValueStore(name),
  }),
  /** A window store (join stores retain duplicates), in memory; see `windowStoreSupplier`. */
  inMemoryWindowStore: (name: string, retentionPeriodMs: number, windowSizeMs: number, retainDuplicates: boolean) =>
    windowStoreSupplier(name, retentionPeriodMs, windowSizeMs, retainDuplicates, false),
  /** A window store on SQLite (Java: RocksDB). */
  persistentWindowStore: (name: string, retentionPeriodMs: number, windowSizeMs: number, retainDuplicates: boolean) =>
    windowStoreSupplier(name, retentionPeriodMs, windowSizeMs, retainDuplicates, true),
  keyValueStoreBuilder: <K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde?: Serde<K>,
    valueSerde?: Serde<V>,
  ): KeyValueStoreBuilder<K, V> => new KeyValueStoreBuilder(supplier, keySerde, valueSerde),
} as const;
