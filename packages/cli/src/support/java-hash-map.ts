/**
 * The iteration order of a `java.util.HashMap`, for tools whose Kafka original prints a HashMap as
 * it iterates (kafka-configs.sh's quota lines): users of the tools compare that output, so Samsa
 * prints in the same order rather than in a sorted one.
 */

/** Java's `String.hashCode` (over UTF-16 code units, wrapping at 32 bits). */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The order in which a HashMap created as `new HashMap<>(initialCapacity)` and given `items`
 * (distinct keys, in this order) iterates them: by bucket (the spread hash masked by the final
 * table size), ties in insertion order, since a resize splits each bucket keeping its order. The
 * table starts at the power of two at or above `initialCapacity` and doubles whenever the size
 * passes three quarters of it. Not modelled: a bucket of more than 8 keys, which Java resizes or
 * turns into a tree.
 */
export function javaHashMapOrder<T>(
  items: readonly T[],
  hashOf: (item: T) => number,
  initialCapacity = items.length,
): T[] {
  let capacity = 1;
  while (capacity < initialCapacity) capacity *= 2;
  while (items.length > Math.floor(capacity * 0.75)) capacity *= 2;
  const bucket = (item: T) => {
    const h = hashOf(item);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.item);
}
