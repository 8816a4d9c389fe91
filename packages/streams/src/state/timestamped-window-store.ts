import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { type ValueAndTimestamp, valueAndTimestampSerde } from './value-and-timestamp.js';
import { WindowStore } from './window-store.js';

/**
 * Kafka Streams' `TimestampedWindowStore` as sliding-window aggregations use it: a window store
 * whose values are ValueAndTimestamp bytes (the window's latest record timestamp, then the
 * aggregate), so the changelog holds Java's bytes.
 */
export class TimestampedWindowStore<K, V> extends WindowStore<K, ValueAndTimestamp<V>> {
  constructor(
    inner: KeyValueBytesStore,
    rawKeySerde: Serde<K>,
    valueSerde: Serde<V>,
    windowSizeMs: number,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    super(inner, rawKeySerde, valueAndTimestampSerde(valueSerde), windowSizeMs, loggingEnabled, changelogTopic);
  }
}
