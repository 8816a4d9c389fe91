import { addProcessorMetadataKeyValue, processorMetadataForKey } from '../processor/processor-metadata.js';
import { Record } from '../processor/record.js';
import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { sessionWindowedSerde } from '../serde/session-windowed-serde.js';
import { SessionStore } from '../state/session-store.js';
import { Change } from './change.js';
import { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy, StrategyType } from './emit-strategy.js';
import { type GroupedStreamSource, splitArgs } from './grouped-stream-source.js';
import type { Aggregator, Initializer, Reducer } from './kgrouped-stream.js';
import { KTable } from './ktable.js';
import { type Materialized, retentionOrDefault } from './materialized.js';
import type { Named } from './named.js';
import { SessionWindow, type SessionWindows } from './session-windows.js';
import { Windowed } from './time-windows.js';
import { recordWindowGrace } from './window-grace.js';

/** Java's `Merger`: combines the aggregates of two sessions that a record bridges. */
export type Merger<K, V> = (aggKey: K, aggOne: V, aggTwo: V) => V;

/**
 * Kafka Streams' `SessionWindowedKStream` (`groupByKey().windowedBy(SessionWindows…)`): one
 * aggregate per key and session into a `KTable<Windowed<K>, V>` keyed by Java's
 * SessionWindowedSerde. As Java's KStreamSessionWindowAggregate: a record finds the sessions
 * within the gap on either side, merges them (their aggregates through the Merger) into one
 * session, deletes the old ones (forwarding a tombstone for each old session key), then stores
 * and forwards the new session, stamped with the session's end time.
 */
