import type { Windowed } from '../dsl/time-windows.js';
import type { Serde } from '../serde/serde.js';
import { windowStoreKeySerde } from '../serde/windowed-serdes.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import { KeyValueStore } from './key-value-store.js';
import { type ValueAndTimestamp, valueAndTimestampSerde } from './value-and-timestamp.js';

/**
 * Kafka Streams' `TimestampedWindowStore` as sliding-window aggregations use it: keys in Java's
 * WindowKeySchema (key, 8-byte window start, 4-byte sequence number), values as
 * ValueAndTimestamp bytes (the window's latest record timestamp, then the aggregate), so the
 * changelog holds Java's bytes. `fetch` reads one key's windows by start time.
 */
export class TimestampedWindowStore<K, V> extends KeyValueStore<Windowed<K>, ValueAndTimestamp<V>> {
  private readonly windowKeys: Serde<Windowed<K>>;
  private readonly values: Serde<ValueAndTimestamp<V>>;

  constructor(
    inner: KeyValueBytesStore,
    private readonly rawKeySerde: Serde<K>,
    valueSerde: Serde<V>,
    windowSizeMs: number,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    const windowKeys = windowStoreKeySerde(rawKeySerde, windowSizeMs);
    const values = valueAndTimestampSerde(valueSerde);
    super(inner, windowKeys, values, loggingEnabled, changelogTopic);
    this.windowKeys = windowKeys;
    this.values = values;
  }

  /** Drops, locally and without changelog tombstones, the windows that start before `time` (Java drops expired segments). */
  expireWindowsStartingBefore(time: number): void {
    // Written through first, so that a cached window still goes downstream and is not written
    // back after the sweep.
    this.flushCache();
    for (const [k] of this.inner.range(null, null)) {
      const bytes = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
      if (Number(bytes.readBigInt64BE(bytes.length - 12)) < time) this.inner.put(k, null);
    }
  }

  /** The windows of `key` starting from `timeFrom` to `timeTo` inclusive, by start time (Java's `fetch`). */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, ValueAndTimestamp<V>> {
    const prefix = this.rawKeySerde.serializer().serialize(this.changelogTopic, key) ?? new Uint8Array();
    const bound = (time: number, seq: number): Buffer => {
      const out = Buffer.alloc(prefix.length + 12);
      out.set(prefix, 0);
      out.writeBigInt64BE(BigInt(Math.max(0, time)), prefix.length);
      out.writeUInt32BE(seq, prefix.length + 8);
      return out;
    };
    const out: KeyValue<Windowed<K>, ValueAndTimestamp<V>>[] = [];
    for (const [k, v] of this.rangeBytes(bound(timeFrom, 0), bound(timeTo, 0xffffffff))) {
      if (k.length !== prefix.length + 12) continue; // a longer key sharing the prefix
      out.push(
        KeyValue.pair(
          this.windowKeys.deserializer().deserialize(this.changelogTopic, k) as Windowed<K>,
          this.values.deserializer().deserialize(this.changelogTopic, v) as ValueAndTimestamp<V>,
        ),
      );
    }
    return new KeyValueIterator(out);
  }
}
