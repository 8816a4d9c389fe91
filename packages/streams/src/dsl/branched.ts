import type { KStream } from './kstream.js';

/**
 * Kafka Streams' `Branched`: a branch's name (appended to the split's name) and, optionally,
 * what to do with the branch: a function whose result goes in the returned map, or a consumer
 * (the branch is then left out of the map), as in Java.
 */
export class Branched<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly chainFunction: ((branch: KStream<K, V>) => KStream<K, V> | null | undefined) | undefined,
    readonly chainConsumer: ((branch: KStream<K, V>) => void) | undefined,
  ) {}

  static as<K = never, V = never>(name: string): Branched<K, V> {
    return new Branched<K, V>(name, undefined, undefined);
  }

  static withFunction<K, V>(
    chain: (branch: KStream<K, V>) => KStream<K, V> | null | undefined,
    name?: string,
  ): Branched<K, V> {
    return new Branched<K, V>(name, chain, undefined);
  }

  static withConsumer<K, V>(chain: (branch: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return new Branched<K, V>(name, undefined, chain);
  }
}
