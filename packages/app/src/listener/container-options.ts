import type { Deserializer, ProducerRecord, RebalanceListener } from '@samsa/client';
import type { CommonErrorHandler } from '../error/common-error-handler.js';
import type { Logger } from '../support/logger.js';
import type { AckMode } from './ack-mode.js';
import type { BatchListener, KafkaListenerErrorHandler, RecordListener } from './listener-context.js';

/** An explicitly assigned partition (Spring's `@TopicPartition` / `TopicPartitionOffset`). */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** Where to start: an offset, or negative for that many records before the end (Spring's relative offsets). */
  readonly initialOffset?: bigint | number;
}

/** Sends a listener's result on (`@SendTo`): a KafkaTemplate fits. */
export interface ReplyPublisher {
  send(record: ProducerRecord<unknown, unknown>): Promise<unknown>;
}

/**
 * A listener container's settings (Spring's ContainerProperties plus the endpoint). Exactly one
 * of `topics`, `topicPattern` and `topicPartitions` says what to consume.
 */
export interface ContainerSettings<K = unknown, V = unknown> {
  /** Names the container in logs, metrics and events; also the default group id. */
  readonly id: string;
  readonly topics?: readonly string[];
  readonly topicPattern?: RegExp;
  readonly topicPartitions?: readonly TopicPartitionOffset[];
  /** Consumer settings, Kafka's names (`bootstrap.servers`, `auto.offset.reset`, …). */
  readonly consumerConfig: Readonly<Record<string, unknown>>;
  /** `group.id`; `id` when neither this nor consumerConfig names one (Spring's idIsGroup). */
  readonly groupId?: string;
  readonly clientIdPrefix?: string;
  readonly keyDeserializer?: Deserializer<K>;
  readonly valueDeserializer?: Deserializer<V>;
  readonly ackMode?: AckMode;
  readonly ackCount?: number;
  readonly ackTimeMs?: number;
  readonly pollTimeoutMs?: number;
  /** Emit `idle` after this long without records (off when unset). */
  readonly idleEventIntervalMs?: number;
  /** Spring's default is a DefaultErrorHandler (ten deliveries, then log). */
  readonly errorHandler?: CommonErrorHandler;
  readonly listenerErrorHandler?: KafkaListenerErrorHandler;
  /** `@SendTo`: a topic for results, or `true` to answer the request's `kafka_replyTopic`. */
  readonly sendTo?: string | true;
  readonly replyPublisher?: ReplyPublisher;
  readonly rebalanceListener?: RebalanceListener;
  /** Stop after the current record instead of after the current poll's records. */
  readonly immediateStop?: boolean;
  readonly logger?: Logger;
}

/** A record listener, or (`batch: true`) a listener of each poll's records as one list. */
export type ContainerOptions<K = unknown, V = unknown> = ContainerSettings<K, V> &
  (
    | { readonly batch?: false; readonly listener: RecordListener<K, V> }
    | { readonly batch: true; readonly listener: BatchListener<K, V> }
  );
