import type { ConsumerRecordRecoverer } from '../error/common-error-handler.js';
import { DeadLetterPublishingRecoverer, type RawRecordPublisher } from '../error/dead-letter-publishing-recoverer.js';
import { ExceptionClassifier } from '../error/exception-classifier.js';
import { RetryTopicHeaders } from '../support/kafka-headers.js';
import type { Logger } from '../support/logger.js';
import { type DestinationTopics, retryTopicFor } from './destination-topics.js';
import { attemptsOf, originalTimestampOf, retryHeaders } from './retry-topic-headers.js';
import type { RetryTopicOptions } from './retry-topic-options.js';

/**
 * The recoverer of a retryable listener's containers: sends a failed record on to the next retry
 * topic with its attempt count, first timestamp and due time in Spring's headers, or to the DLT
 * once attempts are exhausted or the error is not retryable (Spring's
 * DeadLetterPublishingRecovererFactory). The record keeps its partition when the destination
 * has it, so that per-key order holds through retries.
 */
export function retryTopicForwarder(
  publisher: RawRecordPublisher,
  topics: DestinationTopics,
  options: RetryTopicOptions,
  logger: Logger,
): ConsumerRecordRecoverer {
  const classifier = new ExceptionClassifier();
  if (options.include !== undefined && options.include.length > 0) {
    classifier.defaultFalse();
    classifier.addRetryableExceptions(...options.include);
  }
  if (options.exclude !== undefined) classifier.addNotRetryableExceptions(...options.exclude);
  const next = (attempt: number, error: Error) =>
    classifier.isRetryable(error) ? retryTopicFor(topics, attempt + 1) : undefined;
  const recoverer = new DeadLetterPublishingRecoverer(publisher, {
    stripHeaders: [
      RetryTopicHeaders.ATTEMPTS,
      RetryTopicHeaders.BACKOFF_TIMESTAMP,
      RetryTopicHeaders.ORIGINAL_TIMESTAMP,
    ],
    destinationResolver: (failed, error) => {
      const retry = next(attemptsOf(failed.raw.headers), error);
      return { topic: retry?.name ?? (topics.dltTopic as string), partition: failed.raw.partition };
    },
    headersFunction: (failed, error) => {
      const attempt = attemptsOf(failed.raw.headers);
      const retry = next(attempt, error);
      const original = originalTimestampOf(failed.raw.headers, failed.raw.timestamp);
      return retryHeaders(attempt + 1, original, retry === undefined ? undefined : Date.now() + retry.delayMs);
    },
  });
  return async (failed, error, ctx) => {
    const attempt = attemptsOf(failed.raw.headers);
    if (topics.dltTopic === undefined && next(attempt, error) === undefined) {
      logger.error(`retries exhausted for ${failed.raw.topic}-${failed.raw.partition}@${failed.raw.offset}; no DLT`, {
        listenerId: ctx.listenerId,
        error,
      });
      return;
    }
    await recoverer.recover(failed, error, ctx);
  };
}
