import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { Record } from '../processor/record.js';
import { StreamsException } from '../processor/topology-exception.js';
import { ChangedSerde } from '../serde/changed-serde.js';
import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { Change } from './change.js';
import type { Grouped } from './grouped.js';
import { splitArgs } from './grouped-stream-source.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { Aggregator, Initializer, Reducer } from './kgrouped-stream.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';

/**
 * Kafka Streams' `KGroupedTable` (`table.groupBy(selector)`): a table re-keyed through a
 * repartition topic `<store or Grouped name>-repartition` whose values are Java's Change bytes
 * (ChangedSerializer). Each update of the source table arrives as its new value (to add) and the
 * value it replaced (to subtract), so the aggregate follows the table, not the stream of
 * updates: count, reduce(adder, subtractor), aggregate(initializer, adder, subtractor).
 */
export class KGroupedTable<K, V> {
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly selectName: string,
    private readonly grouped: Grouped<K, V> | undefined,
  ) {}

  count(
    materializedOrNamed?: Materialized<K, bigint> | Named,
    materialized?: Materialized<K, bigint>,
  ): KTable<K, bigint> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<bigint>('KTABLE-AGGREGATE-', named, mat, Serdes.Long(), (old, change) => {
      let agg = old;
      if (change.oldValue !== null && agg !== null) agg -= 1n;
      if (change.newValue !== null) agg = (agg ?? 0n) + 1n;
      return agg;
    });
  }

  reduce(
    adder: Reducer<V>,
    subtractor: Reducer<V>,
    materializedOrNamed?: Materialized<K, V> | Named,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<V>('KTABLE-REDUCE-', named, mat, this.grouped?.valueSerde, (old, change) => {
      let agg = old;
      if (change.oldValue !== null && agg !== null) agg = subtractor(agg, change.oldValue);
      if (change.newValue !== null) agg = agg === null ? change.newValue : adder(agg, change.newValue);
      return agg;
    });
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    materializedOrNamed?: Materialized<K, VA> | Named,
    materialized?: Materialized<K, VA>,
  ): KTable<K, VA> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<VA>('KTABLE-AGGREGATE-', named, mat, undefined, (old, change, key) => {
      let agg = old;
      if (change.oldValue !== null && agg !== null) agg = subtractor(key, change.oldValue, agg);
      if (change.newValue !== null) agg = adder(key, change.newValue, agg ?? initializer());
      return agg;
    });
  }

  /** Java's order of generated names: the store, the repartition sink and source, then the aggregation. */
  private doAggregate<VA>(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, VA> | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    update: (old: VA | null, change: Change<V>, key: K) => VA | null,
  ): KTable<K, VA> {
    const builder = this.builder;
    const storeName = materialized?.storeName ?? builder.newStoreName(prefix);
    const sinkName = named === undefined ? builder.newProcessorName('KSTREAM-SINK-') : `${named.name}-sink`;
    const sourceName = named === undefined ? builder.newProcessorName('KSTREAM-SOURCE-') : `${named.name}-source`;
    const name = builder.nameOf(named, prefix);
    const topic = `${this.grouped?.name ?? storeName}-repartition`;
    const keySerde = this.grouped?.keySerde;
    const changed = new ChangedSerde<V>(this.grouped?.valueSerde);
    builder.topology.addSinkNode(sinkName, topic, keySerde?.serializer(), changed.serializer(), undefined, [
      this.selectName,
    ]);
    builder.topology.addSourceNode(sourceName, [topic], keySerde?.deserializer(), changed.deserializer());
    builder.topology.addInternalTopic(topic);
    const storeBuilder = builder.storeBuilder<K, VA>(
      materialized,
      storeName,
      keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
    );
    // Java's default, as for stream aggregations: the record cache collapses a key's updates
    // between commits (an update of a table often arrives as a subtract and an add).
    if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    builder.topology.addProcessor(name, () => new KTableAggregateProcessor<K, V, VA>(storeName, update), sourceName);
    builder.topology.addStateStore(storeBuilder, name);
    return new KTable<K, VA>(builder, name, storeName, storeBuilder.keySerde, storeBuilder.valueSerde);
  }
}

/**
 * Java's KTableAggregate/KTableReduce: applies a Change (subtract the old value, add the new one)
 * to the key's aggregate. Without a cache it forwards Change(new, old) itself; with one, the
 * store's flush listener forwards the key's latest Change when the cache writes it through.
 */
class KTableAggregateProcessor<K, V, VA> implements Processor<K, Change<V>, K, Change<VA>> {
  private context: ProcessorContext<K, Change<VA>> | undefined;
  private store: KeyValueStore<K, VA> | undefined;
  private forwardsItself = true;

  constructor(
    private readonly storeName: string,
    private readonly update: (old: VA | null, change: Change<V>, key: K) => VA | null,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.context = context;
    const store = context.getStateStore<KeyValueStore<K, VA>>(this.storeName);
    this.store = store;
    this.forwardsItself = !store.setFlushListener((key, newValue, oldValue, timestamp, headers) =>
      context.forward(new Record(key, new Change(newValue, oldValue), timestamp, headers)),
    );
  }

  process(record: Record<K, Change<V>>): void {
    const key = record.key();
    if (key === null || key === undefined) {
      throw new StreamsException(
        `Record key for KTable aggregate operator with state ${this.storeName} should not be null.`,
      );
    }
    const store = this.store as KeyValueStore<K, VA>;
    const old = store.get(key);
    const next = this.update(old, record.value(), key);
    store.put(key, next);
    if (this.forwardsItself) this.context?.forward(record.withValue(new Change(next, old)));
  }
}
