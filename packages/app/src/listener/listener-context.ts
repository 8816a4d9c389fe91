import type { ConsumerRecord } from '@samsa/client';
import type { Acknowledgment } from './acknowledgment.js';
import type { ListenerConsumer } from './listener-consumer.js';
import type { ListenerMessage, MessageHeaders } from './listener-message.js';

/**
 * What a listener gets besides its record(s): Spring's `@Header` values, the Acknowledgment in
 * manual ack modes, and the consumer (for seeks). Standard decorators cannot decorate
 * parameters, so this object replaces `@Header(KafkaHeaders.RECEIVED_TOPIC) String topic`:
 * `ctx.headers[KafkaHeaders.RECEIVED_TOPIC]`, or the record's own fields.
 */
export interface ListenerContext {
  readonly listenerId: string;
  readonly groupId: string | null;
  readonly headers: MessageHeaders;
  /** 1 on first delivery, then counting blocking retries of this record (Spring's deliveryAttempt). */
  readonly deliveryAttempt: number;
  readonly acknowledgment: Acknowledgment | undefined;
  readonly consumer: ListenerConsumer;
}

/** A record listener: its return value (if not undefined/null) is sent on by `sendTo`. */
export type RecordListener<K, V> = (record: ConsumerRecord<K, V>, ctx: ListenerContext) => unknown;

/** A batch listener gets every record of a poll (Spring's `spring.kafka.listener.type=batch`). */
export type BatchListener<K, V> = (records: ConsumerRecord<K, V>[], ctx: ListenerContext) => unknown;

/**
 * Called when the listener throws, before the container's error handler (Spring's
 * `ConsumerAwareListenerErrorHandler`). Its return value is sent on like a listener's result;
 * if it throws, the container's error handler takes over.
 */
export type KafkaListenerErrorHandler = (message: ListenerMessage, error: Error, consumer: ListenerConsumer) => unknown;
