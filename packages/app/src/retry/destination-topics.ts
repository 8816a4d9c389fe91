import type { RetryTopicOptions } from './retry-topic-options.js';

/** A retry topic and the wait before a record published there may be handled. */
export interface RetryTopic {
  readonly name: string;
  readonly delayMs: number;
}

/** The topics a retryable listener's records move through after the main topic. */
export interface DestinationTopics {
  readonly mainTopic: string;
  readonly maxAttempts: number;
  /** One per retry (attempt n+1 is handled on `retryTopics[n-1]`), or one shared with SINGLE_TOPIC. */
  readonly retryTopics: readonly RetryTopic[];
  readonly dltTopic: string | undefined;
}

/** Waits before retries 1..attempts-1: Spring's back-off, capped at maxDelayMs. */
export function retryDelaysMs(options: RetryTopicOptions): number[] {
  const attempts = options.attempts ?? 3;
  const delay = options.backoff?.delayMs ?? 1000;
  const multiplier = options.backoff?.multiplier ?? 0;
  const max = options.backoff?.maxDelayMs ?? Number.POSITIVE_INFINITY;
  const out: number[] = [];
  let next = delay;
  for (let i = 1; i < attempts; i++) {
    out.push(Math.min(next, max));
    if (multiplier > 1) next = next * multiplier;
  }
  return out;
}

/**
 * Names as Spring's topic naming does: `<main><retrySuffix>-<index>` (or `-<delay>`; repeated
 * delays get `-<delay>-<index>`), `<main><retrySuffix>` alone for SINGLE_TOPIC, and
 * `<main><dltSuffix>`.
 */
export function destinationTopics(mainTopic: string, options: RetryTopicOptions): DestinationTopics {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`@RetryableTopic attempts must be a positive integer, was ${attempts}`);
  }
  const retrySuffix = options.retryTopicSuffix ?? '-retry';
  const delays = retryDelaysMs(options);
  const fixed = delays.every((d) => d === delays[0]);
  let retryTopics: RetryTopic[];
  if (delays.length > 0 && fixed && options.fixedDelayTopicStrategy === 'SINGLE_TOPIC') {
    retryTopics = [{ name: `${mainTopic}${retrySuffix}`, delayMs: delays[0] as number }];
  } else if (options.topicSuffixingStrategy === 'SUFFIX_WITH_DELAY_VALUE') {
    retryTopics = delays.map((delayMs, i) => ({
      name: `${mainTopic}${retrySuffix}-${delayMs}${delays.indexOf(delayMs) !== i || delays.lastIndexOf(delayMs) !== i ? `-${delays.slice(0, i).filter((d) => d === delayMs).length}` : ''}`,
      delayMs,
    }));
  } else {
    retryTopics = delays.map((delayMs, i) => ({ name: `${mainTopic}${retrySuffix}-${i}`, delayMs }));
  }
  return {
    mainTopic,
    maxAttempts: attempts,
    retryTopics,
    dltTopic: options.dltStrategy === 'NO_DLT' ? undefined : `${mainTopic}${options.dltTopicSuffix ?? '-dlt'}`,
  };
}

/** The retry topic attempt `attempt` (2 = first retry) is handled on. */
export function retryTopicFor(topics: DestinationTopics, attempt: number): RetryTopic | undefined {
  if (attempt < 2 || attempt > topics.maxAttempts) return undefined;
  return topics.retryTopics.length === 1 ? topics.retryTopics[0] : topics.retryTopics[attempt - 2];
}
