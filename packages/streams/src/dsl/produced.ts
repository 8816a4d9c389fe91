import type { StreamPartitioner } from '../processor/topology-nodes.js';
import type { Serde } from '../serde/serde.js';

/** Kafka Streams' `Produced`: serdes, a partitioner and a processor name for writing a topic. */
export class Produced<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
    readonly processorName: string | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Produced<K, V> {
    return new Produced(keySerde, valueSerde, undefined, undefined);
  }

  static as<K = never, V = never>(processorName: string): Produced<K, V> {
    return new Produced<K, V>(undefined, undefined, undefined, processorName);
  }

  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced<K, V>(undefined, undefined, partitioner, undefined);
  }

  withKeySerde(keySerde: Serde<K>): Produced<K, V> {
    return new Produced(keySerde, this.valueSerde, this.partitioner, this.processorName);
  }

  withValueSerde(valueSerde: Serde<V>): Produced<K, V> {
    return new Produced(this.keySerde, valueSerde, this.partitioner, this.processorName);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, partitioner, this.processorName);
  }

  withName(processorName: string): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, this.partitioner, processorName);
  }
}
