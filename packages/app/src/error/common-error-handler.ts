import type { ConsumerRecord } from '@samsa/client';
import type { ListenerConsumer } from '../listener/listener-consumer.js';

/**
 * A record the container could not handle: `raw` as fetched (bytes, for dead letters), and
 * `record` deserialized, or undefined when deserialization is what failed.
 */
export interface FailedRecord<K = unknown, V = unknown> {
  readonly raw: ConsumerRecord<Buffer, Buffer>;
  readonly record: ConsumerRecord<K, V> | undefined;
}

/** What the container tells an error handler about itself. */
export interface ErrorHandlerContext {
  readonly listenerId: string;
  readonly groupId: string | null;
  readonly consumer: ListenerConsumer;
  /** Waits `ms`, or less when the container stops (blocking retries must not delay a shutdown). */
  sleep(ms: number): Promise<void>;
  isStopping(): boolean;
}

/**
 * - `retry`: deliver the failed record again (the container seeks its partition back, and the
 *   other partitions to their first unhandled record).
 * - `recovered`: the record is done (recovered, e.g. dead-lettered): commit it and go on.
 */
export type RecordDecision = 'retry' | 'recovered';

/**
 * For a batch: records before `index` are done; from `index` on the batch is delivered again
 * (`retry`), or the record at `index` is done too and delivery resumes after it (`recovered`).
 * A whole-batch failure answers index 0 with `retry`, or `recovered` with `index` = last.
 */
export interface BatchDecision {
  readonly decision: RecordDecision;
  readonly index: number;
}

/**
 * The container's error handler (Spring's `CommonErrorHandler`). Throwing from a method stops
 * the container (Spring's CommonContainerStoppingErrorHandler does that on purpose).
 */
export interface CommonErrorHandler {
  handleRecord(error: Error, failed: FailedRecord, ctx: ErrorHandlerContext): Promise<RecordDecision>;
  handleBatch(error: Error, batch: readonly FailedRecord[], ctx: ErrorHandlerContext): Promise<BatchDecision>;
  /**
   * 1 + blocking retries so far for this record in this listener container, for
   * `ctx.deliveryAttempt`. Per container: one handler may serve several containers (the
   * application's default), and their failures must not count for each other.
   */
  deliveryAttempt(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): number;
  /** The listener handled the record after all: forget its failures. */
  clear?(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): void;
}

/** Called once retries are exhausted (Spring's ConsumerRecordRecoverer). */
export type ConsumerRecordRecoverer = (
  failed: FailedRecord,
  error: Error,
  ctx: { readonly groupId: string | null; readonly listenerId: string },
) => Promise<void> | void;