export class SessionWindowedKStream<K, V> {
  constructor(
    private readonly source: GroupedStreamSource<K, V>,
    private readonly windows: SessionWindows,
    private readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /**
   * When the aggregation emits (Java 3.5+): `EmitStrategy.onWindowClose()` sends each session's
   * final result once stream time passes its end plus the gap and the grace period, and nothing
   * before; `onWindowUpdate()` (the default) every update, merges included.
   */
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.source, this.windows, strategy);
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
      (_k, a, b) => a + b,
    );
  }

  reduce(
    reducer: Reducer<V>,
    materializedOrNamed?: Materialized<K, V> | Named,
    materialized?: Materialized<K, V>,
  ): KTable<Windowed<K>, V> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    // Java's reduce: a null initial aggregate; merging applies the reducer to the two aggregates.
    const add = (_k: K, v: V, agg: V | null): V => (agg === null ? v : reducer(agg, v));
    return this.doAggregate<V | null>(
      'KSTREAM-REDUCE-',
      named,
      mat as Materialized<K, V | null> | undefined,
      this.source.valueSerde,
      () => null,
      add,
      (k, a, b) => (b === null ? a : add(k, b, a)),
    ) as KTable<Windowed<K>, V>;
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    sessionMerger: Merger<K, VA>,
    materializedOrNamed?: Materialized<K, VA> | Named,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const [named, mat] = splitArgs(materializedOrNamed, materialized);
    return this.doAggregate<VA>('KSTREAM-AGGREGATE-', named, mat, undefined, initializer, aggregator, sessionMerger);
  }

  private doAggregate<VA>(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, VA> | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const { storeName, name, parent } = this.source.aggregation(prefix, named, materialized);
    const keySerde = materialized?.keySerde ?? this.source.keySerde;
    const storeBuilder = this.source.builder.storeBuilder<K, VA>(
      materialized,
      storeName,
      keySerde,
      materialized?.valueSerde ?? defaultValueSerde,
    );
    storeBuilder.storeFactory = (inner, k, v, logging, topic) =>
      new SessionStore(inner, k, v, logging, topic) as unknown as SessionStore<unknown, unknown>;
    // Java's session changelogs: compacted and deleted, kept a day past the store's retention
    // (Materialized.withRetention, at least gap + grace, which is the default).
    const retentionMs = retentionOrDefault(
      materialized as Materialized<unknown, unknown> | undefined,
      windows.inactivityGap() + windows.gracePeriodMs(),
      `session store ${storeName}`,
      (retention) =>
        `the session inactivity gap plus the grace period. Got gap=[${windows.inactivityGap()}], ` +
        `grace=[${windows.gracePeriodMs()}], retention=[${retention}]`,
    );
    if (storeBuilder.loggingEnabled()) {
      storeBuilder.withLoggingEnabled({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(retentionMs + 86_400_000),
        ...storeBuilder.logConfigs(),
      });
    }
    // Java's default, as for the other aggregations: the record cache keeps each session's latest
    // aggregate until a commit (or eviction) writes it through and forwards it; a session merged
    // away before that never reaches the store or downstream.
    // (Under ON_WINDOW_CLOSE without a cache, as Java's SessionStoreMaterializer.)
    const emitOnClose = this.strategy.type() === StrategyType.ON_WINDOW_CLOSE;
    if ((materialized?.cachingEnabled ?? true) && !emitOnClose) storeBuilder.withCachingEnabled();
    const gapMs = windows.inactivityGap();
    const lastExpiry = new WeakMap<object, number>();
    /** ON_WINDOW_CLOSE, per task's store: the wall-clock throttle and the last emission's close time. */
    const emitted = new WeakMap<object, { nextEmitMs: number; lastCloseTime: number }>();
    const selfForwarding = new WeakMap<object, boolean>();
    this.source.builder.addStatelessProcessor<K, V, Windowed<K>, Change<VA>>(name, [parent], (record, context) => {
      const key = record.key();
      if (key === null || key === undefined) return;
      const timestamp = record.timestamp();
      const observed = Math.max(context.currentStreamTimeMs(), timestamp);
      const closeTime = observed - windows.gracePeriodMs() - gapMs;
      const store = context.getStateStore<SessionStore<K, VA>>(storeName);
      let forwardsItself = selfForwarding.get(store);
      if (forwardsItself === undefined && emitOnClose) {
        // Updates are never forwarded, so the cache needs no listener (Java sets none either).
        forwardsItself = false;
        selfForwarding.set(store, false);
      } else if (forwardsItself === undefined) {
        // A cached store forwards what it writes through: a new session as Change(agg, null), a
        // merged-away one as Change(null, old), at the session's end (Java's SessionCacheFlushListener).
        forwardsItself = !store.setFlushListener((sessionKey, newValue, oldValue, _ts, headers) =>
          context.forward(
            new Record(
              sessionKey,
              new Change(newValue, newValue === null ? oldValue : null),
              sessionKey.window().end(),
              headers,
            ),
          ),
        );
        selfForwarding.set(store, forwardsItself);
      }
      // Sessions past the store's retention (gap + grace, plus one gap of margin: Java drops whole
      // segments, so it keeps at least that long) leave it, checked once per gap of stream time.
      // Under ON_WINDOW_CLOSE a closed session stays until its final result has gone.
      let expiry = observed - retentionMs - gapMs;
      const emission = emitOnClose
        ? (emitted.get(store) ?? {
            nextEmitMs: Number.NEGATIVE_INFINITY,
            // Where the last run stopped emitting, committed with the input offsets (keyed by store, as Java's).
            lastCloseTime: processorMetadataForKey(context, storeName) ?? NO_TIMESTAMP,
          })
        : undefined;
      if (emission !== undefined) {
        emitted.set(store, emission);
        expiry = Math.min(expiry, emission.lastCloseTime);
      }
      if (expiry - (lastExpiry.get(store) ?? Number.NEGATIVE_INFINITY) >= gapMs) {
        lastExpiry.set(store, expiry);
        store.expireSessionsEndingBefore(expiry);
      }
      const merged = [...store.findSessions(key, timestamp - gapMs, timestamp + gapMs)];
      let agg = initializer();
      let start = timestamp;
      let end = timestamp;
      for (const session of merged) {
        agg = merger(key, agg, session.value);
        start = Math.min(start, session.key.window().start());
        end = Math.max(end, session.key.window().end());
      }
      // Late (the session it would join or start is closed): dropped, but Java still checks for
      // final results to emit.
      if (end >= closeTime) update();
      if (emission !== undefined) emitFinal(emission);

      function update(): void {
        if (start !== timestamp || end !== timestamp) {
          for (const session of merged) {
            store.remove(session.key);
            const tombstone = new Change<VA>(null, session.value);
            if (forwardsItself) {
              context.forward(
                record.withKey(session.key).withValue(tombstone).withTimestamp(session.key.window().end()),
              );
            }
          }
        }
        agg = aggregator(key, record.value(), agg);
        const sessionKey = new Windowed(key as K, new SessionWindow(start, end));
        store.put(sessionKey, agg);
        if (forwardsItself)
          context.forward(record.withKey(sessionKey).withValue(new Change(agg, null)).withTimestamp(end));
      }

      /**
       * Java's maybeForwardFinalResult for sessions (both ends inclusive): the sessions that ended
       * from the last close time to this close time − 1 go downstream with `Change(final, null)`,
       * stamped with their end, at most every `__emit.interval.ms.kstreams.windowed.aggregation__`.
       */
      function emitFinal(state: { nextEmitMs: number; lastCloseTime: number }): void {
        const now = context.currentSystemTimeMs();
        if (now < state.nextEmitMs) return;
        const interval = context.appConfigs()[EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION];
        state.nextEmitMs = now + (interval === undefined ? 1000 : Number(interval));
        if (state.lastCloseTime !== NO_TIMESTAMP && state.lastCloseTime >= closeTime) return;
        const upper = closeTime - 1;
        if (upper < 0) return;
        const lower = Math.max(0, state.lastCloseTime);
        if (upper < lower) return;
        for (const session of store.findSessionsEndingBetween(lower, upper)) {
          context.forward(
            record
              .withKey(session.key)
              .withValue(new Change<VA>(session.value, null))
              .withTimestamp(session.key.window().end()),
          );
        }
        state.lastCloseTime = closeTime;
        addProcessorMetadataKeyValue(context, storeName, closeTime);
      }
    });
    this.source.builder.topology.addStateStore(storeBuilder, name);
    recordWindowGrace(this.source.builder.topology, name, windows.gracePeriodMs() + gapMs);
    return new KTable<Windowed<K>, VA>(
      this.source.builder,
      name,
      storeName,
      keySerde === undefined ? undefined : sessionWindowedSerde(keySerde),
      storeBuilder.valueSerde,
    );
  }
}

/** Java's ConsumerRecord.NO_TIMESTAMP: no final result emitted yet. */
const NO_TIMESTAMP = -1;
