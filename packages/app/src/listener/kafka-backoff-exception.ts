import type { TopicPartition } from '@samsa/client';

/**
 * Thrown by a listener wrapper when a record is not due yet (a record in a retry topic before
 * its back-off ends: Spring's KafkaBackoffException). Not a failure: the container seeks the
 * partition back to the record and pauses it until `dueTimestampMs`; other partitions go on.
 */
export class KafkaBackoffException extends Error {
  override readonly name = 'KafkaBackoffException';
  constructor(
    readonly topicPartition: TopicPartition,
    readonly offset: bigint,
    readonly dueTimestampMs: number,
  ) {
    super(`Partition ${topicPartition.topic}-${topicPartition.partition} backed off until ${dueTimestampMs}`);
  }
}
