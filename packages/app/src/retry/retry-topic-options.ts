import type { ErrorType } from '../error/exception-classifier.js';
import type { RecordListener } from '../listener/listener-context.js';

/**
 * Spring's `@Backoff` (spring-retry's BackOffPolicyBuilder):
 *
 * - with a `multiplier` (> 0): exponential, `delayMs` growing by `multiplier` (below 1 counts as
 *   1) up to `maxDelayMs`, or up to 30 s (ExponentialBackOffPolicy's default maxInterval) when
 *   `maxDelayMs` is not above `delayMs`; `random` spreads each delay up to `multiplier` times;
 * - without one, and with `maxDelayMs` above `delayMs`: each delay is drawn uniformly between
 *   the two (UniformRandomBackOffPolicy);
 * - otherwise fixed at `delayMs`.
 *
 * The delays are drawn once, when the retry topics are laid out, as Spring's
 * BackOffValuesGenerator does: each retry topic has one delay.
 */
export interface RetryBackOff {
  readonly delayMs?: number;
  readonly multiplier?: number;
  readonly maxDelayMs?: number;
  /** With a multiplier: Spring's ExponentialRandomBackOffPolicy. */
  readonly random?: boolean;
}

/**
 * Non-blocking retries (Spring's `@RetryableTopic`): a failed record is republished to a retry
 * topic and handled again there once its back-off has passed, while the main topic keeps
 * flowing; after `attempts` deliveries it goes to the dead-letter topic.
 */
export interface RetryTopicOptions {
  /** Deliveries in all, the first included (Spring's default 3: two retry topics). */
  readonly attempts?: number;
  /** Spring's default: 1000 ms fixed. */
  readonly backoff?: RetryBackOff;
  readonly retryTopicSuffix?: string;
  readonly dltTopicSuffix?: string;
  /** `-retry-0, -retry-1, …` (default) or `-retry-1000, -retry-2000, …`. */
  readonly topicSuffixingStrategy?: 'SUFFIX_WITH_INDEX_VALUE' | 'SUFFIX_WITH_DELAY_VALUE';
  /** With a fixed delay: one topic per retry (default) or a single `-retry` topic for all. */
  readonly fixedDelayTopicStrategy?: 'MULTIPLE_TOPICS' | 'SINGLE_TOPIC';
  /**
   * Spring's SameIntervalTopicReuseStrategy: with SINGLE_TOPIC, the retries at the last delay
   * (an exponential back-off that reached its cap, or a fixed one) share one topic, the first of
   * them; a single retry topic left is named `<main><retrySuffix>`. Default MULTIPLE_TOPICS.
   */
  readonly sameIntervalTopicReuseStrategy?: 'MULTIPLE_TOPICS' | 'SINGLE_TOPIC';
  /** Create the retry and dead-letter topics at `app.start()` (default true). */
  readonly autoCreateTopics?: boolean;
  /** Partitions of the created topics; the main topic's count by default (records keep their partition). */
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  /** Only these errors are retried (others go to the DLT at once). */
  readonly include?: readonly ErrorType[];
  /** These errors go to the DLT at once. */
  readonly exclude?: readonly ErrorType[];
  /**
   * What a failure in the DLT handler does: publish to the DLT again (default), or log and go
   * on (FAIL_ON_ERROR); NO_DLT has no DLT at all: exhausted records are logged and dropped.
   */
  readonly dltStrategy?: 'ALWAYS_RETRY_ON_ERROR' | 'FAIL_ON_ERROR' | 'NO_DLT';
  /** Handles dead letters (the method marked `@DltHandler` in the decorator form); logs them by default. */
  readonly dltHandler?: RecordListener<unknown, unknown>;
}
