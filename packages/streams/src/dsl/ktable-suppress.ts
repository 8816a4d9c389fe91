import type { ProcessorContext } from '../processor/processor-context.js';
import type { Record } from '../processor/record.js';
import { StreamsException } from '../processor/topology-exception.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { KeyValueStoreBuilder, Stores } from '../state/stores.js';
import type { BufferedChange } from '../state/suppression-buffer-serde.js';
import { SuppressionBufferStore } from '../state/suppression-buffer-store.js';
import { Change } from './change.js';
import { KTable } from './ktable.js';
import type { Suppressed } from './suppressed.js';
import type { Windowed } from './time-windows.js';
import { findWindowGrace } from './window-grace.js';

interface Entry<K> {
  readonly key: K;
  readonly hex: string;
  readonly bufferTimeMs: number;
  bytes: number;
}

/**
 * `KTable.suppress` (Java's KTableSuppressProcessor over an InMemoryTimeOrderedKeyValueBuffer):
 * updates wait in a buffer ordered by buffer time — the window's end (`untilWindowCloses`) or
 * the stream time of a key's first buffered update (`untilTimeLimit`); a later update of a
 * buffered key replaces its value but keeps its place. Once stream time reaches buffer time plus
 * the grace (or time limit), the entry is forwarded as Change(latest, value before buffering).
 * Final results drop tombstones (nothing was emitted for the window yet). The buffer lives in a
 * store named `KTABLE-SUPPRESS-STATE-STORE-<n>` (or `<name>-store`), changelogged unless the
 * BufferConfig disables it, and the order is rebuilt from it after a restore.
 */
