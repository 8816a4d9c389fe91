import type { RecordHeader } from '@samsa/client';

/**
 * Kafka Streams' `org.apache.kafka.streams.processor.api.Record`: an immutable key, value,
 * timestamp and headers passed from node to node. The `with*` methods return copies, so a
 * processor that forwards a changed record to one child never changes what another child sees.
 */
export class Record<K, V> {
  constructor(
    readonly keyValue: K,
    readonly valueValue: V,
    readonly timestampMs: number,
    readonly headersValue: readonly RecordHeader[] = [],
  ) {}

  key(): K {
    return this.keyValue;
  }

  value(): V {
    return this.valueValue;
  }

  timestamp(): number {
    return this.timestampMs;
  }

  headers(): readonly RecordHeader[] {
    return this.headersValue;
  }

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.valueValue, this.timestampMs, this.headersValue);
  }

  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.keyValue, value, this.timestampMs, this.headersValue);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.keyValue, this.valueValue, timestamp, this.headersValue);
  }

  withHeaders(headers: readonly RecordHeader[]): Record<K, V> {
    return new Record(this.keyValue, this.valueValue, this.timestampMs, headers);
  }
}
