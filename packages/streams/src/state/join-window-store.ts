import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValueStore } from './key-value-store.js';
import { KeyValueStoreBuilder } from './stores.js';
import type { WindowBytesStoreSupplier } from './window-store-supplier.js';

export { type WindowBytesStoreSupplier, windowStoreSupplier } from './window-store-supplier.js';

/** A window store key: Java's WindowKeySchema bytes are `key | timestamp (8, BE) | seqnum (4, BE)`. */
interface WindowKey {
  readonly keyBytes: Uint8Array;
  readonly timestamp: number;
  readonly seqnum: number;
}

const windowKeySerde: Serde<WindowKey> = {
  serializer: () => ({
    serialize(_topic: string, k: WindowKey | null): Uint8Array | null {
      if (k === null) return null;
      const out = Buffer.alloc(k.keyBytes.length + 12);
      out.set(k.keyBytes, 0);
      out.writeBigInt64BE(BigInt(k.timestamp), k.keyBytes.length);
      out.writeUInt32BE(k.seqnum >>> 0, k.keyBytes.length + 8);
      return out;
    },
  }),
  deserializer: () => ({
    deserialize(_topic: string, data: Uint8Array | null): WindowKey | null {
      if (data === null) return null;
      const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const n = b.length - 12;
      return { keyBytes: b.subarray(0, n), timestamp: Number(b.readBigInt64BE(n)), seqnum: b.readUInt32BE(n + 8) };
    },
  }),
};

/**
 * The window store of one side of a stream–stream join (Java's RocksDBWindowStore /
 * InMemoryWindowStore with `retainDuplicates`): every record is kept under key, timestamp and a
 * sequence number, and `fetch(key, from, to)` returns the records of that key in the time range,
 * in timestamp order. Its changelog carries Java's WindowKeySchema bytes. Records older than the
 * retention period behind stream time are dropped locally, as Java drops expired segments (the
 * changelog's `retention.ms` does the same on the broker).
 */
export class JoinWindowStore<K, V> extends KeyValueStore<WindowKey, V> {
  private seqnum = 0;
  private observedStreamTimeMs = -1;
  private lastExpiryMs = Number.NEGATIVE_INFINITY;

  constructor(
    inner: KeyValueBytesStore,
    private readonly recordKeySerde: Serde<K>,
    valueSerde: Serde<V>,
    loggingEnabled: boolean,
    changelogTopic: string,
    private readonly retentionPeriodMs: number,
  ) {
    super(inner, windowKeySerde, valueSerde, loggingEnabled, changelogTopic);
  }

  private bytesOf(key: K): Uint8Array {
    return this.recordKeySerde.serializer().serialize(this.changelogTopic, key) ?? new Uint8Array();
  }

  /** Keeps `value` for `key` at `timestamp`; a record already past retention is not stored. */
  putRecord(key: K, value: V, timestamp: number): void {
    if (timestamp > this.observedStreamTimeMs) this.observedStreamTimeMs = timestamp;
    if (timestamp <= this.observedStreamTimeMs - this.retentionPeriodMs) return;
    this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    this.put({ keyBytes: this.bytesOf(key), timestamp, seqnum: this.seqnum }, value);
    this.maybeExpire();
  }

  /** The records of `key` with `fromMs <= timestamp <= toMs`, oldest first. */
  fetch(key: K, fromMs: number, toMs: number): { timestamp: number; value: V }[] {
    const keyBytes = Buffer.from(this.bytesOf(key));
    const out: { timestamp: number; value: V }[] = [];
    const from = { keyBytes, timestamp: Math.max(0, fromMs), seqnum: 0 };
    const to = { keyBytes, timestamp: Math.max(0, toMs), seqnum: 0xffffffff };
    if (to.timestamp < from.timestamp) return out;
    for (const kv of this.range(from, to)) {
      // The byte range also holds longer keys that start with these bytes: keep only this key.
      if (kv.key.keyBytes.length !== keyBytes.length || !keyBytes.equals(kv.key.keyBytes)) continue;
      if (kv.key.timestamp <= this.observedStreamTimeMs - this.retentionPeriodMs) continue;
      out.push({ timestamp: kv.key.timestamp, value: kv.value });
    }
    return out;
  }

  /** Drops, locally and unlogged, what fell out of retention; at most once per half retention. */
  private maybeExpire(): void {
    const now = this.observedStreamTimeMs;
    if (now - this.lastExpiryMs < Math.max(1, this.retentionPeriodMs / 2)) return;
    this.lastExpiryMs = now;
    for (const [raw] of this.inner.range(null, null)) {
      const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      if (Number(b.readBigInt64BE(b.length - 12)) <= now - this.retentionPeriodMs) this.inner.put(raw, null);
    }
  }
}

/**
 * The builder of a join window store: serdes are resolved against the application's defaults
 * only when a task builds it. Window changelogs are `compact,delete` with `retention.ms` one day
 * past the store's retention (Java's `windowstore.changelog.additional.retention.ms`).
 */
export class JoinWindowStoreBuilder<K, V> extends KeyValueStoreBuilder<K, V> {
  constructor(
    readonly windowSupplier: WindowBytesStoreSupplier,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
  ) {
    super(windowSupplier, keySerde, valueSerde);
  }

  override withLoggingEnabled(config: { [key: string]: string } = {}): this {
    return super.withLoggingEnabled({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(this.windowSupplier.retentionPeriod() + 86_400_000),
      ...config,
    });
  }

  override build(
    defaults: { keySerde: Serde<unknown>; valueSerde: Serde<unknown> },
    changelogTopic: string,
  ): KeyValueStore<K, V> {
    return new JoinWindowStore<K, V>(
      this.supplier.get(),
      (this.keySerde ?? defaults.keySerde) as Serde<K>,
      (this.valueSerde ?? defaults.valueSerde) as Serde<V>,
      this.loggingEnabled(),
      changelogTopic,
      this.windowSupplier.retentionPeriod(),
    ) as unknown as KeyValueStore<K, V>;
  }
}
