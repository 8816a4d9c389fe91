/**
 * What a KTable node forwards (Java's internal `Change`): the new value and the value it
 * replaced, so downstream table operations (a filter that starts or stops matching) can emit
 * the right update or tombstone. `toStream()` forwards only `newValue`.
 */
export class Change<V> {
  constructor(
    readonly newValue: V | null,
    readonly oldValue: V | null,
  ) {}
}
