import type { KeyValueBytesStore } from './bytes-store.js';

/**
 * Kafka Streams' in-memory key-value store: a map keyed by the key's hex (hex order is unsigned
 * byte order, so sorting the keys gives Java's `TreeMap<Bytes, byte[]>` order). Nothing is kept on
 * disk, so a task that gets it back restores it from the whole changelog.
 */
export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly isPersistent = false;
  private readonly map = new Map<string, Uint8Array>();
  private open_ = false;

  constructor(readonly storeName: string) {}

  open(): void {
    this.open_ = true;
  }

  wipe(): void {}

  get(key: Uint8Array): Uint8Array | null {
    return this.map.get(Buffer.from(key).toString('hex')) ?? null;
  }

  put(key: Uint8Array, value: Uint8Array | null): void {
    const hex = Buffer.from(key).toString('hex');
    if (value === null) this.map.delete(hex);
    else this.map.set(hex, value);
  }

  range(from: Uint8Array | null, to: Uint8Array | null): [Uint8Array, Uint8Array][] {
    const lo = from === null ? null : Buffer.from(from).toString('hex');
    const hi = to === null ? null : Buffer.from(to).toString('hex');
    return [...this.map.keys()]
      .filter((k) => (lo === null || k >= lo) && (hi === null || k <= hi))
      .sort()
      .map((k) => [Buffer.from(k, 'hex'), this.map.get(k) as Uint8Array]);
  }

  approximateNumEntries(): number {
    return this.map.size;
  }

  flush(): void {}

  close(): void {
    this.open_ = false;
  }

  isOpen(): boolean {
    return this.open_;
  }
}
