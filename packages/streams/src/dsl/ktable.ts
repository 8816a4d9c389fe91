import type { Serde } from '../serde/serde.js';
import type { KeyValue } from '../state/key-value.js';
import { Change } from './change.js';
import type { Grouped } from './grouped.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { KGroupedTable } from './kgrouped-table.js';
import { type KeyValueMapper, KStream, mapValue, type Predicate, type ValueMapper } from './kstream.js';
import { foreignKeyJoin } from './ktable-fk-join.js';
import { groupTableBy } from './ktable-group-by.js';
import { joinTables } from './ktable-ktable-join.js';
import { suppressTable } from './ktable-suppress.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import type { Suppressed } from './suppressed.js';
import type { ValueJoiner } from './value-joiner.js';

/**
 * Kafka Streams' `KTable`: a changelog stream, the latest value per key. Its nodes forward
 * `Change`s (new and old value). `filter` turns an update that no longer matches into a
 * tombstone for that key, as Java's does; `toStream()` forwards each new value (null for a
 * deletion). Results of `filter`/`mapValues` are not materialized in a store of their own.
 */
export class KTable<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly nodeName: string,
    /** The store holding this table, when it is materialized (aggregations, `builder.table`). */
    readonly queryableStoreName: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}

  queryableStoreNameOf(): string | null {
    return this.queryableStoreName ?? null;
  }

  private doFilter(predicate: Predicate<K, V>, not: boolean, named: Named | undefined): KTable<K, V> {
    const name = this.builder.nameOf(named, 'KTABLE-FILTER-');
    const keep = (key: K, value: V | null): V | null =>
      value !== null && predicate(key, value) !== not ? value : null;
    this.builder.addStatelessProcessor<K, Change<V>, K, Change<V>>(name, [this.nodeName], (r, c) => {
      const change = r.value();
      const next = keep(r.key(), change.newValue);
      const old = keep(r.key(), change.oldValue);
      if (next === null && old === null) return;
      c.forward(r.withValue(new Change(next, old)));
    });
    return new KTable(this.builder, name, undefined, this.keySerde, this.valueSerde);
  }

  filter(predicate: Predicate<K, V>, named?: Named): KTable<K, V> {
    return this.doFilter(predicate, false, named);
  }

  filterNot(predicate: Predicate<K, V>, named?: Named): KTable<K, V> {
    return this.doFilter(predicate, true, named);
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, named?: Named): KTable<K, VR> {
    const name = this.builder.nameOf(named, 'KTABLE-MAPVALUES-');
    const apply = (key: K, value: V | null): VR | null => (value === null ? null : mapValue(mapper, key, value));
    this.builder.addStatelessProcessor<K, Change<V>, K, Change<VR>>(name, [this.nodeName], (r, c) => {
      const change = r.value();
      c.forward(r.withValue(new Change(apply(r.key(), change.newValue), apply(r.key(), change.oldValue))));
    });
    return new KTable<K, VR>(this.builder, name, undefined, this.keySerde, undefined);
  }

  /** Re-keys the table for an aggregation (Java's `groupBy`), through a repartition topic. */
  groupBy<KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR>>, grouped?: Grouped<KR, VR>): KGroupedTable<KR, VR> {
    return groupTableBy(this, selector, grouped);
  }

  /** Holds updates back (Java's `suppress`): see `Suppressed.untilWindowCloses` / `untilTimeLimit`. */
  suppress(suppressed: Suppressed): KTable<K, V> {
    return suppressTable(this, suppressed);
  }

  toStream(named?: Named): KStream<K, V> {
    const name = this.builder.nameOf(named, 'KTABLE-TOSTREAM-');
    this.builder.addStatelessProcessor<K, Change<V>, K, V | null>(name, [this.nodeName], (r, c) => {
      c.forward(r.withValue(r.value().newValue));
    });
    return new KStream<K, V>(this.builder, name, this.keySerde, this.valueSerde, false);
  }

  // ---- table–table joins (see ktable-ktable-join.ts) ----

  /** The foreign-key join (KIP-213): `foreignKeyExtractor` picks the other table's key from this value. */
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<K, V, VO, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  join<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<K, V, VO, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation of two overloads with different key types
  join(other: KTable<any, any>, ...args: unknown[]): KTable<K, unknown> {
    if (typeof args[1] === 'function') return this.fkJoin(other, args, false);
    const [named, mat] = splitJoinArgs(args[1] as Named | Materialized<K, unknown> | undefined, args[2] as never);
    return joinTables(
      this,
      other as KTable<K, unknown>,
      args[0] as ValueJoiner<K, V | null, unknown, unknown>,
      named,
      mat,
      false,
      false,
    );
  }

  private fkJoin(other: KTable<unknown, unknown>, args: unknown[], leftJoin: boolean): KTable<K, unknown> {
    const [named, mat] = splitJoinArgs(args[2] as Named | Materialized<K, unknown> | undefined, args[3] as never);
    return foreignKeyJoin(
      this,
      other,
      args[0] as (value: V) => unknown,
      args[1] as ValueJoiner<K, V, unknown, unknown>,
      named,
      mat,
      leftJoin,
    );
  }

  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<K, V, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<K, V, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  // biome-ignore lint/suspicious/noExplicitAny: the implementation of two overloads with different key types
  leftJoin(other: KTable<any, any>, ...args: unknown[]): KTable<K, unknown> {
    if (typeof args[1] === 'function') return this.fkJoin(other, args, true);
    const [named, mat] = splitJoinArgs(args[1] as Named | Materialized<K, unknown> | undefined, args[2] as never);
    return joinTables(
      this,
      other as KTable<K, unknown>,
      args[0] as ValueJoiner<K, V | null, unknown, unknown>,
      named,
      mat,
      true,
      false,
    );
  }

  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<K, V | null, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR> {
    const [named, mat] = splitJoinArgs(namedOrMaterialized, materialized);
    return joinTables(this, other, joiner, named, mat, true, true);
  }
}

function splitJoinArgs<K, V>(
  a: Named | Materialized<K, V> | undefined,
  b: Materialized<K, V> | undefined,
): [Named | undefined, Materialized<K, V> | undefined] {
  if (a !== undefined && 'storeSupplier' in a) return [undefined, a];
  return [a, b];
}
