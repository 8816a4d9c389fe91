import type { RecordHeader } from '../common/record-header.js';

/**
 * One consumed record. `offset` is a `bigint` (Kafka offsets are int64), as in every offset this
 * client returns or accepts; `timestamp` is milliseconds since the epoch (a number: exact for any
 * date). Key and value are deserialized; `null` stays `null`.
 */
export interface ConsumerRecord<K = Buffer, V = Buffer> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: K | null;
  readonly value: V | null;
  readonly headers: readonly RecordHeader[];
  /** Leader epoch of the batch (-1 if unknown), committed with the offset for KIP-320 checks. */
  readonly leaderEpoch: number;
  readonly serializedKeySize: number;
  readonly serializedValueSize: number;
}
