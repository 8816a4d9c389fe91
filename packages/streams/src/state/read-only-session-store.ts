import type { Windowed } from '../dsl/time-windows.js';
import type { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import type { SessionStore } from './session-store.js';

/**
 * Kafka Streams' `ReadOnlySessionStore`: what interactive queries see of a session store across
 * this instance's tasks. A key lives in one task, so each read asks the task stores until one
 * has sessions for it; key ranges merge them in store order.
 */
export class ReadOnlySessionStore<K, AGG> {
  constructor(private readonly stores: () => readonly SessionStore<K, AGG>[]) {}

  /** Every session of `key`, by end time then start time. */
  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  /** The sessions of keys from `keyFrom` to `keyTo` (null: open), in store order. */
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(a: K | null, ...rest: [] | [K | null]): KeyValueIterator<Windowed<K>, AGG> {
    if (rest.length === 0) return new KeyValueIterator(this.first((s) => [...s.fetch(a as K)]));
    const keyTo = rest[0] ?? null;
    const entries: { kv: KeyValue<Windowed<K>, AGG>; bytes: Buffer }[] = [];
    for (const store of this.stores()) {
      const from = a === null ? null : Buffer.from(store.rawKeyBytes(a));
      const to = keyTo === null ? null : Buffer.from(store.rawKeyBytes(keyTo));
      for (const kv of store.all()) {
        const key = Buffer.from(store.rawKeyBytes(kv.key.key()));
        if (from !== null && Buffer.compare(key, from) < 0) continue;
        if (to !== null && Buffer.compare(key, to) > 0) continue;
        entries.push({ kv, bytes: Buffer.from(store.serializedKey(kv.key)) });
      }
    }
    entries.sort((x, y) => Buffer.compare(x.bytes, y.bytes));
    return new KeyValueIterator(entries.map((e) => e.kv));
  }

  /** As `fetch(key)`, latest first. */
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG> {
    return new KeyValueIterator(this.first((s) => [...s.fetch(key)]).reverse());
  }

  /** `key`'s sessions that end at or after `earliestSessionEndTime` and start at or before `latestSessionStartTime`. */
  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, AGG> {
    return new KeyValueIterator(
      this.first((s) => [...s.findSessions(key, earliestSessionEndTime, latestSessionStartTime)]),
    );
  }

  /** The aggregate of exactly this session of `key`, or null. */
  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): AGG | null {
    for (const store of this.stores()) {
      const value = store.fetchSession(key, sessionStartTime, sessionEndTime);
      if (value !== null) return value;
    }
    return null;
  }

  private first(read: (store: SessionStore<K, AGG>) => KeyValue<Windowed<K>, AGG>[]): KeyValue<Windowed<K>, AGG>[] {
    for (const store of this.stores()) {
      const found = read(store);
      if (found.length > 0) return found;
    }
    return [];
  }
}
