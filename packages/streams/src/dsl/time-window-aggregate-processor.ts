import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { Record } from '../processor/record.js';
import type { WindowStore } from '../state/window-store.js';
import { Change } from './change.js';
import { type TimeWindows, Windowed } from './time-windows.js';

/**
 * Java's KStreamWindowAggregate: updates the record's windows that are still open. Without a
 * cache it forwards each Change itself; with one, the store's flush listener forwards a window's
 * latest Change when the cache writes it through.
 */
export class TimeWindowedAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  private context: ProcessorContext<Windowed<K>, Change<VA>> | undefined;
  private store: WindowStore<K, VA> | undefined;
  private forwardsItself = true;
  private lastExpiry = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    /** How long a window stays in the store after its start (Materialized.withRetention). */
    private readonly retentionMs: number,
    private readonly update: (key: K, value: V, old: VA | null) => VA,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    const store = context.getStateStore<WindowStore<K, VA>>(this.storeName);
    this.store = store;
    this.forwardsItself = !store.setFlushListener((key, newValue, oldValue, timestamp, headers) =>
      context.forward(new Record(key, new Change(newValue as VA, oldValue), timestamp, headers)),
    );
  }

  process(record: Record<K, V>): void {
    const key = record.key();
    const value = record.value();
    if (key === null || key === undefined || value === null || value === undefined) return;
    const context = this.context as ProcessorContext<Windowed<K>, Change<VA>>;
    const store = this.store as WindowStore<K, VA>;
    const windows = this.windows;
    // Java closes a window once stream time passes its end plus the grace period.
    const observed = Math.max(context.currentStreamTimeMs(), record.timestamp());
    const closeTime = observed - windows.gracePeriodMs();
    // Windows past the retention (by default: the closed ones) leave the store (Java drops
    // expired segments; its changelog's retention does the rest, so nothing is logged):
    // checked once per window size of stream time.
    const expiry = observed - this.retentionMs;
    if (expiry - this.lastExpiry >= windows.size()) {
      this.lastExpiry = expiry;
      store.expireWindowsStartingBefore(expiry + 1);
    }
    for (const window of windows.windowsFor(record.timestamp())) {
      if (window.end() <= closeTime) continue;
      const windowed = new Windowed(key, window);
      const old = store.get(windowed);
      const next = this.update(key, value, old);
      store.put(windowed, next);
      if (this.forwardsItself) context.forward(record.withKey(windowed).withValue(new Change(next, old)));
    }
  }
}
