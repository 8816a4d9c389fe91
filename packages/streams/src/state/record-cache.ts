import type { RecordHeader } from '@samsa/client';

/** Bytes counted per cached entry besides its key and value (Java counts its object overhead too). */
const ENTRY_OVERHEAD_BYTES = 64;

/** A cached write: the new value (null: a delete) and the context of the record that made it. */
export interface CacheEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
  /** The input record's topic, partition and offset (opaque here), restored while the entry is forwarded. */
  readonly source: unknown;
}

/**
 * Kafka Streams' `ThreadCache`: the record cache of a stream thread, `statestore.cache.max.bytes`
 * (formerly `cache.max.bytes.buffering`, 10 MiB by default) shared by the caching stores of all
 * its tasks. 0 turns caching off, as in Java.
 */
export class ThreadCache {
  sizeBytes = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }
}

/**
 * One store's part of the thread cache (Java's NamedCache): dirty entries in least-recently-written
 * order. A write that takes the thread cache over its size evicts this store's oldest entries, and
 * `flush` (at commit) empties it; each evicted or flushed entry goes to `flushEntry`, which writes
 * the store (and changelog) and forwards the update downstream. So a key updated many times
 * between commits costs one store write, one changelog record and one downstream record.
 */
export class NamedCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly thread: ThreadCache,
    private readonly flushEntry: (entry: CacheEntry) => void,
  ) {}

  private static id(key: Uint8Array): string {
    return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
  }

  private static size(entry: CacheEntry): number {
    return entry.key.byteLength + (entry.value?.byteLength ?? 0) + ENTRY_OVERHEAD_BYTES;
  }

  get(key: Uint8Array): CacheEntry | undefined {
    return this.entries.get(NamedCache.id(key));
  }

  put(entry: CacheEntry): void {
    const id = NamedCache.id(entry.key);
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.thread.sizeBytes -= NamedCache.size(old);
      this.entries.delete(id); // re-inserted last: the most recently written
    }
    this.entries.set(id, entry);
    this.thread.sizeBytes += NamedCache.size(entry);
    while (this.thread.sizeBytes > this.thread.maxBytes && this.entries.size > 0) this.evictOldest();
  }

  private evictOldest(): void {
    const [id, entry] = this.entries.entries().next().value as [string, CacheEntry];
    this.entries.delete(id);
    this.thread.sizeBytes -= NamedCache.size(entry);
    this.flushEntry(entry);
  }

  /** Writes every dirty entry through, oldest first. */
  flush(): void {
    while (this.entries.size > 0) this.evictOldest();
  }

  /** Dirty entries with `from <= key <= to` (unsigned byte order, bounds optional), sorted. */
  range(from: Uint8Array | null, to: Uint8Array | null): CacheEntry[] {
    const out: CacheEntry[] = [];
    for (const e of this.entries.values()) {
      if (from !== null && Buffer.compare(e.key, from) < 0) continue;
      if (to !== null && Buffer.compare(e.key, to) > 0) continue;
      out.push(e);
    }
    return out.sort((a, b) => Buffer.compare(a.key, b.key));
  }

  /** Drops everything unwritten (a task closed dirty: its state is rebuilt from the changelog). */
  clear(): void {
    for (const e of this.entries.values()) this.thread.sizeBytes -= NamedCache.size(e);
    this.entries.clear();
  }
}
