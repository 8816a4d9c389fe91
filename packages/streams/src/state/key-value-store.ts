import type { RecordHeader } from '@samsa/client';
import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import { type CacheEntry, NamedCache, type ThreadCache } from './record-cache.js';
import type { StateStore } from './state-store.js';

/**
 * Receives every write of a logged store, to send to its changelog (null value: a tombstone),
 * with the store's changelog headers, and the timestamp of the record that made it when the write
 * comes from the record cache.
 */
export type ChangeLogger = (
  key: Uint8Array,
  value: Uint8Array | null,
  headers?: readonly RecordHeader[],
  timestamp?: number,
) => void;

/** Hears the updates a caching store writes through (Java's CacheFlushListener): forwards them downstream. */
export type FlushListener<K, V> = (
  key: K,
  newValue: V | null,
  oldValue: V | null,
  timestamp: number,
  headers: readonly RecordHeader[],
) => void;

/**
 * The record context of a caching store's owner (Java's ProcessorRecordContext): `current` is
 * the record being processed when the store is written (it goes with the cache entry);
 * `restore` runs the forwarding of a flushed entry with that record's source (topic, partition,
 * offset) as the current one, so that downstream processors see where the update came from.
 */
export interface RecordContextProvider {
  current(): { readonly timestamp: number; readonly headers: readonly RecordHeader[]; readonly source: unknown };
  restore(source: unknown, run: () => void): void;
}

/**
 * Kafka Streams' `KeyValueStore<K, V>`: typed reads and writes over a byte store. Keys and values
 * go through the store's serdes (Java's MeteredKeyValueStore), and, when logging is enabled, each
 * write is also handed to the changelog logger (Java's ChangeLoggingKeyValueBytesStore) with the
 * same bytes, so a restore from the changelog rebuilds exactly these bytes.
 */
export class KeyValueStore<K, V> implements StateStore {
  private changeLogger: ChangeLogger | undefined;
  private cache: NamedCache | undefined;
  private recordContext: RecordContextProvider | undefined;
  /** Kept untyped so that a `KeyValueStore<K, V>` stays assignable to `KeyValueStore<unknown, unknown>`. */
  private flushListener: FlushListener<unknown, unknown> | undefined;
  /** Headers on this store's changelog values (none, but the suppression buffer's format version). */
  protected changelogHeaders: readonly RecordHeader[] | undefined;

  constructor(
    readonly inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    readonly loggingEnabled: boolean,
    readonly changelogTopic: string,
  ) {}

  /** Set by the task that owns the store; writes before it are not logged (restoration writes bytes directly). */
  setChangeLogger(logger: ChangeLogger | undefined): void {
    this.changeLogger = logger;
  }

  /**
   * Puts the record cache in front of the store (Java's CachingKeyValueStore): writes stay in the
   * cache until it is flushed (commit) or evicts them, then reach the store, the changelog and the
   * flush listener together.
   */
  enableCache(thread: ThreadCache, recordContext: RecordContextProvider): void {
    this.cache = new NamedCache(thread, (entry) => this.writeThrough(entry));
    this.recordContext = recordContext;
  }

  /**
   * Java's `setFlushListener`: with a cache, the listener forwards the updates as they leave the
   * cache and the processor must not forward them itself — true tells it so.
   */
  setFlushListener(listener: FlushListener<K, V>): boolean {
    if (this.cache === undefined) return false;
    this.flushListener = listener as FlushListener<unknown, unknown>;
    return true;
  }

  get cachingEnabled(): boolean {
    return this.cache !== undefined;
  }

  private writeThrough(entry: CacheEntry): void {
    const listener = this.flushListener;
    const oldBytes = listener === undefined ? null : this.inner.get(entry.key);
    // Java's optimisation: a delete of a key the store never held (written and deleted between
    // two flushes: a session merged away at once) reaches neither the store nor downstream.
    if (listener !== undefined && entry.value === null && oldBytes === null) return;
    this.inner.put(entry.key, entry.value);
    this.changeLogger?.(
      entry.key,
      entry.value,
      entry.value === null ? undefined : this.changelogHeaders,
      entry.timestamp,
    );
    if (listener !== undefined) {
      const key = this.keySerde.deserializer().deserialize(this.changelogTopic, entry.key) as K;
      (this.recordContext as RecordContextProvider).restore(entry.source, () =>
        listener(key, this.valueOf(entry.value), this.valueOf(oldBytes), entry.timestamp, entry.headers),
      );
    }
  }

