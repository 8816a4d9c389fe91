import type { StreamPartitioner } from '../processor/topology-nodes.js';
import type { Serde } from '../serde/serde.js';

/**
 * Kafka Streams' `Repartitioned` (for `KStream.repartition`): the repartition topic's name
 * (`<application.id>-<name>-repartition`), serdes, partition count and partitioner.
 */
export class Repartitioned<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly numberOfPartitions: number | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
  ) {}

  static as<K = never, V = never>(name: string): Repartitioned<K, V> {
    return new Repartitioned<K, V>(name, undefined, undefined, undefined, undefined);
  }

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Repartitioned<K, V> {
    return new Repartitioned(undefined, keySerde, valueSerde, undefined, undefined);
  }

  static numberOfPartitions<K = never, V = never>(numberOfPartitions: number): Repartitioned<K, V> {
    return new Repartitioned<K, V>(undefined, undefined, undefined, numberOfPartitions, undefined);
  }

  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned<K, V>(undefined, undefined, undefined, undefined, partitioner);
  }

  withName(name: string): Repartitioned<K, V> {
    return new Repartitioned(name, this.keySerde, this.valueSerde, this.numberOfPartitions, this.partitioner);
  }

  withKeySerde(keySerde: Serde<K>): Repartitioned<K, V> {
    return new Repartitioned(this.name, keySerde, this.valueSerde, this.numberOfPartitions, this.partitioner);
  }

  withValueSerde(valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned(this.name, this.keySerde, valueSerde, this.numberOfPartitions, this.partitioner);
  }

  withNumberOfPartitions(numberOfPartitions: number): Repartitioned<K, V> {
    return new Repartitioned(this.name, this.keySerde, this.valueSerde, numberOfPartitions, this.partitioner);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned(this.name, this.keySerde, this.valueSerde, this.numberOfPartitions, partitioner);
  }
}
