import type { ConsumerRecord } from '@samsa/client';
import { type Logger, stderrLogger } from '../support/logger.js';
import { type BackOff, FixedBackOff, STOP } from './back-off.js';
import { BatchListenerFailedException } from './batch-listener-failed-exception.js';
import type {
  BatchDecision,
  CommonErrorHandler,
  ConsumerRecordRecoverer,
  ErrorHandlerContext,
  FailedRecord,
  RecordDecision,
} from './common-error-handler.js';
import { ExceptionClassifier } from './exception-classifier.js';
import { FailedRecordTracker } from './failed-record-tracker.js';
import { unwrapListenerError } from './listener-execution-failed-exception.js';

export interface DefaultErrorHandlerOptions {
  /** Called once retries are exhausted (or at once for not-retryable errors); logs when absent. */
  readonly recoverer?: ConsumerRecordRecoverer;
  /** Spring's default: FixedBackOff(0, 9), ten deliveries without waiting. */
  readonly backOff?: BackOff;
  readonly logger?: Logger;
  /** Retry listener hook: called for every failed delivery that will be retried. */
  readonly onRetry?: (failed: FailedRecord, error: Error, deliveryAttempt: number) => void;
  readonly onRecovered?: (failed: FailedRecord, error: Error) => void;
}

/**
 * Spring's DefaultErrorHandler: blocking retries with a back-off, then a recoverer.
 *
 * A failed record is retried by redelivery, not in place: the container seeks its partition back
 * to it (and the other partitions to their first unhandled record), so the record and the rest
 * of the poll come again in order. The wait happens before the seek, in the container's loop;
 * heartbeats continue meanwhile (they run on a timer), but a wait longer than
 * `max.poll.interval.ms` makes the consumer leave the group, as in Java.
 *
 * Errors classified not retryable (deserialization failures by default) go to the recoverer at
 * once. A recoverer that throws leaves the record to be delivered again.
 *
 * Batches: a `BatchListenerFailedException` names the failed record; records before it are
 * committed and the failed one is retried or recovered alone. Any other error retries the whole
 * batch and, once exhausted, recovers each of its records.
 */
export class DefaultErrorHandler implements CommonErrorHandler {
  readonly classifier = new ExceptionClassifier();
  private readonly tracker: FailedRecordTracker;
  private readonly recoverer: ConsumerRecordRecoverer | undefined;
  private readonly logger: Logger;
  private readonly options: DefaultErrorHandlerOptions;

  constructor(options: DefaultErrorHandlerOptions = {}) {
    this.options = options;
    this.tracker = new FailedRecordTracker(options.backOff ?? new FixedBackOff(0, 9));
    this.recoverer = options.recoverer;
    this.logger = options.logger ?? stderrLogger;
  }

  addNotRetryableExceptions(...types: Parameters<ExceptionClassifier['addNotRetryableExceptions']>): this {
    this.classifier.addNotRetryableExceptions(...types);
    return this;
  }

  addRetryableExceptions(...types: Parameters<ExceptionClassifier['addRetryableExceptions']>): this {
    this.classifier.addRetryableExceptions(...types);
    return this;
  }

  deliveryAttempt(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): number {
    return this.tracker.attempts(raw, listenerId) + 1;
  }

  clear(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): void {
    this.tracker.clear(raw, listenerId);
  }

  async handleRecord(error: Error, failed: FailedRecord, ctx: ErrorHandlerContext): Promise<RecordDecision> {
    const cause = unwrapListenerError(error);
    if (!this.classifier.isRetryable(error)) return this.recover(failed, cause, ctx);
    const waitMs = this.tracker.failed(failed.raw, ctx.listenerId);
    if (waitMs === STOP) return this.recover(failed, cause, ctx);
    this.options.onRetry?.(failed, cause, this.tracker.attempts(failed.raw, ctx.listenerId));
    if (waitMs > 0) await ctx.sleep(waitMs);
    return 'retry';
  }

  async handleBatch(error: Error, batch: readonly FailedRecord[], ctx: ErrorHandlerContext): Promise<BatchDecision> {
    const cause = unwrapListenerError(error);
    if (cause instanceof BatchListenerFailedException) {
      const index = cause.indexIn(batch.map((f) => f.record ?? f.raw));
      const failed = batch[index];
      if (failed !== undefined) {
        const listenerError = cause.cause instanceof Error ? cause.cause : cause;
        return { decision: await this.handleRecord(listenerError, failed, ctx), index };
      }
      this.logger.warn('BatchListenerFailedException names a record not in the batch; retrying the whole batch', {
        listenerId: ctx.listenerId,
      });
    }
    const first = batch[0];
    if (first === undefined) return { decision: 'recovered', index: -1 };
    const waitMs = this.classifier.isRetryable(error) ? this.tracker.failed(first.raw, ctx.listenerId) : STOP;
    if (waitMs !== STOP) {
      this.options.onRetry?.(first, cause, this.tracker.attempts(first.raw, ctx.listenerId));
      if (waitMs > 0) await ctx.sleep(waitMs);
      return { decision: 'retry', index: 0 };
    }
    for (const failed of batch) {
      if ((await this.recover(failed, cause, ctx)) === 'retry') {
        const index = batch.indexOf(failed);
        return index === 0 ? { decision: 'retry', index: 0 } : { decision: 'recovered', index: index - 1 };
      }
    }
    return { decision: 'recovered', index: batch.length - 1 };
  }

  private async recover(failed: FailedRecord, error: Error, ctx: ErrorHandlerContext): Promise<RecordDecision> {
    const { topic, partition, offset } = failed.raw;
    try {
      if (this.recoverer === undefined) {
        this.logger.error(`Backoff exhausted for ${topic}-${partition}@${offset}`, {
          listenerId: ctx.listenerId,
          groupId: ctx.groupId,
          error,
        });
      } else {
        await this.recoverer(failed, error, { groupId: ctx.groupId, listenerId: ctx.listenerId });
      }
    } catch (recoveryError) {
      this.logger.error(`Recovery of ${topic}-${partition}@${offset} failed; it will be delivered again`, {
        listenerId: ctx.listenerId,
        error: recoveryError,
      });
      return 'retry';
    }
    this.tracker.clear(failed.raw, ctx.listenerId);
    this.options.onRecovered?.(failed, error);
    return 'recovered';
  }
}
