import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStoreSupplier } from '../state/stores.js';

interface MaterializedFields<K, V> {
  readonly storeName: string | undefined;
  readonly storeSupplier: KeyValueBytesStoreSupplier | undefined;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
  readonly loggingEnabled: boolean;
  readonly topicConfig: { readonly [key: string]: string };
  readonly cachingEnabled: boolean;
  readonly retentionMs: number | undefined;
}

/**
 * Kafka Streams' `Materialized`: the store behind a table — its name (`Materialized.as`), a store
 * supplier (`Stores.inMemoryKeyValueStore(...)`), serdes, changelog settings, caching and (window
 * stores) retention. Without a supplier the store is persistent (SQLite here, RocksDB in Java),
 * Java's default.
 */
export class Materialized<K, V> implements MaterializedFields<K, V> {
  readonly storeName: string | undefined;
  readonly storeSupplier: KeyValueBytesStoreSupplier | undefined;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
  readonly loggingEnabled: boolean;
  readonly topicConfig: { readonly [key: string]: string };
  readonly cachingEnabled: boolean;
  /** How long a window or session store keeps windows (`withRetention`); undefined: Java's default per window type. */
  readonly retentionMs: number | undefined;

  private constructor(fields: MaterializedFields<K, V>) {
    this.storeName = fields.storeName;
    this.storeSupplier = fields.storeSupplier;
    this.keySerde = fields.keySerde;
    this.valueSerde = fields.valueSerde;
    this.loggingEnabled = fields.loggingEnabled;
    this.topicConfig = fields.topicConfig;
    this.cachingEnabled = fields.cachingEnabled;
    this.retentionMs = fields.retentionMs;
  }

  private static readonly DEFAULTS = {
    storeName: undefined,
    storeSupplier: undefined,
    keySerde: undefined,
    valueSerde: undefined,
    loggingEnabled: true,
    topicConfig: {},
    cachingEnabled: true,
    retentionMs: undefined,
  } as const;

  static as<K = never, V = never>(storeNameOrSupplier: string | KeyValueBytesStoreSupplier): Materialized<K, V> {
    return typeof storeNameOrSupplier === 'string'
      ? new Materialized<K, V>({ ...Materialized.DEFAULTS, storeName: storeNameOrSupplier })
      : new Materialized<K, V>({
          ...Materialized.DEFAULTS,
          storeName: storeNameOrSupplier.name(),
          storeSupplier: storeNameOrSupplier,
        });
  }

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Materialized<K, V> {
    return new Materialized<K, V>({ ...Materialized.DEFAULTS, keySerde, valueSerde });
  }

  private copy(changes: Partial<MaterializedFields<K, V>>): Materialized<K, V> {
    return new Materialized<K, V>({ ...this, ...changes });
  }

  withKeySerde(keySerde: Serde<K>): Materialized<K, V> {
    return this.copy({ keySerde });
  }

  withValueSerde(valueSerde: Serde<V>): Materialized<K, V> {
    return this.copy({ valueSerde });
  }

  withLoggingEnabled(config: { readonly [key: string]: string } = {}): Materialized<K, V> {
    return this.copy({ loggingEnabled: true, topicConfig: { ...config } });
  }

  withLoggingDisabled(): Materialized<K, V> {
    return this.copy({ loggingEnabled: false, topicConfig: {} });
  }

  /** Every update goes downstream at once (no record cache in front of this store). */
  withCachingDisabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: false });
  }

  /** The default: updates of a key between commits are deduplicated by the record cache. */
  withCachingEnabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: true });
  }

  /**
   * How long a window or session store keeps what it holds (Java's `withRetention`): closed windows
   * and sessions stay queryable until then. At least Java's default, which is the window size plus
   * the grace period for time windows, the inactivity gap plus grace for sessions and 2 × the time
   * difference plus grace for sliding windows.
   */
  withRetention(retentionMs: number): Materialized<K, V> {
    if (!(retentionMs >= 0)) throw new RangeError('IllegalArgumentException: Retention must not be negative.');
    return this.copy({ retentionMs });
  }
}

/**
 * A window or session store's retention: `Materialized.withRetention`, else Java's default (also
 * the minimum); less is refused with Java's IllegalArgumentException text, which names the store
 * and explains the minimum (`requirement`, e.g. "its window size plus the grace period. Got …").
 */
export function retentionOrDefault(
  materialized: Materialized<unknown, unknown> | undefined,
  minimumMs: number,
  store: string,
  requirement: (retentionMs: number) => string,
): number {
  const retentionMs = materialized?.retentionMs ?? minimumMs;
  if (retentionMs < minimumMs) {
    throw new RangeError(
      `IllegalArgumentException: The retention period of the ${store} must be no smaller than ${requirement(retentionMs)}`,
    );
  }
  return retentionMs;
}
