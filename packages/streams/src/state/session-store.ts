import type { Windowed } from '../dsl/time-windows.js';
import type { Serde } from '../serde/serde.js';
import { sessionWindowedSerde } from '../serde/session-windowed-serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import { KeyValueStore } from './key-value-store.js';

/**
 * Kafka Streams' `SessionStore<K, AGG>`: one aggregate per key and session. It is a key-value
 * store over Java's session key layout (key bytes, end, start; see `sessionWindowedSerde`), in
 * memory or in SQLite, so its changelog carries the bytes a Java session store logs and the
 * sessions of one key are adjacent, ordered by end time then start time.
 */
export class SessionStore<K, AGG> extends KeyValueStore<Windowed<K>, AGG> {
  constructor(
    inner: KeyValueBytesStore,
    private readonly rawKeySerde: Serde<K>,
    private readonly sessionValueSerde: Serde<AGG>,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    super(
      inner,
      sessionWindowedSerde(rawKeySerde) as Serde<Windowed<K>>,
      sessionValueSerde,
      loggingEnabled,
      changelogTopic,
    );
  }

  /**
   * The sessions of `key` that end at or after `earliestSessionEndTime` and start at or before
   * `latestSessionStartTime` (Java's `findSessions`), in store order.
   */
  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, AGG> {
    return new KeyValueIterator(
      this.sessionsOf(key).filter(
        (kv) => kv.key.window().end() >= earliestSessionEndTime && kv.key.window().start() <= latestSessionStartTime,
      ),
    );
  }

  /** Every session of `key` (Java's `fetch(key)`). */
  fetch(key: K): KeyValueIterator<Windowed<K>, AGG> {
    return new KeyValueIterator(this.sessionsOf(key));
  }

  /** The aggregate of exactly this session, or null (Java's `fetchSession`). */
  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): AGG | null {
    const found = this.sessionsOf(key).find(
      (kv) => kv.key.window().start() === sessionStartTime && kv.key.window().end() === sessionEndTime,
    );
    return found === undefined ? null : found.value;
  }

  /** Deletes a session (logged as a tombstone for its key), as Java's `remove`. */
  remove(sessionKey: Windowed<K>): void {
    this.put(sessionKey, null);
  }

  /**
   * Drops, locally and without changelog tombstones, the sessions that ended before `time`: Java
   * drops expired segments the same way, and the changelog's retention removes them there.
   */
  expireSessionsEndingBefore(time: number): void {
    // Written through first, so that a cached session still goes downstream and is not written
    // back after the sweep.
    this.flushCache();
    for (const [k] of this.inner.range(null, null)) {
      const bytes = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
      if (Number(bytes.readBigInt64BE(bytes.length - 16)) < time) this.inner.put(k, null);
    }
  }

  /**
   * Every session of any key that ends from `earliestSessionEndTime` to `latestSessionEndTime`
   * (both inclusive), by end time, then start time, then key bytes: what Java's time-ordered
   * session store's `findSessions(earliestEnd, latestEnd)` returns (EmitStrategy.onWindowClose). A
   * scan of the whole store here, where Java keeps an index by time.
   */
  findSessionsEndingBetween(
    earliestSessionEndTime: number,
    latestSessionEndTime: number,
  ): KeyValue<Windowed<K>, AGG>[] {
    const hits: { bytes: Buffer; end: number; value: Uint8Array }[] = [];
    for (const [k, v] of this.rangeBytes(null, null)) {
      const bytes = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
      if (bytes.length < 16) continue;
      const end = Number(bytes.readBigInt64BE(bytes.length - 16));
      if (end >= earliestSessionEndTime && end <= latestSessionEndTime) hits.push({ bytes, end, value: v });
    }
    hits.sort(
      (a, b) =>
        a.end - b.end ||
        Number(a.bytes.readBigInt64BE(a.bytes.length - 8) - b.bytes.readBigInt64BE(b.bytes.length - 8)) ||
        Buffer.compare(a.bytes.subarray(0, a.bytes.length - 16), b.bytes.subarray(0, b.bytes.length - 16)),
    );
    const keys = sessionWindowedSerde(this.rawKeySerde).deserializer();
    const values = this.sessionValueSerde.deserializer();
    return hits.map((h) =>
      KeyValue.pair(
        keys.deserialize(this.changelogTopic, h.bytes) as Windowed<K>,
        values.deserialize(this.changelogTopic, h.value) as AGG,
      ),
    );
  }

  /** The key's bytes as the store lays them out before the session's end and start. */
  rawKeyBytes(key: K): Uint8Array {
    return this.rawKeySerde.serializer().serialize(this.changelogTopic, key) ?? new Uint8Array();
  }

  private sessionsOf(key: K): KeyValue<Windowed<K>, AGG>[] {
    const prefix = this.rawKeyBytes(key);
    const from = Buffer.concat([prefix, Buffer.alloc(16, 0)]);
    const to = Buffer.concat([prefix, Buffer.alloc(16, 0xff)]);
    const out: KeyValue<Windowed<K>, AGG>[] = [];
    const keys = sessionWindowedSerde(this.rawKeySerde).deserializer();
    const values = this.sessionValueSerde.deserializer();
    // A longer key with the same prefix also falls in the byte range; its length tells it apart.
    for (const [k, v] of this.rangeBytes(from, to)) {
      if (k.length !== prefix.length + 16) continue;
      out.push(
        KeyValue.pair(
          keys.deserialize(this.changelogTopic, k) as Windowed<K>,
          values.deserialize(this.changelogTopic, v) as AGG,
        ),
      );
    }
    return out;
  }
}