export function suppressTable<K, V>(table: KTable<K, V>, suppressed: Suppressed): KTable<K, V> {
  const builder = table.builder;
  const name = suppressed.name ?? builder.newProcessorName('KTABLE-SUPPRESS-');
  const storeName =
    suppressed.name === undefined ? builder.newStoreName('KTABLE-SUPPRESS-') : `${suppressed.name}-store`;
  const finalResults = suppressed.kind === 'untilWindowCloses';
  let suppressDurationMs = suppressed.timeToWaitForMoreEventsMs;
  if (finalResults) {
    const grace = findWindowGrace(builder.topology, table.nodeName);
    if (grace === undefined) {
      throw new Error(
        'IllegalArgumentException: Suppressed.untilWindowCloses can only be applied to a windowed aggregation (a KTable<Windowed<K>, V>)',
      );
    }
    suppressDurationMs = grace;
  }
  const config = suppressed.bufferConfig;
  // Java's buffer is in memory, restored from its changelog.
  const storeBuilder = new KeyValueStoreBuilder<K, V>(
    Stores.inMemoryKeyValueStore(storeName),
    table.keySerde,
    table.valueSerde,
  );
  storeBuilder.storeFactory = (inner, k, v, logging, topic) =>
    new SuppressionBufferStore(inner, k, v, logging, topic) as unknown as KeyValueStore<unknown, unknown>;
  if (config.loggingEnabled) storeBuilder.withLoggingEnabled({ ...config.logConfig });
  else storeBuilder.withLoggingDisabled();

  builder.topology.addProcessor<K, Change<V>, K, Change<V>>(
    name,
    () => {
      let context: ProcessorContext<K, Change<V>>;
      let store: SuppressionBufferStore<K, V>;
      const entries: Entry<K>[] = [];
      const byHex = new Map<string, Entry<K>>();
      let totalBytes = 0;
      let observedStreamTime = -1;

      const sizeOf = (key: K, change: BufferedChange<V>): number => store.residentMemorySizeEstimate(key, change);

      const insert = (entry: Entry<K>): void => {
        // Ordered by buffer time, then key bytes, as Java's BufferKey (binary search for the insertion point).
        let lo = 0;
        let hi = entries.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const e = entries[mid] as Entry<K>;
          if (e.bufferTimeMs < entry.bufferTimeMs || (e.bufferTimeMs === entry.bufferTimeMs && e.hex < entry.hex))
            lo = mid + 1;
          else hi = mid;
        }
        entries.splice(lo, 0, entry);
        byHex.set(entry.hex, entry);
        totalBytes += entry.bytes;
      };

      const emitOldest = (): void => {
        const entry = entries.shift() as Entry<K>;
        byHex.delete(entry.hex);
        totalBytes -= entry.bytes;
        const change = store.get(entry.key);
        store.delete(entry.key);
        if (change === null) return;
        if (change.newValue === null && finalResults) return; // nothing was emitted for it: drop the tombstone
        context.forward(
          (
            recordOf(entry.key, new Change(change.newValue, change.priorValue), change.recordTimestampMs) as Record<
              K,
              Change<V>
            >
          ).withHeaders(change.headers),
        );
      };

      const enforceConstraints = (): void => {
        const expiryTime = observedStreamTime - suppressDurationMs;
        while (entries.length > 0 && (entries[0] as Entry<K>).bufferTimeMs <= expiryTime) emitOldest();
        const overCapacity = () => entries.length > config.maxRecordsValue || totalBytes > config.maxBytesValue;
        if (!overCapacity()) return;
        if (config.bufferFullStrategy === 'EMIT') {
          while (entries.length > 0 && overCapacity()) emitOldest();
          return;
        }
        throw new StreamsException(
          `${name} buffer exceeded its max capacity. Currently [${entries.length}/${javaLong(config.maxRecordsValue)}] records and [${totalBytes}/${javaLong(config.maxBytesValue)}] bytes.`,
        );
      };

      let recordOf: (key: K, value: Change<V>, timestamp: number) => unknown;
      return {
        init(c) {
          context = c;
          store = c.getStateStore<SuppressionBufferStore<K, V>>(storeName);
          // After a restore the buffer's order is rebuilt from the store.
          for (const kv of store.all()) {
            const hex = Buffer.from(store.serializedKey(kv.key)).toString('hex');
            insert({
              key: kv.key,
              hex,
              bufferTimeMs: kv.value.bufferTimeMs,
              bytes: sizeOf(kv.key, kv.value),
            });
          }
        },
        process(record) {
          recordOf = (key, value, timestamp) => record.withKey(key).withValue(value).withTimestamp(timestamp);
          observedStreamTime = Math.max(observedStreamTime, context.currentStreamTimeMs(), record.timestamp());
          const key = record.key();
          const bufferTimeMs = finalResults ? (key as unknown as Windowed<unknown>).window().end() : record.timestamp();
          const hex = Buffer.from(store.serializedKey(key)).toString('hex');
          const previous = byHex.get(hex);
          const priorValue = previous === undefined ? record.value().oldValue : (store.get(key)?.priorValue ?? null);
          const metadata = context.recordMetadata();
          const change: BufferedChange<V> = {
            bufferTimeMs: previous?.bufferTimeMs ?? bufferTimeMs,
            priorValue,
            oldValue: record.value().oldValue,
            newValue: record.value().newValue,
            recordTimestampMs: record.timestamp(),
            offset: metadata?.offset() ?? -1n,
            topic: metadata?.topic() ?? '',
            partition: metadata?.partition() ?? -1,
            headers: record.headers(),
          };
          store.put(key, change);
          const bytes = sizeOf(key, change);
          if (previous === undefined) insert({ key, hex, bufferTimeMs, bytes });
          else {
            totalBytes += bytes - previous.bytes;
            previous.bytes = bytes;
          }
          enforceConstraints();
        },
      };
    },
    table.nodeName,
  );
  builder.topology.addStateStore(storeBuilder, name);
  return new KTable<K, V>(builder, name, undefined, table.keySerde, table.valueSerde);
}

/** An unbounded limit as Java prints it (Long.MAX_VALUE). */
function javaLong(limit: number): string {
  return Number.isFinite(limit) ? String(limit) : '9223372036854775807';
}
