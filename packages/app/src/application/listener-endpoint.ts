import type { Deserializer } from '@samsa/client';
import type { CommonErrorHandler } from '../error/common-error-handler.js';
import type { AckMode } from '../listener/ack-mode.js';
import type { TopicPartitionOffset } from '../listener/container-options.js';
import type { KafkaListenerErrorHandler } from '../listener/listener-context.js';
import type { RetryTopicOptions } from '../retry/retry-topic-options.js';

/**
 * One listener's declaration: what `@KafkaListener({...})` and `app.listen({...}, handler)`
 * take, with Spring's attribute names. Settings left out come from the application
 * (`spring.kafka.listener.*` and `spring.kafka.consumer.*`).
 */
export interface KafkaListenerOptions {
  /**
   * The container's id (Spring's `id`). Given, it is also the group id unless `groupId` is
   * given or `idIsGroup` is false, ahead of the consumer's `group.id` (Spring's idIsGroup).
   */
  readonly id?: string;
  /** Spring's `idIsGroup` (default true): false lets `group.id` apply to a listener with an `id`. */
  readonly idIsGroup?: boolean;
  readonly topics?: string | readonly string[];
  /** Spring's `topicPattern`: a RegExp, or its source text. */
  readonly topicPattern?: RegExp | string;
  readonly topicPartitions?: readonly TopicPartitionOffset[];
  /** The consumer group; ahead of `id` and of the consumer's `group.id`. */
  readonly groupId?: string;
  /** Containers of the same group are started and stopped together (`app.containerGroup(name)`). */
  readonly containerGroup?: string;
  readonly concurrency?: number;
  /** The listener takes a poll's records as one list (`spring.kafka.listener.type=batch`). */
  readonly batch?: boolean;
  /**
   * Spring's `errorHandler`: a KafkaListenerErrorHandler, or the name of one registered with
   * `app.errorHandler(name, handler)` or of a method on the listener's object.
   */
  readonly errorHandler?: KafkaListenerErrorHandler | string;
  /** The container's error handler; the application's (a DefaultErrorHandler) otherwise. */
  readonly commonErrorHandler?: CommonErrorHandler;
  /** false: `app.start()` leaves the container stopped (start it by id or container group). */
  readonly autoStartup?: boolean;
  /** Consumer properties for this listener only, Kafka's names (Spring's `properties`). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  readonly clientIdPrefix?: string;
  readonly ackMode?: AckMode;
  readonly ackCount?: number;
  readonly ackTimeMs?: number;
  readonly idleEventIntervalMs?: number;
  readonly keyDeserializer?: Deserializer<unknown>;
  readonly valueDeserializer?: Deserializer<unknown>;
  /** `@SendTo`: a topic for the listener's results, or `true` to answer the request's reply topic. */
  readonly sendTo?: string | true;
  /** `@RetryableTopic`: non-blocking retries through retry topics and a dead-letter topic. */
  readonly retryableTopic?: RetryTopicOptions;
}

/**
 * The group a listener's consumers join, as Spring's KafkaListenerAnnotationBeanPostProcessor
 * picks it: `groupId`, else an explicit `id` (idIsGroup), else the consumer's `group.id`;
 * undefined leaves the container its own id. Blank names count as not given.
 */
export function listenerGroupId(
  options: Pick<KafkaListenerOptions, 'groupId' | 'id' | 'idIsGroup'>,
  consumerConfig: Readonly<Record<string, unknown>>,
): string | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  return (
    text(options.groupId) ??
    (options.idIsGroup === false ? undefined : text(options.id)) ??
    text(consumerConfig['group.id'])
  );
}
