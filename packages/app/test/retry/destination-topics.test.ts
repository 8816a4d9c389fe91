/** Retry topic delays (Spring's @Backoff as BackOffValuesGenerator draws it) and topic layout. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MAX_DELAY_MS,
  destinationTopics,
  retryDelaysMs,
  retryTopicFor,
} from '../../src/retry/destination-topics.js';

describe('retryDelaysMs', () => {
  it('caps an exponential back-off without maxDelay at 30 s (ExponentialBackOffPolicy default)', () => {
    assert.equal(DEFAULT_MAX_DELAY_MS, 30_000);
    assert.deepEqual(
      retryDelaysMs({ attempts: 9, backoff: { delayMs: 1000, multiplier: 2 } }),
      [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000],
    );
    // A maxDelay not above the delay counts as none: the 30 s default applies.
    assert.deepEqual(
      retryDelaysMs({ attempts: 4, backoff: { delayMs: 20_000, multiplier: 3, maxDelayMs: 5000 } }),
      [20_000, 30_000, 30_000],
    );
    // A first delay above the cap is capped too.
    assert.deepEqual(retryDelaysMs({ attempts: 3, backoff: { delayMs: 60_000, multiplier: 2 } }), [30_000, 30_000]);
  });

  it('caps at maxDelay when it is above the delay', () => {
    assert.deepEqual(
      retryDelaysMs({ attempts: 6, backoff: { delayMs: 1000, multiplier: 3, maxDelayMs: 10_000 } }),
      [1000, 3000, 9000, 10_000, 10_000],
    );
    assert.deepEqual(
      retryDelaysMs({ attempts: 5, backoff: { delayMs: 1000, multiplier: 2, maxDelayMs: 120_000 } }),
      [1000, 2000, 4000, 8000],
      'a maxDelay above 30 s lifts the cap',
    );
  });

  it('keeps a fixed delay, a multiplier up to 1 as fixed, and truncates as long arithmetic does', () => {
    assert.deepEqual(retryDelaysMs({}), [1000, 1000], 'Spring: 3 attempts, 1 s');
    assert.deepEqual(retryDelaysMs({ attempts: 3, backoff: { delayMs: 5000, maxDelayMs: 100 } }), [5000, 5000]);
    assert.deepEqual(retryDelaysMs({ attempts: 3, backoff: { delayMs: 500, multiplier: 0.5 } }), [500, 500]);
    assert.deepEqual(retryDelaysMs({ attempts: 4, backoff: { delayMs: 3, multiplier: 1.5 } }), [3, 4, 6]);
    assert.deepEqual(retryDelaysMs({ attempts: 1 }), []);
  });

  it('draws random delays as Spring\u2019s random policies do', () => {
    // UniformRandomBackOffPolicy: no multiplier, maxDelay above delay.
    assert.deepEqual(
      retryDelaysMs({ attempts: 3, backoff: { delayMs: 1000, maxDelayMs: 3000 } }, () => 0.5),
      [2000, 2000],
    );
    // ExponentialRandomBackOffPolicy: up to `multiplier` times each delay, capped.
    assert.deepEqual(
      retryDelaysMs(
        { attempts: 4, backoff: { delayMs: 1000, multiplier: 2, maxDelayMs: 5000, random: true } },
        () => 0.5,
      ),
      [1500, 3000, 5000],
    );
    for (const d of retryDelaysMs({ attempts: 50, backoff: { delayMs: 100, maxDelayMs: 200 } })) {
      assert.ok(d >= 100 && d < 200);
    }
  });
});

describe('destinationTopics', () => {
  it('shares the last topic among the capped retries with the same-interval SINGLE_TOPIC strategy', () => {
    const options = {
      attempts: 8,
      backoff: { delayMs: 1000, multiplier: 4 },
      sameIntervalTopicReuseStrategy: 'SINGLE_TOPIC',
    } as const;
    // 1000, 4000, 16000, 30000, 30000, 30000, 30000
    const topics = destinationTopics('t', options);
    assert.deepEqual(
      topics.retryTopics.map((r) => [r.name, r.delayMs]),
      [
        ['t-retry-0', 1000],
        ['t-retry-1', 4000],
        ['t-retry-2', 16_000],
        ['t-retry-3', 30_000],
      ],
    );
    assert.deepEqual(
      [2, 3, 4, 5, 6, 7, 8, 9].map((a) => retryTopicFor(topics, a)?.name),
      ['t-retry-0', 't-retry-1', 't-retry-2', 't-retry-3', 't-retry-3', 't-retry-3', 't-retry-3', undefined],
    );
    assert.deepEqual(
      destinationTopics('t', { ...options, sameIntervalTopicReuseStrategy: 'MULTIPLE_TOPICS' }).retryTopics.length,
      7,
      'one topic per retry otherwise',
    );
  });

  it('names a single reused topic `-retry` (Spring Boot\u2019s fixed back-off)', () => {
    const topics = destinationTopics('t', {
      attempts: 4,
      backoff: { delayMs: 1000 },
      sameIntervalTopicReuseStrategy: 'SINGLE_TOPIC',
    });
    assert.deepEqual(
      topics.retryTopics.map((r) => r.name),
      ['t-retry'],
    );
    assert.deepEqual(
      [2, 3, 4].map((a) => retryTopicFor(topics, a)?.name),
      ['t-retry', 't-retry', 't-retry'],
    );
    assert.equal(topics.dltTopic, 't-dlt');
  });

  it('keeps index and delay naming', () => {
    const delays = { attempts: 4, backoff: { delayMs: 1000, multiplier: 2 } } as const;
    assert.deepEqual(
      destinationTopics('t', delays).retryTopics.map((r) => r.name),
      ['t-retry-0', 't-retry-1', 't-retry-2'],
    );
    assert.deepEqual(
      destinationTopics('t', { ...delays, topicSuffixingStrategy: 'SUFFIX_WITH_DELAY_VALUE' }).retryTopics.map(
        (r) => r.name,
      ),
      ['t-retry-1000', 't-retry-2000', 't-retry-4000'],
    );
  });
});
