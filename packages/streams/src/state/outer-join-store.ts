import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValueStore } from './key-value-store.js';
import { type KeyValueBytesStoreSupplier, KeyValueStoreBuilder } from './stores.js';

/** Java's `TimestampedKeyAndJoinSide` bytes: timestamp (8, BE), side (1: left), key. */
interface SideKey {
  readonly timestamp: number;
  readonly leftSide: boolean;
  readonly keyBytes: Uint8Array;
}

/** Java's `LeftOrRightValue` bytes: side (1: left), then the value's bytes. */
interface SideValue {
  readonly leftSide: boolean;
  readonly valueBytes: Uint8Array;
}

const sideKeySerde: Serde<SideKey> = {
  serializer: () => ({
    serialize(_t: string, k: SideKey | null): Uint8Array | null {
      if (k === null) return null;
      const out = Buffer.alloc(9 + k.keyBytes.length);
      out.writeBigInt64BE(BigInt(k.timestamp), 0);
      out[8] = k.leftSide ? 1 : 0;
      out.set(k.keyBytes, 9);
      return out;
    },
  }),
  deserializer: () => ({
    deserialize(_t: string, d: Uint8Array | null): SideKey | null {
      if (d === null) return null;
      const b = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
      return { timestamp: Number(b.readBigInt64BE(0)), leftSide: b[8] === 1, keyBytes: b.subarray(9) };
    },
  }),
};

const sideValueSerde: Serde<SideValue> = {
  serializer: () => ({
    serialize(_t: string, v: SideValue | null): Uint8Array | null {
      if (v === null) return null;
      const out = Buffer.alloc(1 + v.valueBytes.length);
      out[0] = v.leftSide ? 1 : 0;
      out.set(v.valueBytes, 1);
      return out;
    },
  }),
  deserializer: () => ({
    deserialize(_t: string, d: Uint8Array | null): SideValue | null {
      if (d === null) return null;
      const b = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
      return { leftSide: b[0] === 1, valueBytes: b.subarray(1) };
    },
  }),
};

/** A record waiting in the outer-join store for its window to close. */
export interface NonJoinedRecord<K, V1, V2> {
  readonly key: K;
  readonly timestamp: number;
  readonly leftSide: boolean;
  readonly leftValue: V1 | null;
  readonly rightValue: V2 | null;
}

/**
 * The store shared by both sides of a left or outer stream–stream join (Kafka 3.1+,
 * KAFKA-10847): a record that found no partner waits here, keyed by timestamp first, until its
 * window closes; only then is its non-joined result emitted, so a partner arriving within the
 * window (and grace) suppresses it — no spurious `(value, null)` results. A later match deletes
 * the entry. Keys and values are Java's `TimestampedKeyAndJoinSide` / `LeftOrRightValue` bytes.
 */
export class OuterJoinStore<K, V1, V2> extends KeyValueStore<SideKey, SideValue> {
  constructor(
    inner: KeyValueBytesStore,
    private readonly recordKeySerde: Serde<K>,
    private readonly leftValueSerde: Serde<V1>,
    private readonly rightValueSerde: Serde<V2>,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    super(inner, sideKeySerde, sideValueSerde, loggingEnabled, changelogTopic);
  }

  private recordKeyBytes(key: K): Uint8Array {
    return this.recordKeySerde.serializer().serialize(this.changelogTopic, key) ?? new Uint8Array();
  }

  putNonJoined(key: K, timestamp: number, leftSide: boolean, value: V1 | V2): void {
    const serde = (leftSide ? this.leftValueSerde : this.rightValueSerde) as Serde<V1 | V2>;
    const valueBytes = serde.serializer().serialize(this.changelogTopic, value) ?? new Uint8Array();
    this.put({ timestamp, leftSide, keyBytes: this.recordKeyBytes(key) }, { leftSide, valueBytes });
  }

  deleteNonJoined(key: K, timestamp: number, leftSide: boolean): void {
    const k = { timestamp, leftSide, keyBytes: this.recordKeyBytes(key) };
    if (this.get(k) !== null) this.put(k, null);
  }

  /** The waiting records, oldest first (the store's key order). */
  *waiting(): Generator<NonJoinedRecord<K, V1, V2> & { readonly storeKey: SideKey }> {
    for (const kv of this.all()) {
      const key = this.recordKeySerde.deserializer().deserialize(this.changelogTopic, kv.key.keyBytes) as K;
      const serde = (kv.value.leftSide ? this.leftValueSerde : this.rightValueSerde) as Serde<V1 | V2>;
      const value = serde.deserializer().deserialize(this.changelogTopic, kv.value.valueBytes);
      yield {
        storeKey: kv.key,
        key,
        timestamp: kv.key.timestamp,
        leftSide: kv.key.leftSide,
        leftValue: kv.value.leftSide ? (value as V1) : null,
        rightValue: kv.value.leftSide ? null : (value as V2),
      };
    }
  }
}

/** Builds the shared outer-join store; serdes resolve against the defaults when a task builds it. */
export class OuterJoinStoreBuilder<K, V1, V2> extends KeyValueStoreBuilder<K, V1> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K> | undefined,
    private readonly leftValueSerde: Serde<V1> | undefined,
    private readonly rightValueSerde: Serde<V2> | undefined,
  ) {
    super(supplier, keySerde, leftValueSerde);
  }

  override build(
    defaults: { keySerde: Serde<unknown>; valueSerde: Serde<unknown> },
    changelogTopic: string,
  ): KeyValueStore<K, V1> {
    return new OuterJoinStore<K, V1, V2>(
      this.supplier.get(),
      (this.keySerde ?? defaults.keySerde) as Serde<K>,
      (this.leftValueSerde ?? defaults.valueSerde) as Serde<V1>,
      (this.rightValueSerde ?? defaults.valueSerde) as Serde<V2>,
      this.loggingEnabled(),
      changelogTopic,
    ) as unknown as KeyValueStore<K, V1>;
  }
}
