import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { Record } from '../processor/record.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { Change } from './change.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';

/**
 * The processor that turns a stream into a table (Java's KTableSource, behind both
 * `builder.table()` and `KStream.toTable()`): each record is an upsert of its key in the store,
 * a null value a delete, and the update is forwarded as a `Change`. Null keys cannot be
 * stored and are skipped. With the record cache (Java's default for these stores too) the
 * store's flush listener forwards each key's latest Change when the cache writes it through, as
 * for aggregations.
 */
export function addTableSource<K, V>(
  builder: InternalStreamsBuilder,
  name: string,
  parent: string,
  storeName: string,
): void {
  builder.topology.addProcessor(name, () => new KTableSourceProcessor<K, V>(storeName), parent);
}

class KTableSourceProcessor<K, V> implements Processor<K, V, K, Change<V>> {
  private context: ProcessorContext<K, Change<V>> | undefined;
  private store: KeyValueStore<K, V> | undefined;
  private forwardsItself = true;

  constructor(private readonly storeName: string) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    const store = context.getStateStore<KeyValueStore<K, V>>(this.storeName);
    this.store = store;
    this.forwardsItself = !store.setFlushListener((key, newValue, oldValue, timestamp, headers) => {
      // Java's caching store forwards nothing for a delete of a key it never held.
      if (newValue === null && oldValue === null) return;
      context.forward(new Record(key, new Change(newValue, oldValue), timestamp, headers));
    });
  }

  process(record: Record<K, V>): void {
    const key = record.key();
    if (key === null || key === undefined) return;
    const store = this.store as KeyValueStore<K, V>;
    const value = record.value() ?? null;
    const old = store.get(key);
    store.put(key, value);
    if (this.forwardsItself) this.context?.forward(record.withValue(new Change(value, old)));
  }
}
