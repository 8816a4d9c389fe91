import type { Serde } from '../serde/serde.js';

/**
 * Kafka Streams' `Grouped`: serdes for the repartition topic a grouping may need, and its name
 * (`<application.id>-<name>-repartition`; unnamed, the store's name is used, as in Java).
 */
export class Grouped<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Grouped<K, V> {
    return new Grouped(undefined, keySerde, valueSerde);
  }

  static as<K = never, V = never>(name: string): Grouped<K, V> {
    return new Grouped<K, V>(name, undefined, undefined);
  }

  static keySerde<K, V>(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped<K, V>(undefined, keySerde, undefined);
  }

  static valueSerde<K, V>(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped<K, V>(undefined, undefined, valueSerde);
  }

  withName(name: string): Grouped<K, V> {
    return new Grouped(name, this.keySerde, this.valueSerde);
  }

  withKeySerde(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped(this.name, keySerde, this.valueSerde);
  }

  withValueSerde(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped(this.name, this.keySerde, valueSerde);
  }
}
