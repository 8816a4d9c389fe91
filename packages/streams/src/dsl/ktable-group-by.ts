import type { KeyValue } from '../state/key-value.js';
import { Change } from './change.js';
import type { Grouped } from './grouped.js';
import { KGroupedTable } from './kgrouped-table.js';
import type { KeyValueMapper } from './kstream.js';
import type { KTable } from './ktable.js';

/**
 * `KTable.groupBy` (Java's KTableRepartitionMap): maps each update's new and old value to a new
 * key and value. When both land on the same key they travel as one Change; otherwise the old
 * pair goes first as a subtraction (Change(null, old)), then the new one as an addition, so the
 * downstream aggregate never counts a row twice. Pairs with a null key or value are skipped.
 */
export function groupTableBy<K, V, KR, VR>(
  table: KTable<K, V>,
  selector: KeyValueMapper<K, V, KeyValue<KR, VR>>,
  grouped: Grouped<KR, VR> | undefined,
): KGroupedTable<KR, VR> {
  const builder = table.builder;
  const name = builder.nameOf(grouped?.name, 'KTABLE-SELECT-');
  builder.addStatelessProcessor<K, Change<V>, KR, Change<VR>>(name, [table.nodeName], (record, context) => {
    const change = record.value();
    const usable = (kv: KeyValue<KR, VR> | null): kv is KeyValue<KR, VR> =>
      kv !== null && kv.key !== null && kv.key !== undefined && kv.value !== null && kv.value !== undefined;
    const newPair = change.newValue === null ? null : selector(record.key(), change.newValue);
    const oldPair = change.oldValue === null ? null : selector(record.key(), change.oldValue);
    if (usable(oldPair) && usable(newPair) && sameKey(oldPair.key, newPair.key)) {
      context.forward(record.withKey(newPair.key).withValue(new Change(newPair.value, oldPair.value)));
      return;
    }
    if (usable(oldPair)) context.forward(record.withKey(oldPair.key).withValue(new Change<VR>(null, oldPair.value)));
    if (usable(newPair)) context.forward(record.withKey(newPair.key).withValue(new Change<VR>(newPair.value, null)));
  });
  return new KGroupedTable<KR, VR>(builder, name, grouped);
}

/** Java compares keys with `equals`: by value for the primitive and byte-array keys serdes produce. */
function sameKey(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return a === b;
}
