import type { KeyValue } from './key-value.js';

/**
 * Kafka Streams' `KeyValueIterator` (`hasNext`, `next`, `peekNextKey`, `close`), also iterable
 * with `for…of`. It walks a snapshot taken when it was opened, so writes made while iterating
 * (a punctuator deleting what it visits) are safe, as Java's in-memory store guarantees.
 */
export class KeyValueIterator<K, V> implements Iterable<KeyValue<K, V>> {
  private index = 0;

  constructor(private readonly entries: readonly KeyValue<K, V>[]) {}

  hasNext(): boolean {
    return this.index < this.entries.length;
  }

  next(): KeyValue<K, V> {
    const entry = this.entries[this.index++];
    if (entry === undefined) throw new Error('NoSuchElementException: no more entries');
    return entry;
  }

  peekNextKey(): K {
    const entry = this.entries[this.index];
    if (entry === undefined) throw new Error('NoSuchElementException: no more entries');
    return entry.key;
  }

  close(): void {
    this.index = this.entries.length;
  }

  *[Symbol.iterator](): Iterator<KeyValue<K, V>> {
    while (this.hasNext()) yield this.next();
  }
}
