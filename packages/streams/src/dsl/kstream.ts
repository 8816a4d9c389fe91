import type { ProcessorSupplier } from '../processor/processor.js';
import type { TopicNameExtractor } from '../processor/topic-name-extractor.js';
import type { StreamPartitioner } from '../processor/topology-nodes.js';
import type { Serde, Serializer } from '../serde/serde.js';
import type { KeyValue } from '../state/key-value.js';
import { BranchedKStream } from './branched-kstream.js';
import type { GlobalKTable } from './global-ktable.js';
import { Grouped } from './grouped.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { JoinWindows } from './join-windows.js';
import type { Joined } from './joined.js';
import { KGroupedStream } from './kgrouped-stream.js';
import { dispatchStreamJoin } from './kstream-joins.js';
import { KTable } from './ktable.js';
import { addTableSource } from './ktable-source.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import type { Printed } from './printed.js';
import type { Produced } from './produced.js';
import { createRepartitionedSource } from './repartition.js';
import type { Repartitioned } from './repartitioned.js';
import type { StreamJoined } from './stream-joined.js';
import type { ValueJoiner } from './value-joiner.js';

export type Predicate<K, V> = (key: K, value: V) => boolean;
export type KeyValueMapper<K, V, R> = (key: K, value: V) => R;
/**
 * Java's `ValueMapper` and `ValueMapperWithKey` in one function type: the value first, the
 * read-only key second (as Array.map passes the index second). Note the order: Java's
 * `ValueMapperWithKey` takes the key first, but TypeScript cannot type an untyped lambda
 * against both shapes, and `v => …` (the common case) must stay a one-argument function.
 */
export type ValueMapper<K, V, VR> = (value: V, readOnlyKey: K) => VR;

export type ForeachAction<K, V> = (key: K, value: V) => void;

export function mapValue<K, V, VR>(mapper: ValueMapper<K, V, VR>, key: K, value: V): VR {
  return mapper(value, key);
}

/**
 * Kafka Streams' `KStream`: a record stream. Each operation adds one processor named as Java
 * names it and returns a new stream. Operations that may change the key (`map`, `flatMap`,
 * `selectKey`, `groupBy`) mark the stream: a later grouping then goes through a repartition
 * topic, so that equal keys meet in the same task, as in Java.
 */
