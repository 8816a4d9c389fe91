import type { Consumer } from '@samsa/client';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { StateRestoreListener } from './state-restore-listener.js';

/** One store to restore: its changelog partition and where to start reading. */
export interface Restoration {
  readonly store: KeyValueStore<unknown, unknown>;
  readonly topic: string;
  readonly partition: number;
  /** The first changelog offset not yet in the store (0 for an empty store). */
  readonly startOffset: bigint;
}

/**
 * Brings stores up to date from their changelogs before their task processes anything (Java's
 * StoreChangelogReader, without standby tasks): reads each changelog partition from the store's
 * start offset to the end offset found when restoration began, writing the changelog's bytes
 * straight into the byte store (no serdes, no logging back). Returns the last offset restored
 * per `topic:partition`, for the checkpoint.
 */
export async function restoreStores(
  restoreConsumer: Consumer<Buffer, Buffer>,
  restorations: readonly Restoration[],
  signal?: AbortSignal,
  listener?: StateRestoreListener,
): Promise<Map<string, bigint>> {
  const restored = new Map<string, bigint>();
  if (restorations.length === 0) return restored;
  const tps = restorations.map((r) => ({ topic: r.topic, partition: r.partition }));
  const ends = new Map<string, bigint>();
  for (const e of await restoreConsumer.endOffsets(tps)) ends.set(`${e.topic}:${e.partition}`, e.offset);
  const pending = new Map<string, Restoration>();
  for (const r of restorations) {
    const key = `${r.topic}:${r.partition}`;
    const end = ends.get(key) ?? 0n;
    const tp = { topic: r.topic, partition: r.partition };
    listener?.onRestoreStart?.(tp, r.store.name(), r.startOffset, end);
    if (end > r.startOffset) pending.set(key, r);
    else listener?.onRestoreEnd?.(tp, r.store.name(), 0);
  }
  const totals = new Map<string, number>();
  if (pending.size === 0) return restored;
  restoreConsumer.assign([...pending.values()].map((r) => ({ topic: r.topic, partition: r.partition })));
  for (const r of pending.values()) restoreConsumer.seek({ topic: r.topic, partition: r.partition }, r.startOffset);
  try {
    while (pending.size > 0) {
      if (signal?.aborted) throw new Error('restoration aborted: the application is closing');
      const batch = new Map<string, number>();
      for (const record of await restoreConsumer.poll({ timeoutMs: 200 })) {
        const key = `${record.topic}:${record.partition}`;
        const r = pending.get(key);
        if (r === undefined || record.key === null) continue;
        r.store.inner.put(record.key, record.value);
        restored.set(key, record.offset);
        batch.set(key, (batch.get(key) ?? 0) + 1);
      }
      for (const [key, n] of batch) {
        const r = pending.get(key) as Restoration;
        totals.set(key, (totals.get(key) ?? 0) + n);
        listener?.onBatchRestored?.(
          { topic: r.topic, partition: r.partition },
          r.store.name(),
          restored.get(key) as bigint,
          n,
        );
      }
      for (const [key, r] of pending) {
        const tp = { topic: r.topic, partition: r.partition };
        const position = await restoreConsumer.position(tp);
        if (position >= (ends.get(key) as bigint)) {
          pending.delete(key);
          r.store.flush();
          listener?.onRestoreEnd?.(tp, r.store.name(), totals.get(key) ?? 0);
        }
      }
    }
  } finally {
    restoreConsumer.assign([]);
  }
  return restored;
}
