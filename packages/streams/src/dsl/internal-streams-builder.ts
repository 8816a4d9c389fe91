import type { Processor, ProcessorSupplier } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Record } from '../processor/record.js';
import { Topology } from '../processor/topology.js';
import type { Serde } from '../serde/serde.js';
import { KeyValueStoreBuilder, Stores } from '../state/stores.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';

/**
 * The DSL's shared state: the topology being built and the counter behind generated names.
 * Names are `<PREFIX><index, 10 digits>` from one counter shared by processors and stores, so
 * the same program gets the same names as in Java (`KSTREAM-SOURCE-0000000000`,
 * `KSTREAM-AGGREGATE-STATE-STORE-0000000003`), and so do its internal topics.
 */
export class InternalStreamsBuilder {
  readonly topology = new Topology();
  private index = 0;

  newProcessorName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  newStoreName(prefix: string): string {
    return `${prefix}STATE-STORE-${String(this.index++).padStart(10, '0')}`;
  }

  /** The user's name, or a generated one (Java generates only when none was given). */
  nameOf(named: Named | string | undefined, prefix: string): string {
    if (named === undefined) return this.newProcessorName(prefix);
    return typeof named === 'string' ? named : named.name;
  }

  /** Adds a processor written as a plain `process` function (with its context) under `parent`. */
  addStatelessProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    parents: readonly string[],
    process: (record: Record<KIn, VIn>, context: ProcessorContext<KOut, VOut>) => void,
    stores: readonly string[] = [],
  ): void {
    const supplier: ProcessorSupplier<KIn, VIn, KOut, VOut> = () => {
      let context: ProcessorContext<KOut, VOut> | undefined;
      const processor: Processor<KIn, VIn, KOut, VOut> = {
        init: (c) => {
          context = c;
        },
        process: (record) => process(record, context as ProcessorContext<KOut, VOut>),
      };
      return processor;
    };
    this.topology.addProcessor(name, supplier, ...parents);
    if (stores.length > 0) this.topology.connectProcessorAndStateStores(name, ...stores);
  }

  /** The store builder a `Materialized` describes; persistent unless it names a supplier. */
  storeBuilder<K, V>(
    materialized: Materialized<K, V> | undefined,
    storeName: string,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
  ): KeyValueStoreBuilder<K, V> {
    const supplier = materialized?.storeSupplier ?? Stores.persistentKeyValueStore(storeName);
    const builder = new KeyValueStoreBuilder<K, V>(
      supplier,
      materialized?.keySerde ?? keySerde,
      materialized?.valueSerde ?? valueSerde,
    );
    if (materialized !== undefined && !materialized.loggingEnabled) builder.withLoggingDisabled();
    else builder.withLoggingEnabled({ ...(materialized?.topicConfig ?? {}) });
    return builder;
  }
}