export class KStream<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly nodeName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly repartitionRequired: boolean,
  ) {}

  private next<KR, VR>(
    prefix: string,
    named: Named | undefined,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    repartitionRequired: boolean,
    process: Parameters<InternalStreamsBuilder['addStatelessProcessor']>[2],
  ): KStream<KR, VR> {
    const name = this.builder.nameOf(named, prefix);
    this.builder.addStatelessProcessor(name, [this.nodeName], process);
    return new KStream<KR, VR>(this.builder, name, keySerde, valueSerde, repartitionRequired);
  }

  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.next('KSTREAM-FILTER-', named, this.keySerde, this.valueSerde, this.repartitionRequired, (r, c) => {
      if (predicate(r.key() as K, r.value() as V)) c.forward(r);
    });
  }

  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.next('KSTREAM-FILTER-', named, this.keySerde, this.valueSerde, this.repartitionRequired, (r, c) => {
      if (!predicate(r.key() as K, r.value() as V)) c.forward(r);
    });
  }

  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>, named?: Named): KStream<KR, VR> {
    return this.next<KR, VR>('KSTREAM-MAP-', named, undefined, undefined, true, (r, c) => {
      const kv = mapper(r.key() as K, r.value() as V);
      c.forward(r.withKey(kv.key).withValue(kv.value));
    });
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, named?: Named): KStream<K, VR> {
    return this.next<K, VR>('KSTREAM-MAPVALUES-', named, this.keySerde, undefined, this.repartitionRequired, (r, c) => {
      c.forward(r.withValue(mapValue(mapper, r.key() as K, r.value() as V)));
    });
  }

  flatMap<KR, VR>(mapper: KeyValueMapper<K, V, Iterable<KeyValue<KR, VR>>>, named?: Named): KStream<KR, VR> {
    return this.next<KR, VR>('KSTREAM-FLATMAP-', named, undefined, undefined, true, (r, c) => {
      for (const kv of mapper(r.key() as K, r.value() as V)) c.forward(r.withKey(kv.key).withValue(kv.value));
    });
  }

  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, named?: Named): KStream<K, VR> {
    return this.next<K, VR>(
      'KSTREAM-FLATMAPVALUES-',
      named,
      this.keySerde,
      undefined,
      this.repartitionRequired,
      (r, c) => {
        for (const v of mapValue(mapper, r.key() as K, r.value() as V)) c.forward(r.withValue(v));
      },
    );
  }

  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V> {
    return this.next<KR, V>('KSTREAM-KEY-SELECT-', named, undefined, this.valueSerde, true, (r, c) => {
      c.forward(r.withKey(mapper(r.key() as K, r.value() as V)));
    });
  }

  peek(action: ForeachAction<K, V>, named?: Named): KStream<K, V> {
    return this.next('KSTREAM-PEEK-', named, this.keySerde, this.valueSerde, this.repartitionRequired, (r, c) => {
      action(r.key() as K, r.value() as V);
      c.forward(r);
    });
  }

  foreach(action: ForeachAction<K, V>, named?: Named): void {
    this.next('KSTREAM-FOREACH-', named, undefined, undefined, false, (r) => action(r.key() as K, r.value() as V));
  }

  /** Prints every record (Java's `print`, a terminal operation) as `[<label>]: <key>, <value>`. */
  print(printed: Printed<K, V>): void {
    const name = this.builder.nameOf(printed.processorName, 'KSTREAM-PRINTER-');
    const label = printed.label ?? name;
    this.builder.addStatelessProcessor<K, V, never, never>(name, [this.nodeName], (r) =>
      printed.write(`[${label}]: ${printed.mapper(r.key(), r.value())}`),
    );
  }

  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    const name = this.builder.nameOf(named, 'KSTREAM-MERGE-');
    this.builder.addStatelessProcessor(name, [this.nodeName, other.nodeName], (r, c) => c.forward(r));
    const sameKeySerde = this.keySerde === other.keySerde ? this.keySerde : undefined;
    const sameValueSerde = this.valueSerde === other.valueSerde ? this.valueSerde : undefined;
    return new KStream(
      this.builder,
      name,
      sameKeySerde,
      sameValueSerde,
      this.repartitionRequired || other.repartitionRequired,
    );
  }

  /** Processor API inside the DSL (Java 3.x `process`): the processor's forwards continue the stream. */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...stateStoreNames: string[]): KStream<KR, VR> {
    const name = this.builder.newProcessorName('KSTREAM-PROCESSOR-');
    this.builder.topology.addProcessor(name, supplier, this.nodeName);
    if (stateStoreNames.length > 0) this.builder.topology.connectProcessorAndStateStores(name, ...stateStoreNames);
    return new KStream<KR, VR>(this.builder, name, undefined, undefined, true);
  }

  /** Sends the stream to a topic, or to the topic a `TopicNameExtractor` names per record. */
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void {
    const name = this.builder.nameOf(produced?.processorName, 'KSTREAM-SINK-');
    const keySerde = produced?.keySerde ?? this.keySerde;
    const valueSerde = produced?.valueSerde ?? this.valueSerde;
    const partitioner = produced?.partitioner as StreamPartitioner<unknown, unknown> | undefined;
    this.builder.topology.addSinkNode(
      name,
      topic as string | TopicNameExtractor<unknown, unknown>,
      keySerde?.serializer() as Serializer<unknown> | undefined,
      valueSerde?.serializer() as Serializer<unknown> | undefined,
      partitioner,
      [this.nodeName],
    );
  }

  /**
   * Java's `through(topic[, produced])` (deprecated since Kafka 2.6, KIP-221; removed in 4.0):
   * `to(topic, produced)` then a new source reading that topic with the same serdes. The topic is
   * the application's to create, and nothing purges it — `repartition()` is the replacement.
   * @deprecated Use `repartition()`, or `to(topic)` then `builder.stream(topic)`.
   */
  through(topic: string, produced?: Produced<K, V>): KStream<K, V> {
    this.to(topic, produced);
    const keySerde = produced?.keySerde ?? this.keySerde;
    const valueSerde = produced?.valueSerde ?? this.valueSerde;
    const name = this.builder.newProcessorName('KSTREAM-SOURCE-');
    this.builder.topology.addSourceNode(name, [topic], keySerde?.deserializer(), valueSerde?.deserializer(), undefined);
    return new KStream<K, V>(this.builder, name, keySerde, valueSerde, false);
  }

  /**
   * Sends the stream through a repartition topic now (Java's `repartition()`), partitioned by
   * the current key (or the `Repartitioned` partitioner), with `Repartitioned`'s partition count
   * or else the upstream sub-topology's; a later grouping needs no further repartitioning.
   */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const name = repartitioned?.name ?? this.builder.newProcessorName('KSTREAM-REPARTITION-');
    const keySerde = repartitioned?.keySerde ?? this.keySerde;
    const valueSerde = repartitioned?.valueSerde ?? this.valueSerde;
    const source = createRepartitionedSource(
      this.builder,
      keySerde as Serde<unknown> | undefined,
      valueSerde as Serde<unknown> | undefined,
      name,
      this.nodeName,
      {
        ...(repartitioned?.partitioner === undefined
          ? {}
          : { partitioner: repartitioned.partitioner as StreamPartitioner<unknown, unknown> }),
        ...(repartitioned?.numberOfPartitions === undefined
          ? {}
          : { numberOfPartitions: repartitioned.numberOfPartitions }),
      },
    );
    return new KStream<K, V>(this.builder, source, keySerde, valueSerde, false);
  }

  /**
   * The stream as a table (Java's `toTable`): the latest value per key in a store, logged to a
   * changelog; after a key change it goes through `<name>-repartition` first, as in Java.
   */
  toTable(namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    let named: Named | undefined;
    if (namedOrMaterialized !== undefined && 'storeSupplier' in namedOrMaterialized) materialized = namedOrMaterialized;
    else named = namedOrMaterialized;
    const name = this.builder.nameOf(named, 'KSTREAM-TOTABLE-');
    const storeName = materialized?.storeName ?? this.builder.newStoreName('KSTREAM-TOTABLE-');
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? this.valueSerde;
    const parent = this.repartitionRequired
      ? createRepartitionedSource(
          this.builder,
          keySerde as Serde<unknown> | undefined,
          valueSerde as Serde<unknown> | undefined,
          name,
          this.nodeName,
        )
      : this.nodeName;
    const storeBuilder = this.builder.storeBuilder<K, V>(materialized, storeName, keySerde, valueSerde);
    if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    addTableSource<K, V>(this.builder, name, parent, storeName);
    this.builder.topology.addStateStore(storeBuilder, name);
    return new KTable<K, V>(this.builder, name, storeName, keySerde, valueSerde);
  }

  /** Splits the stream by predicates (Java's `split()`); name the split to name its branches. */
  split(named?: Named): BranchedKStream<K, V> {
    return new BranchedKStream(this, this.builder, this.builder.nameOf(named, 'KSTREAM-BRANCH-'));
  }

  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    return new KGroupedStream(
      this.builder,
      this.nodeName,
      grouped?.name,
      grouped?.keySerde ?? this.keySerde,
      grouped?.valueSerde ?? this.valueSerde,
      this.repartitionRequired,
    );
  }

  groupBy<KR>(
    keySelector: KeyValueMapper<K, V, KR>,
    grouped: Grouped<NoInfer<KR>, NoInfer<V>> = Grouped.with(undefined, undefined),
  ): KGroupedStream<KR, V> {
    // Java names the key-selecting node after the Grouped name when there is one.
    const selected = this.selectKey(
      keySelector,
      grouped.name === undefined ? undefined : ({ name: grouped.name } as Named),
    );
    return new KGroupedStream(
      this.builder,
      selected.nodeName,
      grouped.name,
      grouped.keySerde,
      grouped.valueSerde ?? this.valueSerde,
      true,
    );
  }

  // ---- joins (see kstream-joins.ts): with a stream (windowed), a table, a global table ----

  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<K, V, VO, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  join<VT, VR>(table: KTable<K, VT>, joiner: ValueJoiner<K, V, VT, VR>, joined?: Joined<K, V, VT>): KStream<K, VR>;
  join<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: ValueJoiner<K, V, GV, VR>,
    named?: Named,
  ): KStream<K, VR>;
  join(other: unknown, ...args: unknown[]): KStream<K, unknown> {
    return dispatchStreamJoin(this as KStream<unknown, unknown>, 'inner', other, args) as KStream<K, unknown>;
  }

  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<K, V, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoiner<K, V, VT | null, VR>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  leftJoin<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: ValueJoiner<K, V, GV | null, VR>,
    named?: Named,
  ): KStream<K, VR>;
  leftJoin(other: unknown, ...args: unknown[]): KStream<K, unknown> {
    return dispatchStreamJoin(this as KStream<unknown, unknown>, 'left', other, args) as KStream<K, unknown>;
  }

  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<K, V | null, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return dispatchStreamJoin(this as KStream<unknown, unknown>, 'outer', other, [
      joiner,
      windows,
      streamJoined,
    ]) as KStream<K, VR>;
  }
}
