import type { Serde } from '../serde/serde.js';

/** Kafka Streams' `Consumed`: serdes (and a processor name) for reading a topic. */
export class Consumed<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly processorName: string | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Consumed<K, V> {
    return new Consumed(keySerde, valueSerde, undefined);
  }

  static as<K = never, V = never>(processorName: string): Consumed<K, V> {
    return new Consumed<K, V>(undefined, undefined, processorName);
  }

  withKeySerde(keySerde: Serde<K>): Consumed<K, V> {
    return new Consumed(keySerde, this.valueSerde, this.processorName);
  }

  withValueSerde(valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed(this.keySerde, valueSerde, this.processorName);
  }

  withName(processorName: string): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, processorName);
  }
}
