import type { KeyValueStore } from '../state/key-value-store.js';
import { Change } from './change.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';

/**
 * The processor that turns a stream into a table (Java's KTableSource, behind both
 * `builder.table()` and `KStream.toTable()`): each record is an upsert of its key in the store,
 * a null value a delete, and the update is forwarded as a `Change`. Null keys cannot be
 * stored and are skipped.
 */
export function addTableSource<K, V>(
  builder: InternalStreamsBuilder,
  name: string,
  parent: string,
  storeName: string,
): void {
  builder.addStatelessProcessor<K, V, K, Change<V>>(name, [parent], (record, context) => {
    const key = record.key();
    if (key === null || key === undefined) return;
    const store = context.getStateStore<KeyValueStore<K, V>>(storeName);
    const value = record.value() ?? null;
    const old = store.get(key);
    store.put(key, value);
    context.forward(record.withValue(new Change(value, old)));
  });
}
