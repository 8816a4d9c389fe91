/**
 * The byte-level store under a typed `KeyValueStore` (Java's `KeyValueStore<Bytes, byte[]>`):
 * keys and values as the serdes wrote them, ordered by unsigned key bytes as Java's stores are.
 * Restoration writes here directly, with the changelog's bytes.
 */
export interface KeyValueBytesStore {
  readonly storeName: string;
  readonly isPersistent: boolean;
  /** Opens the store; persistent stores keep their files under `dir`. */
  open(dir: string): void;
  /** Deletes what a persistent store keeps under `dir` (before `open`); nothing for in-memory stores. */
  wipe(dir: string): void;
  get(key: Uint8Array): Uint8Array | null;
  /** A `null` value deletes the key (a tombstone). */
  put(key: Uint8Array, value: Uint8Array | null): void;
  /** Entries with `from <= key <= to` (bounds optional), in key order. */
  range(from: Uint8Array | null, to: Uint8Array | null): [Uint8Array, Uint8Array][];
  approximateNumEntries(): number;
  flush(): void;
  close(): void;
  isOpen(): boolean;
}
