/**
 * Which `__consumer_offsets` partition coordinates a group. Kafka computes
 * `Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`; every broker and client tool
 * must agree on it, so it is reproduced bit for bit: Java's `String.hashCode` over UTF-16 code
 * units with int32 overflow, and Kafka's `Utils.abs`, which maps Integer.MIN_VALUE to 0 (Java's
 * `Math.abs` would leave it negative).
 */
export function partitionForGroup(groupId: string, offsetsTopicNumPartitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % offsetsTopicNumPartitions;
}

/** `java.lang.String#hashCode`: s[0]*31^(n-1) + ... + s[n-1] in int32 arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

/** `org.apache.kafka.common.utils.Utils#abs`. */
export function kafkaAbs(value: number): number {
  return value === -2147483648 ? 0 : Math.abs(value);
}
