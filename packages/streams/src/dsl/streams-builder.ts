import type { Topology } from '../processor/topology.js';
import type { Serde } from '../serde/serde.js';
import type { KeyValueStoreBuilder } from '../state/stores.js';
import type { Consumed } from './consumed.js';
import { GlobalKTable } from './global-ktable.js';
import { addGlobalTable } from './global-table-source.js';
import { InternalStreamsBuilder } from './internal-streams-builder.js';
import { KStream } from './kstream.js';
import { KTable } from './ktable.js';
import { addTableSource } from './ktable-source.js';
import type { Materialized } from './materialized.js';

/**
 * Kafka Streams' `StreamsBuilder`: the DSL's entry point. `build()` returns the `Topology` the
 * DSL calls have been adding to; `describe()` on it prints what Java prints for the same program.
 */
export class StreamsBuilder {
  private readonly internal = new InternalStreamsBuilder();

  stream<K, V>(topics: string | readonly string[], consumed?: Consumed<K, V>): KStream<K, V> {
    const name = this.internal.nameOf(consumed?.processorName, 'KSTREAM-SOURCE-');
    this.internal.topology.addSourceNode(
      name,
      typeof topics === 'string' ? [topics] : topics,
      consumed?.keySerde?.deserializer(),
      consumed?.valueSerde?.deserializer(),
      consumed?.timestampExtractor,
    );
    return new KStream(this.internal, name, consumed?.keySerde, consumed?.valueSerde, false);
  }

  /**
   * A table read from a topic (each record an upsert, a null value a delete), kept in a store
   * named by `materialized` or `<topic>-STATE-STORE-<n>` and logged to its own changelog.
   */
  table<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    const storeName = materialized?.storeName ?? this.internal.newStoreName(`${topic}-`);
    const sourceName = this.internal.nameOf(consumed?.processorName, 'KSTREAM-SOURCE-');
    const tableName =
      consumed?.processorName === undefined
        ? this.internal.newProcessorName('KTABLE-SOURCE-')
        : `${consumed.processorName}-table-source`;
    const keySerde = materialized?.keySerde ?? consumed?.keySerde;
    const valueSerde = materialized?.valueSerde ?? consumed?.valueSerde;
    this.internal.topology.addSourceNode(
      sourceName,
      [topic],
      keySerde?.deserializer(),
      valueSerde?.deserializer(),
      consumed?.timestampExtractor,
    );
    const storeBuilder = this.internal.storeBuilder<K, V>(materialized, storeName, keySerde, valueSerde);
    // Java caches source-table stores by default, as aggregations' (Materialized withCachingDisabled
    // or statestore.cache.max.bytes=0 forwards every update).
    if (materialized?.cachingEnabled ?? true) storeBuilder.withCachingEnabled();
    addTableSource<K, V>(this.internal, tableName, sourceName, storeName);
    this.internal.topology.addStateStore(storeBuilder, tableName);
    return new KTable<K, V>(this.internal, tableName, storeName, keySerde as Serde<K> | undefined, valueSerde);
  }

  /**
   * A table held in full by every instance (Java's `globalTable`): a global store named by
   * `materialized` or `<topic>-STATE-STORE-<n>`, fed from every partition of `topic`, with no
   * changelog. Join streams with it through a `KeyValueMapper` choosing the table key.
   */
  globalTable<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): GlobalKTable<K, V> {
    const storeName = materialized?.storeName ?? this.internal.newStoreName(`${topic}-`);
    const { keySerde, valueSerde } = addGlobalTable(this.internal, topic, storeName, consumed, materialized);
    return new GlobalKTable<K, V>(storeName, keySerde, valueSerde);
  }

  /** A store for `KStream.process` processors to connect to by name. */
  addStateStore<K, V>(builder: KeyValueStoreBuilder<K, V>): this {
    this.internal.topology.addStateStore(builder);
    return this;
  }

  build(): Topology {
    return this.internal.topology;
  }
}
