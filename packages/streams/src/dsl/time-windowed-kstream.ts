import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { Record } from '../processor/record.js';
import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { WindowedSerdes } from '../serde/windowed-serdes.js';
import { WindowStore } from '../state/window-store.js';
import { Change } from './change.js';
import { type GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { Aggregator, Initializer, Reducer } from './kgrouped-stream.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import { type TimeWindows, Windowed } from './time-windows.js';
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
  ) {}

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
    const storeBuilder = this.source.builder.storeBuilder<K, VA>(
      materialized,
      storeName,
      keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
    );
    storeBuilder.storeFactory = (inner, k, v, logging, topic) =>
      new WindowStore(inner, k, v, windows.size(), logging, topic) as unknown as WindowStore<unknown, unknown>;
    // Java's window changelogs: compacted and deleted, kept a day past the store's retention.
    const retentionMs = windows.size() + windows.gracePeriodMs();
    if (storeBuilder.loggingEnabled()) {
      storeBuilder.withLoggingEnabled({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(retentionMs + 86_400_000),
        ...storeBuilder.logConfigs(),
      });
    }
    // Java's default, as for the other aggregations: the record cache keeps each window's latest
    // aggregate until a commit (or eviction) writes it through and forwards it.
    if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    this.source.builder.topology.addProcessor(
      name,
      () => new TimeWindowedAggregateProcessor<K, V, VA>(storeName, windows, update),
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
 * Java's KStreamWindowAggregate: updates the record's windows that are still open. Without a
 * cache it forwards each Change itself; with one, the store's flush listener forwards a window's
 * latest Change when the cache writes it through.
 */
class TimeWindowedAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  private context: ProcessorContext<Windowed<K>, Change<VA>> | undefined;
  private store: WindowStore<K, VA> | undefined;
  private forwardsItself = true;
  private lastExpiry = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    private readonly update: (key: K, value: V, old: VA | null) => VA,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    const store = context.getStateStore<WindowStore<K, VA>>(this.storeName);
    this.store = store;
    this.forwardsItself = !store.setFlushListener((key, newValue, oldValue, timestamp, headers) =>
      context.forward(new Record(key, new Change(newValue as VA, oldValue), timestamp, headers)),
    );
  }

  process(record: Record<K, V>): void {
    const key = record.key();
    const value = record.value();
    if (key === null || key === undefined || value === null || value === undefined) return;
    const context = this.context as ProcessorContext<Windowed<K>, Change<VA>>;
    const store = this.store as WindowStore<K, VA>;
    const windows = this.windows;
    // Java closes a window once stream time passes its end plus the grace period.
    const closeTime = Math.max(context.currentStreamTimeMs(), record.timestamp()) - windows.gracePeriodMs();
    // Closed windows leave the store (Java drops expired segments; its changelog's retention
    // does the rest, so nothing is logged): checked once per window size of stream time.
    if (closeTime - this.lastExpiry >= windows.size()) {
      this.lastExpiry = closeTime;
      // Ended at or before closeTime: started at or before closeTime - size.
      store.expireWindowsStartingBefore(closeTime - windows.size() + 1);
    }
    for (const window of windows.windowsFor(record.timestamp())) {
      if (window.end() <= closeTime) continue;
      const windowed = new Windowed(key, window);
      const old = store.get(windowed);
      const next = this.update(key, value, old);
      store.put(windowed, next);
      if (this.forwardsItself) context.forward(record.withKey(windowed).withValue(new Change(next, old)));
    }
  }
}
