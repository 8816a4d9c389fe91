import type { RecordHeader } from '@samsa/client';

/** Kafka Streams' `TestRecord`: what a test pipes in or reads out. */
export class TestRecord<K, V> {
  constructor(
    readonly key: K | null,
    readonly value: V | null,
    readonly timestamp: number,
    readonly headers: readonly RecordHeader[] = [],
  ) {}

  getKey(): K | null {
    return this.key;
  }

  getValue(): V | null {
    return this.value;
  }

  getTimestamp(): number {
    return this.timestamp;
  }
}
