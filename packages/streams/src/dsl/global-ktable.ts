import type { Serde } from '../serde/serde.js';

/**
 * Kafka Streams' `GlobalKTable`: a table held in full by every instance, fed from all partitions
 * of its topic by a global store (no changelog: the topic is replayed into it before processing
 * starts). Streams join it with a `KeyValueMapper` choosing the table key, so it needs no
 * co-partitioning and no repartitioning.
 */
export class GlobalKTable<K, V> {
  constructor(
    readonly storeName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}

  queryableStoreName(): string {
    return this.storeName;
  }
}
