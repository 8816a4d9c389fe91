/** Kafka Streams' `KeyValue`: a pair with public `key` and `value`, made with `KeyValue.pair`. */
export class KeyValue<K, V> {
  constructor(
    readonly key: K,
    readonly value: V,
  ) {}

  static pair<K, V>(key: K, value: V): KeyValue<K, V> {
    return new KeyValue(key, value);
  }

  toString(): string {
    return `KeyValue(${String(this.key)}, ${String(this.value)})`;
  }
}
