import type { KeyValueStore } from '../state/key-value-store.js';
import type { GlobalKTable } from './global-ktable.js';
import { copartition, repartitionForJoin, valueGetterOf } from './join-support.js';
import type { Joined } from './joined.js';
import type { KeyValueMapper, KStream } from './kstream.js';
import { KStream as KStreamImpl } from './kstream.js';
import type { KTable } from './ktable.js';
import type { Named } from './named.js';
import type { ValueJoiner } from './value-joiner.js';

/**
 * A stream–table join (Java's KStreamKTableJoin): each stream record looks up the table's current
 * value for its key; `join` forwards only matches, `leftJoin` every record (with null when the
 * table has no value). Table updates trigger nothing. The stream is repartitioned first when its
 * key changed, and the stream's and table's topics must be co-partitioned. Records with a null
 * value are dropped; a null key is dropped by `join` and joined with null by `leftJoin` (KIP-962).
 */
export function joinStreamTable<K, V, VT, VR>(
  stream: KStream<K, V>,
  table: KTable<K, VT>,
  joiner: ValueJoiner<K, V, VT | null, VR>,
  joined: Joined<K, V, VT> | undefined,
  leftJoin: boolean,
): KStream<K, VR> {
  const builder = stream.builder;
  const parent = stream.repartitionRequired
    ? repartitionForJoin(
        builder,
        joined?.name ?? stream.nodeName,
        stream.nodeName,
        joined?.keySerde ?? stream.keySerde,
        joined?.valueSerde ?? stream.valueSerde,
      )
    : stream.nodeName;
  const name = joined?.name ?? builder.newProcessorName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const getter = valueGetterOf<K, VT>(table);
  builder.addStatelessProcessor<K, V, K, VR>(
    name,
    [parent],
    (record, context) => {
      const key = record.key();
      const value = record.value();
      if (value === null || value === undefined) return;
      if (key === null || key === undefined) {
        if (leftJoin) context.forward(record.withValue(joiner(value, null, key)));
        return;
      }
      const tableValue = getter.get((n) => context.getStateStore(n), key);
      if (tableValue === null && !leftJoin) return;
      context.forward(record.withValue(joiner(value, tableValue, key)));
    },
    getter.storeNames,
  );
  copartition(builder.topology, [parent, table.nodeName]);
  return new KStreamImpl<K, VR>(builder, name, joined?.keySerde ?? stream.keySerde, undefined, false);
}

/**
 * A stream–GlobalKTable join (Java's KStreamGlobalKTableJoin): `keySelector` maps each stream
 * record to a table key, looked up in the global store; the stream key is kept. No
 * repartitioning and no co-partitioning: every instance holds the whole table.
 */
export function joinStreamGlobalTable<K, V, GK, GV, VR>(
  stream: KStream<K, V>,
  table: GlobalKTable<GK, GV>,
  keySelector: KeyValueMapper<K, V, GK | null>,
  joiner: ValueJoiner<K, V, GV | null, VR>,
  named: Named | undefined,
  leftJoin: boolean,
): KStream<K, VR> {
  const builder = stream.builder;
  const name = builder.nameOf(named, leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  builder.addStatelessProcessor<K, V, K, VR>(name, [stream.nodeName], (record, context) => {
    const value = record.value();
    if (value === null || value === undefined) return;
    const tableKey = keySelector(record.key(), value);
    const tableValue =
      tableKey === null || tableKey === undefined
        ? null
        : context.getStateStore<KeyValueStore<GK, GV>>(table.storeName).get(tableKey);
    if (tableValue === null && !leftJoin) return;
    context.forward(record.withValue(joiner(value, tableValue, record.key())));
  });
  return new KStreamImpl<K, VR>(builder, name, stream.keySerde, undefined, stream.repartitionRequired);
}
