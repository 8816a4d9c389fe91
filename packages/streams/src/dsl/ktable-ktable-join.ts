import type { KeyValueStore } from '../state/key-value-store.js';
import { Change } from './change.js';
import { copartition, registerValueGetter, type TableValueGetter, valueGetterOf } from './join-support.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import type { ValueJoiner } from './value-joiner.js';

/**
 * A table–table join (Java's KTableKTableJoin): an update on either side looks up the other
 * side's current value and forwards the joined `Change` (new and old joined values), through
 * `KTABLE-JOINTHIS-` / `KTABLE-JOINOTHER-` into `KTABLE-MERGE-`. Inner joins need both sides,
 * `leftJoin` this side, `outerJoin` either; a side turning null (a tombstone) makes the result a
 * tombstone or a half-null join accordingly. With `Materialized` the result is kept in a store
 * (queryable, joinable); without, later joins compute it from both sides' stores.
 */
export function joinTables<K, V, VO, VR>(
  thisTable: KTable<K, V>,
  other: KTable<K, VO>,
  joiner: ValueJoiner<K, V | null, VO | null, VR>,
  named: Named | undefined,
  materialized: Materialized<K, VR> | undefined,
  leftOuter: boolean,
  rightOuter: boolean,
): KTable<K, VR> {
  const builder = thisTable.builder;
  const storeName =
    materialized === undefined ? undefined : (materialized.storeName ?? builder.newStoreName('KTABLE-MERGE-'));
  const mergeName = builder.nameOf(named, 'KTABLE-MERGE-');
  const joinThisName = named === undefined ? builder.newProcessorName('KTABLE-JOINTHIS-') : `${named.name}-join-this`;
  const joinOtherName =
    named === undefined ? builder.newProcessorName('KTABLE-JOINOTHER-') : `${named.name}-join-other`;
  const thisGetter = valueGetterOf<K, V>(thisTable);
  const otherGetter = valueGetterOf<K, VO>(other);
  const combine = (left: V | null, right: VO | null, key: K): VR | null => {
    if (left !== null && right !== null) return joiner(left, right, key);
    if (left !== null) return leftOuter ? joiner(left, null, key) : null;
    if (right !== null) return rightOuter ? joiner(null, right, key) : null;
    return null;
  };
  const sides = [
    { name: joinThisName, parent: thisTable.nodeName, getter: otherGetter as TableValueGetter<K, unknown>, left: true },
    { name: joinOtherName, parent: other.nodeName, getter: thisGetter as TableValueGetter<K, unknown>, left: false },
  ];
  for (const side of sides) {
    builder.addStatelessProcessor<K, Change<unknown>, K, Change<VR>>(
      side.name,
      [side.parent],
      (record, context) => {
        const key = record.key();
        if (key === null || key === undefined) return;
        const change = record.value();
        const theirs = side.getter.get((n) => context.getStateStore(n), key);
        const joinWith = (mine: unknown) =>
          side.left
            ? combine(mine as V | null, theirs as VO | null, key)
            : combine(theirs as V | null, mine as VO | null, key);
        const newValue = joinWith(change.newValue);
        const oldValue = joinWith(change.oldValue);
        if (newValue === null && oldValue === null) return;
        context.forward(record.withValue(new Change(newValue, oldValue)));
      },
      side.getter.storeNames,
    );
  }
  builder.addStatelessProcessor<K, Change<VR>, K, Change<VR>>(
    mergeName,
    [joinThisName, joinOtherName],
    (record, context) => {
      if (storeName === undefined) {
        context.forward(record);
        return;
      }
      const store = context.getStateStore<KeyValueStore<K, VR>>(storeName);
      const old = store.get(record.key());
      store.put(record.key(), record.value().newValue);
      context.forward(record.withValue(new Change(record.value().newValue, old)));
    },
  );
  if (storeName !== undefined) {
    const storeBuilder = builder.storeBuilder<K, VR>(
      materialized,
      storeName,
      materialized?.keySerde ?? thisTable.keySerde,
      materialized?.valueSerde,
    );
    builder.topology.addStateStore(storeBuilder, mergeName);
  }
  copartition(builder.topology, [thisTable.nodeName, other.nodeName]);
  const result = new KTable<K, VR>(
    builder,
    mergeName,
    storeName,
    materialized?.keySerde ?? thisTable.keySerde,
    materialized?.valueSerde,
  );
  if (storeName === undefined) {
    registerValueGetter<K, VR>(result, {
      storeNames: [...new Set([...thisGetter.storeNames, ...otherGetter.storeNames])],
      get: (getStore, key) => combine(thisGetter.get(getStore, key), otherGetter.get(getStore, key), key),
    });
  }
  return result;
}