  name(): string {
    return this.inner.storeName;
  }

  persistent(): boolean {
    return this.inner.isPersistent;
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  /** The key's bytes as this store writes them (the order of `all` and `range`). */
  serializedKey(key: K): Uint8Array {
    return this.keyBytes(key);
  }

  private keyBytes(key: K): Uint8Array {
    if (key === null || key === undefined) throw new Error(`state store ${this.name()}: key cannot be null`);
    return this.keySerde.serializer().serialize(this.changelogTopic, key) as Uint8Array;
  }

  private valueOf(bytes: Uint8Array | null): V | null {
    return bytes === null ? null : this.valueSerde.deserializer().deserialize(this.changelogTopic, bytes);
  }

  get(key: K): V | null {
    const k = this.keyBytes(key);
    const cached = this.cache?.get(k);
    return this.valueOf(cached === undefined ? this.inner.get(k) : cached.value);
  }

  put(key: K, value: V | null): void {
    const k = this.keyBytes(key);
    const v = value === null ? null : this.valueSerde.serializer().serialize(this.changelogTopic, value);
    if (this.cache !== undefined) {
      this.cache.put({ key: k, value: v, ...(this.recordContext as RecordContextProvider).current() });
      return;
    }
    this.inner.put(k, v);
    this.changeLogger?.(k, v, v === null ? undefined : this.changelogHeaders);
  }

  putIfAbsent(key: K, value: V): V | null {
    const old = this.get(key);
    if (old === null) this.put(key, value);
    return old;
  }

  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    for (const e of entries) this.put(e.key, e.value);
  }

  delete(key: K): V | null {
    const old = this.get(key);
    this.put(key, null);
    return old;
  }

  private entries(rows: [Uint8Array, Uint8Array][]): KeyValueIterator<K, V> {
    const keys = this.keySerde.deserializer();
    return new KeyValueIterator(
      rows.map(([k, v]) => KeyValue.pair(keys.deserialize(this.changelogTopic, k) as K, this.valueOf(v) as V)),
    );
  }

  all(): KeyValueIterator<K, V> {
    return this.entries(this.rangeBytes(null, null));
  }

  /** Keys from `from` to `to` inclusive, in the order of their serialized bytes (as Java). */
  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.entries(
      this.rangeBytes(from === null ? null : this.keyBytes(from), to === null ? null : this.keyBytes(to)),
    );
  }

  /** The store's rows with the cache's unwritten entries laid over them (Java's merged cache iterator). */
  protected rangeBytes(from: Uint8Array | null, to: Uint8Array | null): [Uint8Array, Uint8Array][] {
    const stored = this.inner.range(from, to);
    const cached = this.cache?.range(from, to) ?? [];
    if (cached.length === 0) return stored;
    const out: [Uint8Array, Uint8Array][] = [];
    let i = 0;
    let j = 0;
    while (i < stored.length || j < cached.length) {
      const s = stored[i];
      const c = cached[j];
      const order = s === undefined ? 1 : c === undefined ? -1 : Buffer.compare(s[0], c.key);
      if (order < 0) {
        out.push(s as [Uint8Array, Uint8Array]);
        i++;
        continue;
      }
      if (order === 0) i++;
      const entry = c as CacheEntry;
      if (entry.value !== null) out.push([entry.key, entry.value]);
      j++;
    }
    return out;
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  flush(): void {
    this.cache?.flush();
    this.inner.flush();
  }

  /** Writes the record cache through (and so forwards its updates), without flushing the store itself. */
  flushCache(): void {
    this.cache?.flush();
  }

  /** Closes the store; what the cache still holds is dropped (a commit flushes it before a clean close). */
  close(): void {
    this.cache?.clear();
    this.inner.close();
  }
}
