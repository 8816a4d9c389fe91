import type { Serde } from '../serde/serde.js';
import { type JoinWindowStore, JoinWindowStoreBuilder, windowStoreSupplier } from '../state/join-window-store.js';
import { type OuterJoinStore, OuterJoinStoreBuilder } from '../state/outer-join-store.js';
import { Stores } from '../state/stores.js';
import { copartition, repartitionForJoin } from './join-support.js';
import type { JoinWindows } from './join-windows.js';
import { KStream } from './kstream.js';
import { StreamJoined } from './stream-joined.js';
import type { ValueJoiner } from './value-joiner.js';

/** Stream time and the oldest waiting non-joined record, shared by both join processors of a task. */
interface TimeTracker {
  streamTimeMs: number;
  minTimeMs: number;
}

/**
 * A windowed stream–stream join, built as Java's KStreamImplJoin builds it: each side goes
 * through a `KSTREAM-WINDOWED-` node that keeps its records in a window store, then a join node
 * that looks up the other side's store (`KSTREAM-JOINTHIS-` / `KSTREAM-JOINOTHER-`, or
 * `-OUTERTHIS-` / `-OUTEROTHER-` for an outer side), and a `KSTREAM-MERGE-` of both. Left and
 * outer joins share a `KSTREAM-OUTERSHARED-<n>-store` holding records without a partner until
 * their window closes (Kafka 3.1+ semantics: no spurious non-joined results).
 */
