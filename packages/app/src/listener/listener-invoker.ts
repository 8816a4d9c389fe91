import type { ConsumerRecord, Deserializer } from '@samsa/client';
import type { CommonErrorHandler, ErrorHandlerContext } from '../error/common-error-handler.js';
import { ListenerExecutionFailedException, toError } from '../error/listener-execution-failed-exception.js';
import { DeserializationException, isDeserializationException } from '../serde/deserialization-exception.js';
import { type AckDecision, createAcknowledgment } from './acknowledgment.js';
import type { ContainerSettings } from './container-options.js';
import type { ListenerConsumer } from './listener-consumer.js';
import type { ListenerContext } from './listener-context.js';
import type { ListenerEventFields, ListenerMetrics } from './listener-metrics.js';
import type { OffsetCommitter } from './offset-committer.js';
import type { PartitionPauses } from './partition-pauses.js';
import type { PollSeeks } from './poll-seeks.js';
import { replyTo } from './reply-sender.js';

const identity = ((data: Buffer) => data) as unknown as Deserializer<never>;

/**
 * The base of RecordInvoker and BatchInvoker, which hand each poll's records to the listener:
 * what both need. It deserializes, builds the listener's context (and its Acknowledgment), runs
 * the listener error handler, sends results on (`sendTo`), and gives the container's error
 * handler its context.
 *
 * The consumer fetches bytes; deserialization happens here, per record, so that a record that
 * cannot be deserialized becomes a `DeserializationException` for the error handler (and, by
 * default, a dead letter) instead of an error that stops the consumer: what Spring's
 * ErrorHandlingDeserializer achieves.
 *
 * One per run, called from the container's loop only, one poll at a time; a record to be
 * delivered again goes through the run's `PollSeeks`.
 */
export abstract class ListenerInvoker<K, V> {
  private readonly keyDeserializer: Deserializer<K>;
  private readonly valueDeserializer: Deserializer<V>;

  constructor(protected readonly host: InvokerHost<K, V>) {
    this.keyDeserializer = host.settings.keyDeserializer ?? identity;
    this.valueDeserializer = host.settings.valueDeserializer ?? identity;
  }

  /** Hands a poll's records to the listener, in partition order; acks, seeks and pauses as it goes. */
  abstract invoke(records: ConsumerRecord<Buffer, Buffer>[]): Promise<void>;

  /**
   * Any deserializer failure becomes a DeserializationException carrying the bytes, which error
   * handlers classify as not retryable: a poison record goes to the recoverer at once.
   */
  protected deserialize(raw: ConsumerRecord<Buffer, Buffer>): ConsumerRecord<K, V> {
    const read = <T>(deserializer: Deserializer<T>, data: Buffer | null, isKey: boolean): T | null => {
      if (data === null) return null;
      try {
        return deserializer(data, raw.topic, raw.headers);
      } catch (error) {
        if (isDeserializationException(error)) throw error;
        const what = `${isKey ? 'key' : 'value'} of ${raw.topic}-${raw.partition}@${raw.offset}`;
        throw new DeserializationException(
          `failed to deserialize the ${what}: ${toError(error).message}`,
          data,
          isKey,
          error,
          {
            topic: raw.topic,
            headers: raw.headers,
          },
        );
      }
    };
    return {
      ...raw,
      key: read(this.keyDeserializer, raw.key, true),
      value: read(this.valueDeserializer, raw.value, false),
    };
  }

  /** The listener's context for `raws`; `decision` says what it did with its Acknowledgment. */
  protected context(
    headers: Record<string, unknown> | Readonly<Record<string, unknown>>,
    raws: readonly ConsumerRecord<Buffer, Buffer>[],
    deliveryAttempt: number,
  ): { ctx: ListenerContext; decision: AckDecision } {
    const committer = this.host.committer;
    const manual = committer.isManual;
    const { acknowledgment, decision } = createAcknowledgment(raws.length, () => {
      for (const r of raws) committer.ack(r);
      // Queued behind any commit under way; the invoker awaits it (`settled`) before going on.
      if (committer.isImmediate) void committer.commit();
    });
    const ctx: ListenerContext = {
      listenerId: this.host.listenerId,
      groupId: this.host.groupId,
      headers,
      deliveryAttempt,
      acknowledgment: manual ? acknowledgment : undefined,
      consumer: this.host.consumer,
    };
    if (!manual) decision.nack = undefined;
    return { ctx, decision };
  }

  /**
   * Spring's KafkaListenerErrorHandler: `result` when it handled the error (sent on like a
   * listener's result), else the `error` the container's error handler gets.
   */
  protected async listenerErrorHandler(
    error: Error,
    payload: unknown,
    ctx: ListenerContext,
  ): Promise<{ error?: Error; result?: unknown }> {
    const { listenerId, groupId } = this.host;
    const wrapped = new ListenerExecutionFailedException(
      `Listener ${listenerId} threw: ${error.message}`,
      groupId,
      error,
    );
    const handler = this.host.settings.listenerErrorHandler;
    if (handler === undefined) return { error: wrapped };
    try {
      return { result: await handler({ payload, headers: ctx.headers }, error, ctx.consumer) };
    } catch (thrown) {
      const again = toError(thrown);
      return {
        error: again === error ? wrapped : new ListenerExecutionFailedException(again.message, groupId, again),
      };
    }
  }

  /**
   * Sends a result on (`sendTo`); for a batch, `record` is its first record (whose reply topic
   * and correlation id answer a request). A failed send throws: the caller hands the error to
   * the error handlers like a listener's, never to the loop.
   */
  protected async reply(record: ConsumerRecord<K, V>, result: unknown): Promise<void> {
    const { sendTo, replyPublisher } = this.host.settings;
    if (result === undefined || result === null || sendTo === undefined) return;
    if (replyPublisher === undefined)
      throw new Error(`listener ${this.host.listenerId} has sendTo but no reply publisher`);
    await replyTo(replyPublisher, sendTo, record, result);
  }

  /** Publishes a listener event about one record. */
  protected publishFor(event: string, raw: ConsumerRecord<Buffer, Buffer>, fields: ListenerEventFields = {}): void {
    this.host.publish(event, { topic: raw.topic, partition: raw.partition, offset: raw.offset, ...fields });
  }

  protected errorHandlerContext(): ErrorHandlerContext {
    const host = this.host;
    return {
      listenerId: host.listenerId,
      groupId: host.groupId,
      consumer: host.consumer,
      isStopping: () => host.isStopping(),
      sleep: (ms) => host.sleep(ms),
    };
  }
}

/**
 * What the container lends its invoker for one run (one consumer): its settings and counters,
 * the run's consumer (as listeners see it), committer, pauses and seeks, and the container's
 * stopping state, sleep and events.
 */
export interface InvokerHost<K, V> {
  readonly listenerId: string;
  readonly groupId: string | null;
  readonly settings: ContainerSettings<K, V>;
  readonly errorHandler: CommonErrorHandler;
  /** The container's counters: they outlive the run. */
  readonly counters: ListenerMetrics;
  readonly consumer: ListenerConsumer;
  readonly committer: OffsetCommitter;
  readonly pauses: PartitionPauses;
  readonly seeks: PollSeeks;
  isStopping(): boolean;
  /** Waits `ms`, or less when the container stops. */
  sleep(ms: number): Promise<void>;
  publish(event: string, fields?: ListenerEventFields): void;
}
