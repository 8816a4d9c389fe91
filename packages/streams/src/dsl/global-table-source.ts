import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Serde } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { Consumed } from './consumed.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { Materialized } from './materialized.js';

/**
 * The nodes of `StreamsBuilder.globalTable` as Java names them: `KSTREAM-SOURCE-<n>` reading the
 * topic and `KTABLE-SOURCE-<n+1>` upserting each record into the global store (a null value
 * deletes; null keys are skipped). The store never logs: the topic is its changelog.
 */
export function addGlobalTable<K, V>(
  builder: InternalStreamsBuilder,
  topic: string,
  storeName: string,
  consumed: Consumed<K, V> | undefined,
  materialized: Materialized<K, V> | undefined,
): { keySerde: Serde<K> | undefined; valueSerde: Serde<V> | undefined } {
  const sourceName = builder.nameOf(consumed?.processorName, 'KSTREAM-SOURCE-');
  const processorName = builder.newProcessorName('KTABLE-SOURCE-');
  const keySerde = materialized?.keySerde ?? consumed?.keySerde;
  const valueSerde = materialized?.valueSerde ?? consumed?.valueSerde;
  const storeBuilder = builder.storeBuilder<K, V>(materialized, storeName, keySerde, valueSerde);
  builder.topology.addGlobalStore(
    storeBuilder,
    sourceName,
    keySerde?.deserializer(),
    valueSerde?.deserializer(),
    topic,
    processorName,
    (): Processor<unknown, unknown, unknown, unknown> => {
      let store: KeyValueStore<unknown, unknown> | undefined;
      return {
        init: (context: ProcessorContext<unknown, unknown>) => {
          store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
        },
        process: (record) => {
          const key = record.key();
          if (key === null || key === undefined) return;
          store?.put(key, record.value() ?? null);
        },
      };
    },
  );
  return { keySerde, valueSerde };
}
