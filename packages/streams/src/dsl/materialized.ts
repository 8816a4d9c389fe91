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
    );
  }

  withLoggingEnabled(config: { readonly [key: string]: string } = {}): Materialized<K, V> {
    return new Materialized(this.storeName, this.storeSupplier, this.keySerde, this.valueSerde, true, { ...config });
  }

  withLoggingDisabled(): Materialized<K, V> {
    return new Materialized(this.storeName, this.storeSupplier, this.keySerde, this.valueSerde, false, {});
  }

  /** Caching is not implemented (every update is forwarded); accepted for source compatibility. */
  withCachingDisabled(): Materialized<K, V> {
    return this;
  }

  withCachingEnabled(): Materialized<K, V> {
    return this;
  }
}
