import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStoreSupplier } from '../state/stores.js';

/**
 * Kafka Streams' `Materialized`: the store behind a table — its name (`Materialized.as`), a store
 * supplier (`Stores.inMemoryKeyValueStore(...)`), serdes and changelog settings. Without a
 * supplier the store is persistent (SQLite here, RocksDB in Java), Java's default.
 */
export class Materialized<K, V> {
  private constructor(
    readonly storeName: string | undefined,
    readonly storeSupplier: KeyValueBytesStoreSupplier | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly loggingEnabled: boolean,
    readonly topicConfig: { readonly [key: string]: string },
    readonly cachingEnabled = true,
  ) {}

  static as<K = never, V = never>(storeNameOrSupplier: string | KeyValueBytesStoreSupplier): Materialized<K, V> {
    return typeof storeNameOrSupplier === 'string'
      ? new Materialized<K, V>(storeNameOrSupplier, undefined, undefined, undefined, true, {})
      : new Materialized<K, V>(storeNameOrSupplier.name(), storeNameOrSupplier, undefined, undefined, true, {});
  }

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Materialized<K, V> {
    return new Materialized(undefined, undefined, keySerde, valueSerde, true, {});
  }

  withKeySerde(keySerde: Serde<K>): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      this.storeSupplier,
      keySerde,
      this.valueSerde,
      this.loggingEnabled,
      this.topicConfig,
      this.cachingEnabled,
    );
  }

  withValueSerde(valueSerde: Serde<V>): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      this.storeSupplier,
      this.keySerde,
      valueSerde,
      this.loggingEnabled,
      this.topicConfig,
      this.cachingEnabled,
    );
  }

  withLoggingEnabled(config: { readonly [key: string]: string } = {}): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      this.storeSupplier,
      this.keySerde,
      this.valueSerde,
      true,
      { ...config },
      this.cachingEnabled,
    );
  }

  withLoggingDisabled(): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      this.storeSupplier,
      this.keySerde,
      this.valueSerde,
      false,
      {},
      this.cachingEnabled,
    );
  }

  /** Every update goes downstream at once (no record cache in front of this store). */
  withCachingDisabled(): Materialized<K, V> {
    return this.withCaching(false);
  }

  /** The default: updates of a key between commits are deduplicated by the record cache. */
  withCachingEnabled(): Materialized<K, V> {
    return this.withCaching(true);
  }

  private withCaching(enabled: boolean): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      this.storeSupplier,
      this.keySerde,
      this.valueSerde,
      this.loggingEnabled,
      this.topicConfig,
      enabled,
    );
  }
}
