import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { addProcessorMetadataKeyValue, processorMetadataForKey } from '../processor/processor-metadata.js';
import { Record } from '../processor/record.js';
import type { WindowStore } from '../state/window-store.js';
import { Change } from './change.js';
import { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy, StrategyType } from './emit-strategy.js';
import { type TimeWindows, Windowed } from './time-windows.js';

/** Java's ConsumerRecord.NO_TIMESTAMP: no final result emitted yet. */
const NO_TIMESTAMP = -1;

/**
 * Java's KStreamWindowAggregate: updates the record's windows that are still open. With
 * ON_WINDOW_UPDATE (the default) and no cache it forwards each Change itself; with a cache, the
 * store's flush listener forwards a window's latest Change when the cache writes it through. With
 * ON_WINDOW_CLOSE (KIP-825) nothing goes downstream until a window closes; then its final
 * aggregate does, once, found by a time range over the store at most every
 * `__emit.interval.ms.kstreams.windowed.aggregation__` of wall-clock time.
 */
export class TimeWindowedAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  private context: ProcessorContext<Windowed<K>, Change<VA>> | undefined;
  private store: WindowStore<K, VA> | undefined;
  private forwardsItself = true;
  private lastExpiry = Number.NEGATIVE_INFINITY;
  private readonly emitOnClose: boolean;
  private emitIntervalMs = 1000;
  private nextEmitMs = Number.NEGATIVE_INFINITY;
  /** The close time of the last final emission (Java's lastEmitWindowCloseTime). */
  private lastEmitCloseTime = NO_TIMESTAMP;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    /** How long a window stays in the store after its start (Materialized.withRetention). */
    private readonly retentionMs: number,
    private readonly update: (key: K, value: V, old: VA | null) => VA,
    emitStrategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {
    this.emitOnClose = emitStrategy.type() === StrategyType.ON_WINDOW_CLOSE;
  }

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    const store = context.getStateStore<WindowStore<K, VA>>(this.storeName);
    this.store = store;
    if (this.emitOnClose) {
      // Updates are never forwarded, so the cache needs no listener (Java sets none either).
      this.forwardsItself = false;
      // Where the last run stopped emitting, committed with the input offsets (keyed by store, as Java's).
      this.lastEmitCloseTime = processorMetadataForKey(context, this.storeName) ?? NO_TIMESTAMP;
      const interval = context.appConfigs()[EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION];
      if (interval !== undefined) this.emitIntervalMs = Number(interval);
      return;
    }
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
    // A record never changes a closed window, so the final results may go before its updates.
    if (this.emitOnClose) this.maybeEmitFinal(record, closeTime);
    // Windows past the retention (by default: the closed ones) leave the store (Java drops
    // expired segments; its changelog's retention does the rest, so nothing is logged):
    // checked once per window size of stream time. Under ON_WINDOW_CLOSE a closed window
    // stays until its final result has gone.
    let expiry = observed - this.retentionMs;
    if (this.emitOnClose) expiry = Math.min(expiry, this.lastEmitCloseTime - windows.size());
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

  /**
   * Java's maybeForwardFinalResult: the windows closed since the last emission (ending after the
   * last close time, up to this one) go downstream in store order, with `Change(final, null)`.
   */
  private maybeEmitFinal(record: Record<K, V>, closeTime: number): void {
    const context = this.context as ProcessorContext<Windowed<K>, Change<VA>>;
    const now = context.currentSystemTimeMs();
    if (now < this.nextEmitMs) return;
    this.nextEmitMs = now + this.emitIntervalMs;
    if (this.lastEmitCloseTime !== NO_TIMESTAMP && this.lastEmitCloseTime >= closeTime) return;
    const size = this.windows.size();
    // Window starts, both bounds inclusive: a window is closed once its end is at most closeTime.
    const upper = closeTime - size;
    if (upper < 0) return;
    const lower = this.lastEmitCloseTime === NO_TIMESTAMP ? 0 : Math.max(0, this.lastEmitCloseTime - size) + 1;
    if (lower > upper) return;
    const store = this.store as WindowStore<K, VA>;
    // By window start, then key: Java's time-ordered store (fetchAll here is by key, then start).
    const closed = [...store.fetchAll(lower, upper)].sort((a, b) => a.key.window().start() - b.key.window().start());
    for (const { key, value } of closed) {
      // The time-window store keeps no record timestamps: the result carries its window's last
      // millisecond (Java's carries the window's latest record timestamp).
      const timestamp = key.window().end() - 1;
      context.forward(record.withKey(key).withValue(new Change<VA>(value, null)).withTimestamp(timestamp));
    }
    this.lastEmitCloseTime = closeTime;
    addProcessorMetadataKeyValue(context, this.storeName, closeTime);
  }
}
