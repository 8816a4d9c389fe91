import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { WindowedSerdes } from '../serde/windowed-serdes.js';
import type { KeyValueStoreBuilder } from '../state/stores.js';
import { WindowStore } from '../state/window-store.js';
import { EmitStrategy } from './emit-strategy.js';
import { type GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { Aggregator, Initializer, Reducer } from './kgrouped-stream.js';
import { KTable } from './ktable.js';
import { type Materialized, retentionOrDefault } from './materialized.js';
import type { Named } from './named.js';
import { TimeWindowedAggregateProcessor } from './time-window-aggregate-processor.js';
import type { TimeWindows, Windowed } from './time-windows.js';
import { recordWindowGrace } from './window-grace.js';

/**
 * Kafka Streams' `TimeWindowedKStream` (`groupByKey().windowedBy(TimeWindows…)`): aggregations
 * per key and time window into a `KTable<Windowed<K>, V>`. The store is keyed as Java's window
 * stores are (key, window start, sequence number), so its changelog carries Java's bytes; the
 * table's key serde is `WindowedSerdes.timeWindowedSerdeFrom(keySerde, size)` when the key serde
 * is known. Records later than their window's end plus the grace period are dropped.
 */
export class TimeWindowedKStream<K, V> {
  constructor(
    private readonly source: GroupedStreamSource<K, V>,
    private readonly windows: TimeWindows,
    private readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /**
   * When the aggregation emits (KIP-825): `EmitStrategy.onWindowClose()` sends each window's final
   * result once it closes, and nothing before; `onWindowUpdate()` (the default) every update.
   */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStream(this.source, this.windows, strategy);
  }

  count(
    materializedOrNamed?: Materialized<K, bigint> | Named,
    materialized?: Materialized<K, bigint>,
  ): KTable<Windowed<K>, bigint> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<bigint>('KSTREAM-AGGREGATE-', named, mat, Serdes.Long(), (_k, _v, old) => (old ?? 0n) + 1n);
  }

  reduce(
    reducer: Reducer<V>,
    materializedOrNamed?: Materialized<K, V> | Named,
    materialized?: Materialized<K, V>,
  ): KTable<Windowed<K>, V> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<V>('KSTREAM-REDUCE-', named, mat, this.source.valueSerde, (_k, v, old) =>
      old === null ? v : reducer(old, v),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materializedOrNamed?: Materialized<K, VA> | Named,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<VA>('KSTREAM-AGGREGATE-', named, mat, undefined, (k, v, old) =>
      aggregator(k, v, old ?? initializer()),
    );
  }

  private doAggregate<VA>(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, VA> | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    update: (key: K, value: V, old: VA | null) => VA,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const { storeName, name, parent } = this.source.aggregation(prefix, named, materialized);
    const keySerde = materialized?.keySerde ?? this.source.keySerde;
    const storeBuilder = timeWindowStoreBuilder(
      this.source.builder,
      materialized,
      storeName,
      keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
      windows,
    );
    this.source.builder.topology.addProcessor(
      name,
      () =>
        new TimeWindowedAggregateProcessor<K, V, VA>(
          storeName,
          windows,
          timeWindowRetentionMs(materialized as Materialized<unknown, unknown> | undefined, windows, storeName),
          update,
          this.strategy,
        ),
      parent,
    );
    this.source.builder.topology.addStateStore(storeBuilder, name);
    recordWindowGrace(this.source.builder.topology, name, windows.gracePeriodMs());
    return new KTable<Windowed<K>, VA>(
      this.source.builder,
      name,
      storeName,
      keySerde === undefined ? undefined : WindowedSerdes.timeWindowedSerdeFrom(keySerde, windows.size()),
      storeBuilder.valueSerde,
    );
  }
}

/**
 * How long a time-window store keeps a window after its start: `Materialized.withRetention`, else
 * the window size plus the grace period (Java's default); less than that is refused, as Java does.
 */
export function timeWindowRetentionMs(
  materialized: Materialized<unknown, unknown> | undefined,
  windows: TimeWindows,
  storeName: string,
): number {
  return retentionOrDefault(
    materialized,
    windows.size() + windows.gracePeriodMs(),
    `window store ${storeName}`,
    (retention) =>
      `its window size plus the grace period. Got size=[${windows.size()}], grace=[${windows.gracePeriodMs()}], ` +
      `retention=[${retention}]`,
  );
}

/**
 * The store of a time-windowed aggregation (plain or cogrouped): a WindowStore keyed as Java's,
 * its changelog compacted and deleted a day past the store's retention, as Java's window
 * changelogs, and cached unless `Materialized` says otherwise (Java's default).
 */
export function timeWindowStoreBuilder<K, VA>(
  builder: InternalStreamsBuilder,
  materialized: Materialized<K, VA> | undefined,
  storeName: string,
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<VA> | undefined,
  windows: TimeWindows,
): KeyValueStoreBuilder<K, VA> {
  const retentionMs = timeWindowRetentionMs(
    materialized as Materialized<unknown, unknown> | undefined,
    windows,
    storeName,
  );
  const storeBuilder = builder.storeBuilder<K, VA>(materialized, storeName, keySerde, valueSerde);
  storeBuilder.storeFactory = (inner, k, v, logging, topic) =>
    new WindowStore(inner, k, v, windows.size(), logging, topic) as unknown as WindowStore<unknown, unknown>;
  if (storeBuilder.loggingEnabled()) {
    storeBuilder.withLoggingEnabled({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(retentionMs + 86_400_000),
      ...storeBuilder.logConfigs(),
    });
  }
  if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
  return storeBuilder;
}
