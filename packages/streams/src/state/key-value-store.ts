import type { RecordHeader } from '@samsa/client';
import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValue } from './key-value.js';
import { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/** Receives every write of a logged store, to send to its changelog (null value: a tombstone). */
export type ChangeLogger = (key: Uint8Array, value: Uint8Array | null, headers?: readonly RecordHeader[]) => void;

/**
 * Kafka Streams' `KeyValueStore<K, V>`: typed reads and writes over a byte store. Keys and values
 * go through the store's serdes (Java's MeteredKeyValueStore), and, when logging is enabled, each
 * write is also handed to the changelog logger (Java's ChangeLoggingKeyValueBytesStore) with the
 * same bytes, so a restore from the changelog rebuilds exactly these bytes.
 */
export class KeyValueStore<K, V> implements StateStore {
  private changeLogger: ChangeLogger | undefined;
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
    return this.valueOf(this.inner.get(this.keyBytes(key)));
  }

  put(key: K, value: V | null): void {
    const k = this.keyBytes(key);
    const v = value === null ? null : this.valueSerde.serializer().serialize(this.changelogTopic, value);
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
    return this.entries(this.inner.range(null, null));
  }

  /** Keys from `from` to `to` inclusive, in the order of their serialized bytes (as Java). */
  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.entries(
      this.inner.range(from === null ? null : this.keyBytes(from), to === null ? null : this.keyBytes(to)),
    );
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }
}
