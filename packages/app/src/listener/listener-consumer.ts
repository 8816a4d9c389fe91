import type { CommitOffset, Consumer, ConsumerGroupMetadata, OffsetInput, TopicPartition } from '@samsa/client';

/**
 * The consumer as a listener or error handler sees it (Spring hands the real `Consumer` to
 * `ConsumerAwareListenerErrorHandler`). Seeks go through the container, which drops the records
 * of this poll still queued for that partition and never commits past the seek: a seek back
 * means "deliver again", as the second seed's error handlers use it.
 */
export interface ListenerConsumer {
  seek(tp: TopicPartition, offset: OffsetInput): void;
  seekToBeginning(partitions?: readonly TopicPartition[]): void;
  seekToEnd(partitions?: readonly TopicPartition[]): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  assignment(): TopicPartition[];
  position(tp: TopicPartition): Promise<bigint>;
  commitSync(offsets?: readonly CommitOffset[]): Promise<void>;
  groupMetadata(): ConsumerGroupMetadata;
  currentLag(tp: TopicPartition): bigint | undefined;
}

export interface SeekObserver {
  /** The partition's next fetch starts at `offset` (undefined: beginning or end, unknown yet). */
  seeked(tp: TopicPartition, offset: bigint | undefined): void;
}

export function listenerConsumer(consumer: Consumer<Buffer, Buffer>, observer: SeekObserver): ListenerConsumer {
  return {
    seek(tp, offset) {
      consumer.seek(tp, offset);
      observer.seeked(tp, BigInt(offset));
    },
    seekToBeginning(partitions = consumer.assignment()) {
      consumer.seekToBeginning(partitions);
      for (const tp of partitions) observer.seeked(tp, undefined);
    },
    seekToEnd(partitions = consumer.assignment()) {
      consumer.seekToEnd(partitions);
      for (const tp of partitions) observer.seeked(tp, undefined);
    },
    pause: (partitions) => consumer.pause(partitions),
    resume: (partitions) => consumer.resume(partitions),
    paused: () => consumer.paused(),
    assignment: () => consumer.assignment(),
    position: (tp) => consumer.position(tp),
    commitSync: (offsets) => consumer.commitSync(offsets),
    groupMetadata: () => consumer.groupMetadata(),
    currentLag: (tp) => consumer.currentLag(tp),
  };
}