export function joinStreams<K, V, VO, VR>(
  thisStream: KStream<K, V>,
  otherStream: KStream<K, VO>,
  joiner: ValueJoiner<K, V | null, VO | null, VR>,
  windows: JoinWindows,
  streamJoined: StreamJoined<K, V, VO> | undefined,
  leftOuter: boolean,
  rightOuter: boolean,
): KStream<K, VR> {
  const builder = thisStream.builder;
  const joined = streamJoined ?? StreamJoined.with<K, V, VO>(undefined, undefined, undefined);
  const keySerde = joined.keySerde ?? thisStream.keySerde ?? otherStream.keySerde;
  const thisValueSerde = joined.valueSerde ?? thisStream.valueSerde;
  const otherValueSerde = joined.otherValueSerde ?? otherStream.valueSerde;
  const name = joined.name;
  const thisParent = thisStream.repartitionRequired
    ? repartitionForJoin(
        builder,
        name === undefined ? thisStream.nodeName : `${name}-left`,
        thisStream.nodeName,
        keySerde,
        thisValueSerde,
      )
    : thisStream.nodeName;
  const otherParent = otherStream.repartitionRequired
    ? repartitionForJoin(
        builder,
        name === undefined ? otherStream.nodeName : `${name}-right`,
        otherStream.nodeName,
        keySerde,
        otherValueSerde,
      )
    : otherStream.nodeName;
  copartition(builder.topology, [thisParent, otherParent]);

  const named = (suffix: string, prefix: string) =>
    name === undefined ? builder.newProcessorName(prefix) : `${name}${suffix}`;
  const thisWindowedName = named('-this-windowed', 'KSTREAM-WINDOWED-');
  const otherWindowedName = named('-other-windowed', 'KSTREAM-WINDOWED-');
  const joinThisGenerated = builder.newProcessorName(rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-');
  const joinOtherGenerated = builder.newProcessorName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const joinThisName = name === undefined ? joinThisGenerated : `${name}-this-join`;
  const joinOtherName = name === undefined ? joinOtherGenerated : `${name}-other-join`;
  const mergeName = named('-merge', 'KSTREAM-MERGE-');

  const retentionMs = windows.size() + windows.gracePeriodMs();
  const windowStore = <VS>(
    supplier: ReturnType<typeof windowStoreSupplier> | undefined,
    generated: string,
    suffix: string,
    valueSerde: Serde<VS> | undefined,
  ) => {
    const storeName = joined.storeName === undefined ? `${generated}-store` : `${joined.storeName}${suffix}-store`;
    const b = new JoinWindowStoreBuilder<K, VS>(
      supplier ?? windowStoreSupplier(storeName, retentionMs, windows.size(), true, true),
      keySerde,
      valueSerde,
    );
    if (joined.loggingEnabled) b.withLoggingEnabled({ ...joined.topicConfig });
    else b.withLoggingDisabled();
    return b;
  };
  const thisStore = windowStore<V>(
    joined.thisStoreSupplier,
    joinThisGenerated,
    rightOuter ? '-outer-this-join' : '-this-join',
    thisValueSerde,
  );
  const otherStore = windowStore<VO>(
    joined.otherStoreSupplier,
    joinOtherGenerated,
    leftOuter ? '-outer-other-join' : '-other-join',
    otherValueSerde,
  );
  let sharedStoreName: string | undefined;
  let sharedStore: OuterJoinStoreBuilder<K, V, VO> | undefined;
  if (leftOuter) {
    const suffix = rightOuter ? '-outer-shared-join' : '-left-shared-join';
    const base =
      joined.thisStoreSupplier !== undefined
        ? `${joined.thisStoreSupplier.name()}${suffix}`
        : joined.storeName !== undefined
          ? `${joined.storeName}${suffix}`
          : `KSTREAM-OUTERSHARED-${joinThisGenerated.slice(joinThisGenerated.lastIndexOf('-') + 1)}`;
    sharedStoreName = `${base}-store`;
    const supplier =
      joined.thisStoreSupplier !== undefined && !joined.thisStoreSupplier.persistent
        ? Stores.inMemoryKeyValueStore(sharedStoreName)
        : Stores.persistentKeyValueStore(sharedStoreName);
    sharedStore = new OuterJoinStoreBuilder<K, V, VO>(supplier, keySerde, thisValueSerde, otherValueSerde);
    if (joined.loggingEnabled) sharedStore.withLoggingEnabled({ ...joined.topicConfig });
    else sharedStore.withLoggingDisabled();
  }

  const topology = builder.topology;
  addWindowedNode(builder, thisWindowedName, thisParent, thisStore.name());
  addWindowedNode(builder, otherWindowedName, otherParent, otherStore.name());
  const trackers = new Map<string, TimeTracker>();
  const sides = [
    { name: joinThisName, parent: thisWindowedName, otherStore: otherStore.name(), leftSide: true, outer: leftOuter },
    {
      name: joinOtherName,
      parent: otherWindowedName,
      otherStore: thisStore.name(),
      leftSide: false,
      outer: rightOuter,
    },
  ];
  for (const side of sides) {
    // For the other side the window is mirrored: its records look back `after` and ahead `before`.
    const beforeMs = side.leftSide ? windows.beforeMs : windows.afterMs;
    const afterMs = side.leftSide ? windows.afterMs : windows.beforeMs;
    builder.addStatelessProcessor<K, unknown, K, VR>(side.name, [side.parent], (record, context) => {
      const key = record.key();
      const value = record.value();
      const joinValues = (mine: unknown, theirs: unknown) =>
        side.leftSide
          ? joiner(mine as V | null, theirs as VO | null, key)
          : joiner(theirs as V | null, mine as VO | null, key);
      if (key === null || key === undefined) {
        // KIP-962 (Kafka 3.7): an outer side emits a null-key record unjoined at once.
        if (side.outer && value !== null && value !== undefined)
          context.forward(record.withValue(joinValues(value, null)));
        return;
      }
      if (value === null || value === undefined) return;
      const taskKey = String(context.taskId());
      let tracker = trackers.get(taskKey);
      if (tracker === undefined) {
        tracker = { streamTimeMs: -1, minTimeMs: Number.MAX_SAFE_INTEGER };
        trackers.set(taskKey, tracker);
      }
      const ts = record.timestamp();
      if (ts > tracker.streamTimeMs) tracker.streamTimeMs = ts;
      const shared =
        sharedStoreName === undefined ? undefined : context.getStateStore<OuterJoinStore<K, V, VO>>(sharedStoreName);
      // A record whose window already closed (beyond grace) can join nothing: dropped, as in Java.
      if (ts + afterMs + windows.gracePeriodMs() < tracker.streamTimeMs) return;
      if (shared !== undefined && ts === tracker.streamTimeMs) {
        emitNonJoined(shared, tracker, windows, (r) =>
          context.forward(
            record
              .withKey(r.key)
              .withValue(joiner(r.leftValue, r.rightValue, r.key))
              .withTimestamp(r.timestamp),
          ),
        );
      }
      const other = context.getStateStore<JoinWindowStore<K, unknown>>(side.otherStore);
      const matches = other.fetch(key, ts - beforeMs, ts + afterMs);
      for (const m of matches) {
        shared?.deleteNonJoined(key, m.timestamp, !side.leftSide);
        context.forward(record.withValue(joinValues(value, m.value)).withTimestamp(Math.max(ts, m.timestamp)));
      }
      if (matches.length > 0 || !side.outer) return;
      // Out of order and already past its window: emitted now rather than held (Java does the same).
      if (shared === undefined || ts + afterMs < tracker.streamTimeMs) {
        context.forward(record.withValue(joinValues(value, null)));
      } else {
        tracker.minTimeMs = Math.min(tracker.minTimeMs, ts);
        shared.putNonJoined(key, ts, side.leftSide, value as V | VO);
      }
    });
  }
  builder.addStatelessProcessor(mergeName, [joinThisName, joinOtherName], (r, c) => c.forward(r));
  topology.addStateStore(thisStore, thisWindowedName, joinOtherName);
  topology.addStateStore(otherStore, otherWindowedName, joinThisName);
  if (sharedStore !== undefined) topology.addStateStore(sharedStore, joinThisName, joinOtherName);
  return new KStream<K, VR>(builder, mergeName, keySerde, undefined, false);
}

/** The `KSTREAM-WINDOWED-` node: remembers each keyed record in its side's window store. */
function addWindowedNode(
  builder: KStream<unknown, unknown>['builder'],
  name: string,
  parent: string,
  storeName: string,
): void {
  builder.addStatelessProcessor<unknown, unknown, unknown, unknown>(name, [parent], (record, context) => {
    const key = record.key();
    if (key !== null && key !== undefined && record.value() !== null && record.value() !== undefined) {
      context
        .getStateStore<JoinWindowStore<unknown, unknown>>(storeName)
        .putRecord(key, record.value(), record.timestamp());
    }
    context.forward(record);
  });
}

/**
 * Emits the waiting non-joined records whose window has closed (timestamp + the side's look-ahead
 * + grace < stream time), oldest first, deleting each; stops at the first still-open one.
 */
function emitNonJoined<K, V, VO>(
  store: OuterJoinStore<K, V, VO>,
  tracker: TimeTracker,
  windows: JoinWindows,
  emit: (r: { key: K; timestamp: number; leftValue: V | null; rightValue: VO | null }) => void,
): void {
  if (
    tracker.minTimeMs + Math.min(windows.afterMs, windows.beforeMs) + windows.gracePeriodMs() >=
    tracker.streamTimeMs
  ) {
    return;
  }
  const closed = [];
  for (const r of store.waiting()) {
    tracker.minTimeMs = r.timestamp;
    const lookAheadMs = r.leftSide ? windows.afterMs : windows.beforeMs;
    if (r.timestamp + lookAheadMs + windows.gracePeriodMs() >= tracker.streamTimeMs) break;
    closed.push(r);
  }
  for (const r of closed) {
    store.put(r.storeKey, null);
    emit(r);
  }
  if (store.approximateNumEntries() === 0) tracker.minTimeMs = Number.MAX_SAFE_INTEGER;
}
