import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Record } from '../processor/record.js';
import type { Serde } from '../serde/serde.js';
import { WindowedSerdes } from '../serde/windowed-serdes.js';
import type { KeyValueStoreBuilder } from '../state/stores.js';
import type { Change } from './change.js';
import { type GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import { copartition } from './join-support.js';
import type { Aggregator, Initializer } from './kgrouped-stream.js';
import { KStreamAggregateProcessor } from './kstream-aggregate-processor.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import { createRepartitionedSource } from './repartition.js';
import { TimeWindowedAggregateProcessor } from './time-window-aggregate-processor.js';
import { timeWindowRetentionMs, timeWindowStoreBuilder } from './time-windowed-kstream.js';
import type { TimeWindows, Windowed } from './time-windows.js';
import { recordWindowGrace } from './window-grace.js';

const AGGREGATE_NAME = 'COGROUPKSTREAM-AGGREGATE-';
const MERGE_NAME = 'COGROUPKSTREAM-MERGE-';

/** One grouped stream of a cogroup and the aggregator its records go through. */
interface CogroupPattern<K, VOut> {
  readonly source: GroupedStreamSource<K, unknown>;
  readonly aggregator: Aggregator<K, unknown, VOut>;
}

/**
 * Kafka Streams' `CogroupedKStream` (KIP-150): several grouped streams with the same key, each
 * with its own aggregator, updating one aggregate per key in one store. Each stream gets its own
 * aggregation processor (`COGROUPKSTREAM-AGGREGATE-…`, repartitioned first if its key changed)
 * and all of them feed one pass-through node (`COGROUPKSTREAM-MERGE-…`) that the resulting
 * KTable is named after, as in Java. The streams' topics must be co-partitioned.
 */
export class CogroupedKStream<K, VOut> {
  private readonly patterns: CogroupPattern<K, VOut>[] = [];

  /** Use `KGroupedStream.cogroup(aggregator)`. */
  constructor(first: GroupedStreamSource<K, unknown>, aggregator: Aggregator<K, unknown, VOut>) {
    this.patterns.push({ source: first, aggregator });
  }

  /** Adds another grouped stream and its aggregator (Java's `cogroup(groupedStream, aggregator)`). */
  cogroup<V>(
    groupedStream: { readonly groupedSource: GroupedStreamSource<K, V> },
    aggregator: Aggregator<K, V, VOut>,
  ): this {
    const source = groupedStream.groupedSource as GroupedStreamSource<K, unknown>;
    if (this.patterns.some((p) => p.source === source)) {
      throw new Error('IllegalArgumentException: a grouped stream can be cogrouped only once');
    }
    this.patterns.push({ source, aggregator: aggregator as Aggregator<K, unknown, VOut> });
    return this;
  }

  /** The cogrouped aggregation per key into a KTable, starting each key from `initializer()`. */
  aggregate(
    initializer: Initializer<VOut>,
    namedOrMaterialized?: Named | Materialized<K, VOut>,
    materialized?: Materialized<K, VOut>,
  ): KTable<K, VOut> {
    const [named, mat] = splitArgs(namedOrMaterialized, materialized);
    const builder = this.builder;
    const storeName = mat?.storeName ?? builder.newStoreName(AGGREGATE_NAME);
    const keySerde = mat?.keySerde ?? this.keySerde;
    const storeBuilder = builder.storeBuilder<K, VOut>(mat, storeName, keySerde, mat?.valueSerde);
    // Java's default, as for the other aggregations: the record cache collapses a key's updates.
    if (mat?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    const merge = this.build(named, storeName, storeBuilder, (aggregator) => {
      return () =>
        new KStreamAggregateProcessor<K, unknown, VOut>(storeName, (key, value, old) =>
          aggregator(key, value, old ?? initializer()),
        );
    });
    return new KTable<K, VOut>(builder, merge, storeName, storeBuilder.keySerde, storeBuilder.valueSerde);
  }

  /** Cogrouped aggregations per time window from here on (Java's `windowedBy(TimeWindows)`). */
  windowedBy(windows: TimeWindows): TimeWindowedCogroupedKStream<K, VOut> {
    return new TimeWindowedCogroupedKStream(this, windows);
  }

  /** The builder the grouped streams belong to. */
  get builder(): InternalStreamsBuilder {
    return (this.patterns[0] as CogroupPattern<K, VOut>).source.builder;
  }

  /** The first grouped stream's key serde (Java takes the cogroup's key serde from it). */
  get keySerde(): Serde<K> | undefined {
    return this.patterns[0]?.source.keySerde;
  }

  /**
   * Adds, in Java's order, the repartition nodes of the streams whose key changed, one
   * aggregation processor per stream on the shared store, and the merge node; returns its name.
   */
  build(
    named: Named | undefined,
    storeName: string,
    storeBuilder: KeyValueStoreBuilder<K, VOut>,
    processorFor: (
      aggregator: Aggregator<K, unknown, VOut>,
    ) => () => Processor<K, unknown, K | Windowed<K>, Change<VOut>>,
    graceMs?: number,
  ): string {
    const builder = this.builder;
    const parents = this.patterns.map(({ source }) =>
      source.repartitionRequired
        ? createRepartitionedSource(
            builder,
            source.keySerde as Serde<unknown> | undefined,
            source.valueSerde,
            source.groupedName ?? storeName,
            source.nodeName,
          )
        : source.nodeName,
    );
    copartition(builder.topology, parents);
    const aggregators = this.patterns.map(({ aggregator }, i) => {
      const name = named === undefined ? builder.newProcessorName(AGGREGATE_NAME) : `${named.name}-cogroup-agg-${i}`;
      builder.topology.addProcessor(name, processorFor(aggregator), parents[i] as string);
      if (graceMs !== undefined) recordWindowGrace(builder.topology, name, graceMs);
      return name;
    });
    builder.topology.addStateStore(storeBuilder, ...aggregators);
    const merge = named === undefined ? builder.newProcessorName(MERGE_NAME) : `${named.name}-cogroup-merge`;
    builder.topology.addProcessor(merge, () => new PassThrough(), ...aggregators);
    return merge;
  }
}

/** Kafka Streams' `TimeWindowedCogroupedKStream`: the cogrouped aggregation per key and time window. */
export class TimeWindowedCogroupedKStream<K, VOut> {
  constructor(
    private readonly cogrouped: CogroupedKStream<K, VOut>,
    private readonly windows: TimeWindows,
  ) {}

  aggregate(
    initializer: Initializer<VOut>,
    namedOrMaterialized?: Named | Materialized<K, VOut>,
    materialized?: Materialized<K, VOut>,
  ): KTable<Windowed<K>, VOut> {
    const [named, mat] = splitArgs(namedOrMaterialized, materialized);
    const windows = this.windows;
    const builder = this.cogrouped.builder;
    const storeName = mat?.storeName ?? builder.newStoreName(AGGREGATE_NAME);
    const keySerde = mat?.keySerde ?? this.cogrouped.keySerde;
    const storeBuilder = timeWindowStoreBuilder(builder, mat, storeName, keySerde, mat?.valueSerde, windows);
    const merge = this.cogrouped.build(
      named,
      storeName,
      storeBuilder,
      (aggregator) => () =>
        new TimeWindowedAggregateProcessor<K, unknown, VOut>(
          storeName,
          windows,
          timeWindowRetentionMs(mat as Materialized<unknown, unknown> | undefined, windows, storeName),
          (key, value, old) => aggregator(key, value, old ?? initializer()),
        ),
      windows.gracePeriodMs(),
    );
    return new KTable<Windowed<K>, VOut>(
      builder,
      merge,
      storeName,
      keySerde === undefined ? undefined : WindowedSerdes.timeWindowedSerdeFrom(keySerde, windows.size()),
      storeBuilder.valueSerde,
    );
  }
}

/** Java's KTablePassThrough: the merge node forwards every aggregation's updates as they come. */
class PassThrough<K, V> implements Processor<K, V, K, V> {
  private context: ProcessorContext<K, V> | undefined;

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    this.context?.forward(record);
  }
}
