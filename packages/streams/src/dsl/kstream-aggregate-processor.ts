import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { Record } from '../processor/record.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { Change } from './change.js';

/**
 * Java's KStreamAggregate/KStreamReduce processor: reads the key's aggregate, updates it, writes
 * it back. Without a cache it forwards Change(new, old) itself; with one, the store's flush
 * listener forwards each key's latest Change when the cache writes it through (Java's
 * TimestampedTupleForwarder).
 */
export class KStreamAggregateProcessor<K, V, VA> implements Processor<K, V, K, Change<VA>> {
  private context: ProcessorContext<K, Change<VA>> | undefined;
  private store: KeyValueStore<K, VA> | undefined;
  private forwardsItself = true;

  constructor(
    private readonly storeName: string,
    private readonly update: (key: K, value: V, old: VA | null) => VA,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.context = context;
    const store = context.getStateStore<KeyValueStore<K, VA>>(this.storeName);
    this.store = store;
    this.forwardsItself = !store.setFlushListener((key, newValue, oldValue, timestamp, headers) =>
      context.forward(new Record(key, new Change(newValue as VA, oldValue), timestamp, headers)),
    );
  }

  process(record: Record<K, V>): void {
    const key = record.key();
    const value = record.value();
    if (key === null || key === undefined || value === null || value === undefined) return;
    const store = this.store as KeyValueStore<K, VA>;
    const old = store.get(key);
    const next = this.update(key, value, old);
    store.put(key, next);
    if (this.forwardsItself) this.context?.forward(record.withValue(new Change(next, old)));
  }
}
