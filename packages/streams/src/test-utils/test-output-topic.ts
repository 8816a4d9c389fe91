import type { RecordHeader } from '@samsa/client';
import type { Deserializer } from '../serde/serde.js';
import { KeyValue } from '../state/key-value.js';
import { TestRecord } from './test-record.js';

export interface CapturedRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
}

/**
 * Kafka Streams' `TestOutputTopic`: reads, in order, what the topology wrote to a topic since
 * the last read. Reading an empty topic throws, as Java's `NoSuchElementException`.
 */
export class TestOutputTopic<K, V> {
  constructor(
    private readonly topic: string,
    private readonly keyDeserializer: Deserializer<K>,
    private readonly valueDeserializer: Deserializer<V>,
    private readonly queue: CapturedRecord[],
  ) {}

  readRecord(): TestRecord<K, V> {
    const r = this.queue.shift();
    if (r === undefined) throw new Error(`NoSuchElementException: Empty topic: ${this.topic}`);
    return new TestRecord(
      this.keyDeserializer.deserialize(this.topic, r.key),
      this.valueDeserializer.deserialize(this.topic, r.value),
      r.timestamp,
      r.headers,
    );
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const r = this.readRecord();
    return KeyValue.pair(r.key, r.value);
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (!this.isEmpty()) out.push(this.readRecord());
    return out;
  }

  readValuesToList(): (V | null)[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  readKeyValuesToList(): KeyValue<K | null, V | null>[] {
    return this.readRecordsToList().map((r) => KeyValue.pair(r.key, r.value));
  }

  /** The latest value per key (a tombstone leaves the key mapped to null, as Java's HashMap.put does). */
  readKeyValuesToMap(): Map<K | null, V | null> {
    const out = new Map<K | null, V | null>();
    for (const r of this.readRecordsToList()) {
      if (r.key === null)
        throw new Error('IllegalStateException: Null keys not allowed with readKeyValuesToMap method');
      out.set(r.key, r.value);
    }
    return out;
  }

  getQueueSize(): number {
    return this.queue.length;
  }

  isEmpty(): boolean {
    return this.queue.length === 0;
  }
}
