import type { ConsumerRecord, TimestampExtractor } from '../processor/timestamp-extractor.js';
import type { Serde } from '../serde/serde.js';

/**
 * Kafka Streams' `Consumed`: serdes, a processor name and a timestamp extractor for reading a
 * topic. The extractor, when set, replaces `default.timestamp.extractor` for this source only.
 */
/** An extractor object, or its `extract` as a function. */
export type ConsumedTimestampExtractor =
  | TimestampExtractor
  | ((record: ConsumerRecord, partitionTime: number) => number);

function extractorOf(extractor: ConsumedTimestampExtractor | undefined): TimestampExtractor | undefined {
  return typeof extractor === 'function' ? { extract: extractor } : extractor;
}

export class Consumed<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly processorName: string | undefined,
    readonly timestampExtractor: TimestampExtractor | undefined = undefined,
  ) {}

  static with<K, V>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    timestampExtractor?: ConsumedTimestampExtractor,
  ): Consumed<K, V> {
    return new Consumed(keySerde, valueSerde, undefined, extractorOf(timestampExtractor));
  }

  static as<K = never, V = never>(processorName: string): Consumed<K, V> {
    return new Consumed<K, V>(undefined, undefined, processorName);
  }

  withKeySerde(keySerde: Serde<K>): Consumed<K, V> {
    return new Consumed(keySerde, this.valueSerde, this.processorName, this.timestampExtractor);
  }

  withValueSerde(valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed(this.keySerde, valueSerde, this.processorName, this.timestampExtractor);
  }

  withName(processorName: string): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, processorName, this.timestampExtractor);
  }

  withTimestampExtractor(timestampExtractor: ConsumedTimestampExtractor): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, this.processorName, extractorOf(timestampExtractor));
  }
}
