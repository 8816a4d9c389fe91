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
  /**
   * One per retry (attempt n+1 is handled on `retryTopics[n-1]`); with SINGLE_TOPIC strategies
   * fewer, the last one handling every attempt past the end.
   */
  readonly retryTopics: readonly RetryTopic[];
  readonly dltTopic: string | undefined;
}

/** ExponentialBackOffPolicy's default maxInterval: the cap when `maxDelayMs` is not above `delayMs`. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * Waits before retries 1..attempts-1, as Spring's BackOffValuesGenerator draws them from the
 * `@Backoff` (see RetryBackOff). `random` gives numbers in [0, 1), as Math.random does.
 */
export function retryDelaysMs(options: RetryTopicOptions, random: () => number = Math.random): number[] {
  const count = Math.max(0, (options.attempts ?? 3) - 1);
  const delay = options.backoff?.delayMs ?? 1000;
  const max = options.backoff?.maxDelayMs ?? 0;
  const multiplier = options.backoff?.multiplier ?? 0;
  const out: number[] = [];
  if (multiplier > 0) {
    // ExponentialBackOffPolicy: a multiplier below 1 counts as 1; the interval stops growing
    // once it is past the cap (long arithmetic: each step truncates).
    const m = Math.max(multiplier, 1);
    const cap = max > delay ? max : DEFAULT_MAX_DELAY_MS;
    let interval = delay;
    for (let i = 0; i < count; i++) {
      let sleep = interval;
      if (sleep > cap) sleep = cap;
      else interval = Math.floor(interval * m);
      // ExponentialRandomBackOffPolicy: up to `m` times the delay, still capped.
      if (options.backoff?.random === true) sleep = Math.min(Math.floor(sleep * (1 + random() * (m - 1))), cap);
      out.push(sleep);
    }
  } else if (max > delay) {
    // UniformRandomBackOffPolicy.
    for (let i = 0; i < count; i++) out.push(delay + Math.floor(random() * (max - delay)));
  } else {
    for (let i = 0; i < count; i++) out.push(delay);
  }
  return out;
}

/**
 * Names as Spring's topic naming does: `<main><retrySuffix>-<index>` (or `-<delay>`; repeated
 * delays get `-<delay>-<index>`), `<main><retrySuffix>` alone for SINGLE_TOPIC, and
 * `<main><dltSuffix>`. With the same-interval SINGLE_TOPIC strategy, the retries at the last
 * delay share the first of their topics. `delays` are drawn from the options unless given (the
 * topics of one listener share them).
 */
export function destinationTopics(
  mainTopic: string,
  options: RetryTopicOptions,
  delays: readonly number[] = retryDelaysMs(options),
): DestinationTopics {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`@RetryableTopic attempts must be a positive integer, was ${attempts}`);
  }
  const retrySuffix = options.retryTopicSuffix ?? '-retry';
  const fixed = delays.every((d) => d === delays[0]);
  const reuse = options.sameIntervalTopicReuseStrategy === 'SINGLE_TOPIC';
  // Spring's reusableTopicAttempts: the repeats of the last delay (assumed at the end) need no topic.
  const last = delays[delays.length - 1];
  const reused = reuse && delays.length > 1 ? delays.filter((d) => d === last).length - 1 : 0;
  const topicCount = delays.length - reused;
  let retryTopics: RetryTopic[];
  if (delays.length > 0 && fixed && options.fixedDelayTopicStrategy === 'SINGLE_TOPIC') {
    retryTopics = [{ name: `${mainTopic}${retrySuffix}`, delayMs: delays[0] as number }];
  } else if (reuse && topicCount === 1) {
    retryTopics = [{ name: `${mainTopic}${retrySuffix}`, delayMs: delays[0] as number }];
  } else if (options.topicSuffixingStrategy === 'SUFFIX_WITH_DELAY_VALUE') {
    const repeated = (d: number) => !reuse && delays.indexOf(d) !== delays.lastIndexOf(d);
    retryTopics = delays.slice(0, topicCount).map((delayMs, i) => ({
      name: `${mainTopic}${retrySuffix}-${delayMs}${repeated(delayMs) ? `-${i - delays.indexOf(delayMs)}` : ''}`,
      delayMs,
    }));
  } else {
    retryTopics = delays
      .slice(0, topicCount)
      .map((delayMs, i) => ({ name: `${mainTopic}${retrySuffix}-${i}`, delayMs }));
  }
  return {
    mainTopic,
    maxAttempts: attempts,
    retryTopics,
    dltTopic: options.dltStrategy === 'NO_DLT' ? undefined : `${mainTopic}${options.dltTopicSuffix ?? '-dlt'}`,
  };
}

/** The retry topic attempt `attempt` (2 = first retry) is handled on; shared topics come last. */
export function retryTopicFor(topics: DestinationTopics, attempt: number): RetryTopic | undefined {
  if (attempt < 2 || attempt > topics.maxAttempts) return undefined;
  return topics.retryTopics[Math.min(attempt - 2, topics.retryTopics.length - 1)];
}
