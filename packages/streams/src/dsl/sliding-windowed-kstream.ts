import { addProcessorMetadataKeyValue, processorMetadataForKey } from '../processor/processor-metadata.js';
import { Record } from '../processor/record.js';
import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { WindowedSerdes } from '../serde/windowed-serdes.js';
import { TimestampedWindowStore } from '../state/timestamped-window-store.js';
import { ValueAndTimestamp } from '../state/value-and-timestamp.js';
import { Change } from './change.js';
import { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy, StrategyType } from './emit-strategy.js';
import { type GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { Aggregator, Initializer, Reducer } from './kgrouped-stream.js';
import { KTable } from './ktable.js';
import { type Materialized, retentionOrDefault } from './materialized.js';
import type { Named } from './named.js';
import type { SlidingWindows } from './sliding-windows.js';
import { TimeWindow, Windowed } from './time-windows.js';
import { recordWindowGrace } from './window-grace.js';

/**
 * Java's `windowedBy(SlidingWindows)` (a `TimeWindowedKStream` there): count, reduce and
 * aggregate per key over sliding windows, with the algorithm of Java's
 * KStreamSlidingWindowAggregate: a record updates every stored window that holds it, creates its
 * own left window (seeded from the aggregate of the window just before it) and, when needed, its
 * own right window and the previous record's right window. Windows are `TimeWindow(start,
 * start + diff)`, both ends inclusive; each update is forwarded with the window's latest record
 * timestamp.
 */
export class SlidingWindowedKStream<K, V> {
  constructor(
    private readonly source: GroupedStreamSource<K, V>,
    private readonly windows: SlidingWindows,
    private readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /**
   * When the aggregation emits (KIP-825): `EmitStrategy.onWindowClose()` sends each window's final
   * result once stream time passes its end plus the grace period, and nothing before (found by a
   * time range over the store after each record, at most every
   * `__emit.interval.ms.kstreams.windowed.aggregation__` of wall-clock time, as Java);
   * `onWindowUpdate()` (the default) every update.
   */
  emitStrategy(strategy: EmitStrategy): SlidingWindowedKStream<K, V> {
    return new SlidingWindowedKStream(this.source, this.windows, strategy);
  }

  count(
    materializedOrNamed?: Materialized<K, bigint> | Named,
    materialized?: Materialized<K, bigint>,
  ): KTable<Windowed<K>, bigint> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<bigint>(
      'KSTREAM-AGGREGATE-',
      named,
      mat,
      Serdes.Long(),
      () => 0n,
      (_k, _v, agg) => agg + 1n,
    );
  }

  reduce(
    reducer: Reducer<V>,
    materializedOrNamed?: Materialized<K, V> | Named,
    materialized?: Materialized<K, V>,
  ): KTable<Windowed<K>, V> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<V | null>(
      'KSTREAM-REDUCE-',
      named,
      mat as Materialized<K, V | null> | undefined,
      this.source.valueSerde,
      () => null,
      (_k, v, agg) => (agg === null ? v : reducer(agg, v)),
    ) as KTable<Windowed<K>, V>;
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materializedOrNamed?: Materialized<K, VA> | Named,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<VA>('KSTREAM-AGGREGATE-', named, mat, undefined, initializer, aggregator);
  }

  private doAggregate<VA>(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, VA> | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
  ): KTable<Windowed<K>, VA> {
    const diff = this.windows.timeDifference();
    const graceMs = this.windows.gracePeriodMs();
    const lastExpiry = new WeakMap<object, number>();
    const emitOnClose = this.strategy.type() === StrategyType.ON_WINDOW_CLOSE;
    /** ON_WINDOW_CLOSE, per task's store: the wall-clock throttle and the last emission's close time. */
    const emitted = new WeakMap<object, { nextEmitMs: number; lastCloseTime: number }>();
    const { storeName, name, parent } = this.source.aggregation(prefix, named, materialized);
    // Java keeps 2 × diff + grace by default: a record's right window may need the windows of
    // records up to 2 × diff earlier. Materialized.withRetention may keep more, never less.
    const retentionMs = retentionOrDefault(
      materialized as Materialized<unknown, unknown> | undefined,
      2 * diff + graceMs,
      `window store ${storeName}`,
      (retention) =>
        `2 * time difference plus the grace period. Got time difference=[${diff}], grace=[${graceMs}], ` +
        `retention=[${retention}]`,
    );
    const keySerde = materialized?.keySerde ?? this.source.keySerde;
    const storeBuilder = this.source.builder.storeBuilder<K, VA>(
      materialized,
      storeName,
      keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
    );
    storeBuilder.storeFactory = (inner, k, v, logging, topic) =>
      new TimestampedWindowStore(inner, k, v, diff, logging, topic) as unknown as TimestampedWindowStore<
        unknown,
        unknown
      >;
    if (storeBuilder.loggingEnabled()) {
      storeBuilder.withLoggingEnabled({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(retentionMs + 86_400_000),
        ...storeBuilder.logConfigs(),
      });
    }
    // Java's default, as for the other aggregations: the record cache keeps each window's latest
    // aggregate until a commit (or eviction) writes it through and forwards it.
    // (Under ON_WINDOW_CLOSE without a cache, as Java's SlidingWindowStoreMaterializer.)
    if ((materialized?.cachingEnabled ?? true) && !emitOnClose) storeBuilder.withCachingEnabled();
    const selfForwarding = new WeakMap<object, boolean>();
    this.source.builder.addStatelessProcessor<K, V, Windowed<K>, Change<VA>>(name, [parent], (record, context) => {
      const key = record.key();
      const value = record.value();
      if (key === null || key === undefined || value === null || value === undefined) return;
      const t = record.timestamp();
      const closeTime = Math.max(context.currentStreamTimeMs(), t) - graceMs;
      if (t + 1 + diff <= closeTime) return; // both its left and its right window have closed
      const store = context.getStateStore<TimestampedWindowStore<K, VA>>(storeName);
      let forwardsItself = selfForwarding.get(store);
      if (forwardsItself === undefined && emitOnClose) {
        // Updates are never forwarded, so the cache needs no listener (Java sets none either).
        forwardsItself = false;
        selfForwarding.set(store, false);
      } else if (forwardsItself === undefined) {
        // A cached store forwards what it writes through, at the window's latest record timestamp
        // (Java's TimestampedCacheFlushListener).
        forwardsItself = !store.setFlushListener((windowed, newValue, oldValue, ts, headers) =>
          context.forward(
            new Record(
              windowed,
              new Change(newValue?.value ?? null, oldValue?.value ?? null),
              newValue?.timestamp ?? ts,
              headers,
            ),
          ),
        );
        selfForwarding.set(store, forwardsItself);
      }
      const selfForward = forwardsItself;
      // Windows past the store's retention (2 × diff + grace, as Java's, plus one diff of margin:
      // Java drops whole segments) leave it, checked once per diff of stream time. Under
      // ON_WINDOW_CLOSE a closed window stays until its final result has gone.
      let expiry = Math.max(context.currentStreamTimeMs(), t) - retentionMs - diff;
      const emission = emitOnClose
        ? (emitted.get(store) ?? {
            nextEmitMs: Number.NEGATIVE_INFINITY,
            // Where the last run stopped emitting, committed with the input offsets (keyed by store, as Java's).
            lastCloseTime: processorMetadataForKey(context, storeName) ?? NO_TIMESTAMP,
          })
        : undefined;
      if (emission !== undefined) {
        emitted.set(store, emission);
        expiry = Math.min(expiry, emission.lastCloseTime - diff);
      }
      if (expiry - (lastExpiry.get(store) ?? Number.NEGATIVE_INFINITY) >= Math.max(1, diff)) {
        lastExpiry.set(store, expiry);
        store.expireWindowsStartingBefore(expiry);
      }
      const update = (window: TimeWindow, current: ValueAndTimestamp<VA>): void => {
        // Both ends are inclusive: a window is open while its end is not before the close time.
        if (window.end() < closeTime) return;
        const next = aggregator(key, value, current.value);
        const timestamp = Math.max(t, current.timestamp);
        store.put(new Windowed(key, window), ValueAndTimestamp.make(next, timestamp));
        if (selfForward)
          forward(context, record, new Windowed(key, window), new Change(next, current.value), timestamp);
      };
      const aggregate = (): void => {
        const startTimes = new Set<number>();
        let rightWinAgg: ValueAndTimestamp<VA> | null = null;
        let rightWinAlreadyCreated = false;
        let previousRecordTimestamp: number | null = null;
        if (t < diff) {
          // Early records (Java's processEarly): one combined window [0, diff] holds them all.
          let combined: { window: TimeWindow; value: ValueAndTimestamp<VA> } | null = null;
          for (const { key: windowed, value: stored } of store.fetch(key, 0, t + 1)) {
            const start = windowed.window().start();
            startTimes.add(start);
            if (start === 0) {
              combined = { window: windowed.window(), value: stored };
              if (stored.timestamp < t) previousRecordTimestamp = stored.timestamp;
            } else if (start <= t) {
              rightWinAgg = stored;
              update(windowed.window(), stored);
            } else if (start === t + 1) {
              rightWinAlreadyCreated = true;
            }
          }
          if (rightWinAgg === null && combined !== null && combined.value.timestamp > t) rightWinAgg = combined.value;
          if (!rightWinAlreadyCreated && rightWinAgg !== null && rightWinAgg.timestamp > t) {
            putRightWindow(t, rightWinAgg);
          }
          if (previousRecordTimestamp !== null && !startTimes.has(previousRecordTimestamp + 1)) {
            const start = previousRecordTimestamp + 1;
            update(new TimeWindow(start, start + diff), ValueAndTimestamp.make(initializer(), t));
          }
          if (combined === null) update(new TimeWindow(0, diff), ValueAndTimestamp.make(initializer(), t));
          else update(combined.window, combined.value);
          return;
        }
        let leftWinAgg: ValueAndTimestamp<VA> | null = null;
        let leftWinAlreadyCreated = false;
        // Java walks the windows backwards (its stores support backwardFetch): latest start first,
        // so updates are forwarded in that order, stopping at the first window that ends before t.
        const fetched = [...store.fetch(key, t - 2 * diff, t + 1)].reverse();
        for (const { key: windowed, value: stored } of fetched) {
          const start = windowed.window().start();
          startTimes.add(start);
          const end = start + diff;
          if (start === t + 1) {
            rightWinAlreadyCreated = true;
          } else if (end > t) {
            rightWinAgg ??= stored;
            update(windowed.window(), stored);
          } else if (end === t) {
            leftWinAlreadyCreated = true;
            update(windowed.window(), stored);
            if (stored.timestamp < t) previousRecordTimestamp = stored.timestamp;
            else return; // a record at t already made every window this one needs
          } else {
            leftWinAgg = stored;
            previousRecordTimestamp = stored.timestamp;
            break;
          }
        }
        if (previousRecordTimestamp !== null) {
          const start = previousRecordTimestamp + 1;
          if (!startTimes.has(start) && start + diff >= t) {
            update(new TimeWindow(start, start + diff), ValueAndTimestamp.make(initializer(), t));
          }
        }
        if (!leftWinAlreadyCreated) {
          const seed =
            leftWinAgg !== null && previousRecordTimestamp !== null && t - diff <= previousRecordTimestamp
              ? leftWinAgg.value
              : initializer();
          update(new TimeWindow(t - diff, t), ValueAndTimestamp.make(seed, t));
        }
        if (!rightWinAlreadyCreated && rightWinAgg !== null && rightWinAgg.timestamp > t)
          putRightWindow(t, rightWinAgg);

        /** The record's right window holds exactly what the window it overlaps holds (later records). */
        function putRightWindow(timestamp: number, agg: ValueAndTimestamp<VA>): void {
          const window = new TimeWindow(timestamp + 1, timestamp + 1 + diff);
          store.put(new Windowed(key as K, window), agg);
          if (selfForward)
            forward(context, record, new Windowed(key as K, window), new Change(agg.value, null), agg.timestamp);
        }
      };
      aggregate();
      // Java emits after the record's updates, and not for an early record (t < diff).
      if (emission !== undefined && t >= diff) emitFinal(emission, closeTime);

      /**
       * Java's maybeForwardFinalResult for sliding windows (both ends inclusive): the windows that
       * closed since the last emission — starts from the last close time − diff up to this close
       * time − diff − 1 — go downstream in store order with `Change(final, null)`, at the
       * window's latest record timestamp.
       */
      function emitFinal(state: { nextEmitMs: number; lastCloseTime: number }, windowCloseTime: number): void {
        const now = context.currentSystemTimeMs();
        if (now < state.nextEmitMs) return;
        const interval = context.appConfigs()[EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION];
        state.nextEmitMs = now + (interval === undefined ? 1000 : Number(interval));
        if (state.lastCloseTime !== NO_TIMESTAMP && state.lastCloseTime >= windowCloseTime) return;
        const upper = windowCloseTime - diff - 1;
        if (upper < 0) return;
        const lower = state.lastCloseTime === NO_TIMESTAMP ? 0 : Math.max(0, state.lastCloseTime - diff);
        // By window start, then key: Java's time-ordered store (fetchAll here is by key, then start).
        const closed = [...store.fetchAll(lower, upper)].sort(
          (a, b) => a.key.window().start() - b.key.window().start(),
        );
        for (const { key: windowed, value: final } of closed) {
          forward(context, record, windowed, new Change<VA>(final.value, null), final.timestamp);
        }
        state.lastCloseTime = windowCloseTime;
        addProcessorMetadataKeyValue(context, storeName, windowCloseTime);
      }
    });
    this.source.builder.topology.addStateStore(storeBuilder, name);
    recordWindowGrace(this.source.builder.topology, name, graceMs);
    return new KTable<Windowed<K>, VA>(
      this.source.builder,
      name,
      storeName,
      keySerde === undefined ? undefined : WindowedSerdes.timeWindowedSerdeFrom(keySerde, diff),
      storeBuilder.valueSerde,
    );
  }
}

/** Java's ConsumerRecord.NO_TIMESTAMP: no final result emitted yet. */
const NO_TIMESTAMP = -1;

function forward<K, V, VA>(
  context: { forward(record: Record<Windowed<K>, Change<VA>>): void },
  record: Record<K, V>,
  key: Windowed<K>,
  change: Change<VA>,
  timestamp: number,
): void {
  context.forward(record.withKey(key).withValue(change).withTimestamp(timestamp));
}
