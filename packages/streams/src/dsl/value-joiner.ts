/**
 * Java's `ValueJoiner` and `ValueJoinerWithKey` in one function type: the two values first, the
 * read-only key last (as `ValueMapper` here takes the key second). In left and outer joins the
 * missing side is `null`.
 */
export type ValueJoiner<K, V1, V2, VR> = (value1: V1, value2: V2, readOnlyKey: K) => VR;
