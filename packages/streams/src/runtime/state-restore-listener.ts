import type { TopicPartition } from '@samsa/client';

/**
 * Kafka Streams' `StateRestoreListener` (`KafkaStreams.setGlobalStateRestoreListener`): told when
 * a store's restoration from its changelog partition starts, after each batch, and when it ends.
 * Offsets are the first offset read and the end offset restoration reads up to (exclusive).
 */
export interface StateRestoreListener {
  onRestoreStart?(
    topicPartition: TopicPartition,
    storeName: string,
    startingOffset: bigint,
    endingOffset: bigint,
  ): void;
  onBatchRestored?(
    topicPartition: TopicPartition,
    storeName: string,
    batchEndOffset: bigint,
    numRestored: number,
  ): void;
  onRestoreEnd?(topicPartition: TopicPartition, storeName: string, totalRestored: number): void;
}
