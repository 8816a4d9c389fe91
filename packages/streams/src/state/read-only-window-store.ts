import type { Windowed } from '../dsl/time-windows.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import { ValueAndTimestamp } from './value-and-timestamp.js';
import type { WindowStore } from './window-store.js';

/**
 * Kafka Streams' `ReadOnlyWindowStore`: what interactive queries see of a window store (a
 * time- or sliding-windowed aggregation) across this instance's tasks. Values are plain: a
 * timestamped store's timestamps are stripped, as Java's ReadOnlyWindowStoreFacade does. A key
 * lives in one task, so single-key reads ask each task's store; the others merge them in
 * store (key bytes, then start time) order.
 */
export class ReadOnlyWindowStore<K, V> {
  constructor(private readonly stores: () => readonly WindowStore<K, unknown>[]) {}

  /** The value of `key`'s window that starts at `windowStartTime`, or null. */
  fetch(key: K, windowStartTime: number): V | null;
  /** `key`'s windows that start from `timeFrom` to `timeTo` inclusive: KeyValue(window start, value), by start time. */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  /** The windows of keys from `keyFrom` to `keyTo` (null: open) that start from `timeFrom` to `timeTo`. */
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  fetch(
    a: K | null,
    b: number | K | null,
    c?: number,
    d?: number,
  ): V | null | KeyValueIterator<number, V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.fetchKeyRange(a, b as K | null, c as number, d);
    const key = a as K;
    if (c === undefined) {
      const start = b as number;
      for (const kv of this.fetchKey(key, start, start)) return kv.value;
      return null;
    }
    return new KeyValueIterator(this.fetchKey(key, b as number, c).map((kv) => KeyValue.pair(kv.key, kv.value)));
  }

  /** As `fetch(key, timeFrom, timeTo)`, latest start first. */
  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V> {
    return new KeyValueIterator(this.fetchKey(key, timeFrom, timeTo).reverse());
  }

  /** Every window of every key. */
  all(): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY));
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return new KeyValueIterator([...this.all()].reverse());
  }

  /** Every key's windows that start from `timeFrom` to `timeTo` inclusive. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.fetchAll(timeFrom, timeTo));
  }

  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return new KeyValueIterator([...this.fetchAll(timeFrom, timeTo)].reverse());
  }

  private fetchKey(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[] {
    for (const store of this.stores()) {
      const found = [...store.fetch(key, timeFrom, timeTo)];
      if (found.length > 0) return found.map((kv) => KeyValue.pair(kv.key.window().start(), plain<V>(kv.value)));
    }
    return [];
  }

  private fetchKeyRange(
    keyFrom: K | null,
    keyTo: K | null,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.merge((store) => {
      const from = keyFrom === null ? null : Buffer.from(store.rawKeyBytes(keyFrom));
      const to = keyTo === null ? null : Buffer.from(store.rawKeyBytes(keyTo));
      return [...store.fetchAll(timeFrom, timeTo)].filter((kv) => {
        const key = Buffer.from(store.rawKeyBytes(kv.key.key()));
        return (from === null || Buffer.compare(key, from) >= 0) && (to === null || Buffer.compare(key, to) <= 0);
      });
    });
  }

  private merge(
    read: (store: WindowStore<K, unknown>) => Iterable<KeyValue<Windowed<K>, unknown>>,
  ): KeyValueIterator<Windowed<K>, V> {
    const entries: { kv: KeyValue<Windowed<K>, V>; bytes: Buffer }[] = [];
    for (const store of this.stores()) {
      for (const kv of read(store)) {
        entries.push({
          kv: KeyValue.pair(kv.key, plain<V>(kv.value)),
          bytes: Buffer.from(store.serializedKey(kv.key)),
        });
      }
    }
    entries.sort((x, y) => Buffer.compare(x.bytes, y.bytes));
    return new KeyValueIterator(entries.map((e) => e.kv));
  }
}

function plain<V>(value: unknown): V {
  return (value instanceof ValueAndTimestamp ? value.value : value) as V;
}
