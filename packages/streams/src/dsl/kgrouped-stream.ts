import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { CogroupedKStream } from './cogrouped-kstream.js';
import { GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import { KStreamAggregateProcessor } from './kstream-aggregate-processor.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import { SessionWindowedKStream } from './session-windowed-kstream.js';
import { SessionWindows } from './session-windows.js';
import { SlidingWindowedKStream } from './sliding-windowed-kstream.js';
import { SlidingWindows } from './sliding-windows.js';
import { TimeWindowedKStream } from './time-windowed-kstream.js';
import type { TimeWindows } from './time-windows.js';

export type Initializer<VA> = () => VA;
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
export type Reducer<V> = (value1: V, value2: V) => V;

/**
 * Kafka Streams' `KGroupedStream`: a stream grouped by key, ready to aggregate into a KTable.
 * Each aggregation keeps its result per key in a store (logged to its changelog) and forwards
 * every update. Records with a null key or value are skipped, as Java skips them.
 */
export class KGroupedStream<K, V> {
  private readonly source: GroupedStreamSource<K, V>;

  constructor(
    builder: InternalStreamsBuilder,
    nodeName: string,
    groupedName: string | undefined,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    repartitionRequired: boolean,
  ) {
    this.source = new GroupedStreamSource(builder, nodeName, groupedName, keySerde, valueSerde, repartitionRequired);
  }

  /** What this grouped stream's aggregations start from (a cogroup reads it). */
  get groupedSource(): GroupedStreamSource<K, V> {
    return this.source;
  }

  /**
   * Starts a cogroup (KIP-150): this stream's records update a shared aggregate per key with
   * `aggregator`; add more grouped streams with `cogroup(other, aggregator)`, then `aggregate`.
   */
  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut> {
    return new CogroupedKStream<K, VOut>(
      this.source as GroupedStreamSource<K, unknown>,
      aggregator as Aggregator<K, unknown, VOut>,
    );
  }

  /** Aggregations per time, sliding or session window from here on (Java's `windowedBy`). */
  windowedBy(windows: TimeWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SlidingWindows): SlidingWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(
    windows: TimeWindows | SlidingWindows | SessionWindows,
  ): TimeWindowedKStream<K, V> | SlidingWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStream(this.source, windows);
    if (windows instanceof SlidingWindows) return new SlidingWindowedKStream(this.source, windows);
    return new TimeWindowedKStream(this.source, windows);
  }

  count(
    materializedOrNamed?: Materialized<K, bigint> | Named,
    materialized?: Materialized<K, bigint>,
  ): KTable<K, bigint> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<bigint>(
      'KSTREAM-AGGREGATE-',
      named,
      mat,
      Serdes.Long(),
      (_key, _value, old) => (old ?? 0n) + 1n,
    );
  }

  reduce(
    reducer: Reducer<V>,
    materializedOrNamed?: Materialized<K, V> | Named,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<V>('KSTREAM-REDUCE-', named, mat, this.source.valueSerde, (_key, value, old) =>
      old === null ? value : reducer(old, value),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materializedOrNamed?: Materialized<K, VA> | Named,
    materialized?: Materialized<K, VA>,
  ): KTable<K, VA> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<VA>('KSTREAM-AGGREGATE-', named, mat, undefined, (key, value, old) =>
      aggregator(key, value, old ?? initializer()),
    );
  }

  /**
   * The order of generated names is Java's: the store, the aggregation processor, then the
   * repartition nodes (named after the Grouped name, else the store).
   */
  private doAggregate<VA>(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, VA> | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    update: (key: K, value: V, old: VA | null) => VA,
  ): KTable<K, VA> {
    const { storeName, name, parent } = this.source.aggregation(prefix, named, materialized);
    const storeBuilder = this.source.builder.storeBuilder<K, VA>(
      materialized,
      storeName,
      this.source.keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
    );
    // Java's default: the record cache dedupes updates of a key between commits (Materialized
    // withCachingDisabled, or statestore.cache.max.bytes=0, forwards every update).
    if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    this.source.builder.topology.addProcessor(
      name,
      () => new KStreamAggregateProcessor<K, V, VA>(storeName, update),
      parent,
    );
    this.source.builder.topology.addStateStore(storeBuilder, name);
    return new KTable<K, VA>(this.source.builder, name, storeName, storeBuilder.keySerde, storeBuilder.valueSerde);
  }
}
