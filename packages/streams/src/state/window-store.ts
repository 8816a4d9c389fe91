import type { Windowed } from '../dsl/time-windows.js';
import type { Serde } from '../serde/serde.js';
import { windowStoreKeySerde } from '../serde/windowed-serdes.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import { KeyValueStore } from './key-value-store.js';

/** Bytes after the key in Java's WindowKeySchema: the window start (8), then a sequence number (4). */
const WINDOW_SUFFIX_BYTES = 12;

/**
 * Kafka Streams' `WindowStore<K, V>` as windowed aggregations use it: one value per key and
 * window, keyed as Java's WindowKeySchema (key bytes, 8-byte window start, 4-byte sequence
 * number), so a key's windows are adjacent and ordered by start time and the changelog holds
 * Java's bytes. Reads go through the record cache when the store has one.
 */
export class WindowStore<K, V> extends KeyValueStore<Windowed<K>, V> {
  private readonly windowKeys: Serde<Windowed<K>>;
  private readonly values: Serde<V>;

  constructor(
    inner: KeyValueBytesStore,
    private readonly rawKeySerde: Serde<K>,
    valueSerde: Serde<V>,
    readonly windowSizeMs: number,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    const windowKeys = windowStoreKeySerde(rawKeySerde, windowSizeMs);
    super(inner, windowKeys, valueSerde, loggingEnabled, changelogTopic);
    this.windowKeys = windowKeys;
    this.values = valueSerde;
  }

  /** The windows of `key` starting from `timeFrom` to `timeTo` inclusive, by start time (Java's `fetch`). */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    const prefix = this.rawKeyBytes(key);
    const bound = (time: number, seq: number): Buffer => {
      const out = Buffer.alloc(prefix.length + WINDOW_SUFFIX_BYTES);
      out.set(prefix, 0);
      out.writeBigInt64BE(BigInt(Math.max(0, time)), prefix.length);
      out.writeUInt32BE(seq, prefix.length + 8);
      return out;
    };
    if (timeTo < timeFrom) return new KeyValueIterator<Windowed<K>, V>([]);
    const rows = this.rangeBytes(bound(timeFrom, 0), bound(timeTo, 0xffffffff)).filter(
      ([k]) => k.length === prefix.length + WINDOW_SUFFIX_BYTES, // not a longer key sharing the prefix
    );
    return this.decode(rows);
  }

  /** Every window of every key that starts from `timeFrom` to `timeTo` inclusive, in store order (Java's `fetchAll`). */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    const rows = this.rangeBytes(null, null).filter(([k]) => {
      const start = windowStartOf(k);
      return start >= timeFrom && start <= timeTo;
    });
    return this.decode(rows);
  }

  /** The key's bytes as the store lays them out before the window (what `fetch` ranges over). */
  rawKeyBytes(key: K): Uint8Array {
    return this.rawKeySerde.serializer().serialize(this.changelogTopic, key) ?? new Uint8Array();
  }

  /**
   * Drops, locally and without changelog tombstones, the windows that start before `time`: Java
   * drops expired segments the same way, and the changelog's retention removes them there. The
   * cache is written through first, so that a cached window still goes downstream and is not
   * written back after the sweep.
   */
  expireWindowsStartingBefore(time: number): void {
    this.flushCache();
    for (const [k] of this.inner.range(null, null)) {
      if (windowStartOf(k) < time) this.inner.put(k, null);
    }
  }

  private decode(rows: readonly [Uint8Array, Uint8Array][]): KeyValueIterator<Windowed<K>, V> {
    const keys = this.windowKeys.deserializer();
    const values = this.values.deserializer();
    return new KeyValueIterator(
      rows.map(([k, v]) =>
        KeyValue.pair(
          keys.deserialize(this.changelogTopic, k) as Windowed<K>,
          values.deserialize(this.changelogTopic, v) as V,
        ),
      ),
    );
  }
}

function windowStartOf(key: Uint8Array): number {
  const bytes = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return Number(bytes.readBigInt64BE(bytes.length - WINDOW_SUFFIX_BYTES));
}
