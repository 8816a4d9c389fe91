import type { RecordHeader } from '@samsa/client';

/**
 * Kafka Streams' `org.apache.kafka.streams.processor.api.Record`: an immutable key, value,
 * timestamp and headers passed from node to node. The `with*` methods return copies, so a
 * processor that forwards a changed record to one child never changes what another child sees.
 */
export class Record<K, V> {
  readonly #key: K;
  readonly #value: V;
  readonly #timestamp: number;
  readonly #headers: readonly RecordHeader[];

  constructor(key: K, value: V, timestamp: number, headers: readonly RecordHeader[] = []) {
    this.#key = key;
    this.#value = value;
    this.#timestamp = timestamp;
    this.#headers = headers;
  }

  key(): K {
    return this.#key;
  }

  value(): V {
    return this.#value;
  }

  timestamp(): number {
    return this.#timestamp;
  }

  headers(): readonly RecordHeader[] {
    return this.#headers;
  }

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.#value, this.#timestamp, this.#headers);
  }

  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.#key, value, this.#timestamp, this.#headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.#key, this.#value, timestamp, this.#headers);
  }

  withHeaders(headers: readonly RecordHeader[]): Record<K, V> {
    return new Record(this.#key, this.#value, this.#timestamp, headers);
  }
}
