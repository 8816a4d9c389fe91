/**
 * `KafkaApplication.fromSpringConfig` with what Boot does beyond the clients:
 * `spring.kafka.listener.client-id` as the listeners' client id prefix, and
 * `spring.kafka.retry.topic.*` as non-blocking retries for every listener (Boot's
 * `kafkaRetryTopicConfiguration` bean), on a real broker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, type ConsumerRecord, type Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { springApplicationOptions, springRetryTopic } from '../../src/application/spring-application.js';
import { parseSpringKafkaConfig } from '../../src/config/spring-kafka-properties.js';
import { KafkaApplication, RetryTopicHeaders, silentLogger } from '../../src/index.js';
import { createTopics, header, startBroker, stringProducer, uniqueName, waitFor } from '../support/app-harness.js';

function springConfig(bootstrap: string, lines: readonly string[]): string {
  return [
    `spring.kafka.bootstrap-servers=${bootstrap}`,
    'spring.kafka.consumer.auto-offset-reset=earliest',
    'spring.kafka.consumer.properties.fetch.max.wait.ms=50',
    'spring.kafka.consumer.properties.session.timeout.ms=6000',
    'spring.kafka.consumer.properties.heartbeat.interval.ms=500',
    'spring.kafka.producer.properties.linger.ms=1',
    ...lines,
  ].join('\n');
}

describe('spring.kafka.retry.topic.* and listener client-id (no broker)', () => {
  it('maps the retry settings as Boot\u2019s kafkaRetryTopicConfiguration builds them', () => {
    const parse = (lines: string[]) => parseSpringKafkaConfig(lines.join('\n')).retryTopic;
    assert.equal(springRetryTopic(parse([])), undefined, 'off unless enabled');
    assert.equal(springRetryTopic(parse(['spring.kafka.retry.topic.attempts=5'])), undefined);
    assert.deepEqual(springRetryTopic(parse(['spring.kafka.retry.topic.enabled=true'])), {
      attempts: 3,
      backoff: { delayMs: 1000 },
      topicSuffixingStrategy: 'SUFFIX_WITH_INDEX_VALUE',
      sameIntervalTopicReuseStrategy: 'SINGLE_TOPIC',
      autoCreateTopics: false,
    });
    assert.deepEqual(
      springRetryTopic(
        parse([
          'spring.kafka.retry.topic.enabled=true',
          'spring.kafka.retry.topic.attempts=6',
          'spring.kafka.retry.topic.backoff.delay=2s',
          'spring.kafka.retry.topic.backoff.multiplier=1.5',
          'spring.kafka.retry.topic.backoff.max-delay=1m',
          'spring.kafka.retry.topic.backoff.random=true',
        ]),
      )?.backoff,
      { delayMs: 2000, multiplier: 1.5, maxDelayMs: 60_000, random: true },
    );
    assert.deepEqual(
      springRetryTopic(parse(['spring.kafka.retry.topic.enabled=true', 'spring.kafka.retry.topic.delay=0']))?.backoff,
      { delayMs: 0 },
      'delay 0: Boot\u2019s noBackoff()',
    );
  });

  it('gives listeners the client-id and the retry topics; code options are merged over the retry settings', () => {
    const dltHandler = () => {};
    const options = springApplicationOptions(
      ['spring.kafka.listener.client-id=billing', 'spring.kafka.retry.topic.enabled=true'].join('\n'),
      { retryTopic: { dltHandler } },
    );
    assert.equal(options.listener?.clientIdPrefix, 'billing');
    assert.equal(options.retryTopic?.dltHandler, dltHandler);
    assert.equal(options.retryTopic?.attempts, 3);
    assert.equal(springApplicationOptions('spring.kafka.listener.concurrency=2').retryTopic, undefined);
    const app = KafkaApplication.fromSpringConfig('spring.kafka.retry.topic.enabled=true', {
      logger: silentLogger,
      shutdownSignals: false,
    });
    app.listen({ id: 'l', topics: 'orders' }, () => {});
    assert.deepEqual(
      app.listenerContainers.map((c) => c.id),
      ['l', 'l-retry', 'l-dlt'],
      'Boot\u2019s defaults: 3 attempts at a fixed 1 s share one -retry topic',
    );
  });
});

describe('KafkaApplication.fromSpringConfig on a broker', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
  });
  after(async () => {
    await producer?.close();
    await broker?.stop();
  });

  it('retries every listener through Boot\u2019s retry topics and names consumers by the listener client-id', async () => {
    const topic = uniqueName('invoices');
    const other = uniqueName('audit');
    const group = uniqueName('billing');
    const clientId = uniqueName('billing-app');
    // Boot does not create retry topics (doNotAutoCreateRetryTopics): they exist beforehand.
    await createTopics(broker.bootstrap, {
      [topic]: 2,
      [`${topic}-retry-0`]: 2,
      [`${topic}-retry-1`]: 2,
      [`${topic}-dlt`]: 2,
      [other]: 1,
    });
    const dead: ConsumerRecord<unknown, unknown>[] = [];
    const app = KafkaApplication.fromSpringConfig(
      springConfig(broker.bootstrap, [
        `spring.kafka.consumer.group-id=${group}`,
        `spring.kafka.listener.client-id=${clientId}`,
        'spring.kafka.retry.topic.enabled=true',
        'spring.kafka.retry.topic.attempts=4',
        'spring.kafka.retry.topic.backoff.delay=200ms',
        'spring.kafka.retry.topic.backoff.multiplier=2',
        'spring.kafka.retry.topic.backoff.max-delay=300ms',
      ]),
      {
        logger: silentLogger,
        shutdownSignals: false,
        retryTopic: { dltHandler: (record) => void dead.push(record) },
      },
    );
    const deliveries: { value: string; topic: string; atMs: number }[] = [];
    app.listen<string, string>({ topics: topic }, (record) => {
      deliveries.push({ value: record.value as string, topic: record.topic, atMs: Date.now() });
      if (record.value === 'bad') throw new Error('cannot bill');
    });
    // A batch listener has no retry topics; its own client id prefix beats the default.
    app.listen<string, string>(
      { topics: other, groupId: `${group}-audit`, batch: true, clientIdPrefix: 'auditor' },
      () => {},
    );
    // Delays 200, 400 capped at 300, 300: the two capped retries share -retry-1 (Boot's
    // useSingleTopicForSameIntervals).
    assert.deepEqual(
      app.listenerContainers.map((c) => c.children[0]?.groupId),
      [group, `${group}-retry-0`, `${group}-retry-1`, `${group}-dlt`, `${group}-audit`],
    );
    await app.start();
    try {
      await waitFor(() => app.listenerContainers.every((c) => c.assignment().length > 0), 'every container assigned');
      await producer.send({ topic, partition: 1, key: 'k1', value: 'good' });
      await producer.send({ topic, partition: 1, key: 'k2', value: 'bad' });
      await waitFor(() => dead.length === 1, 'the bad invoice in the DLT', 30_000);

      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const described = await admin.describeGroups([group, `${group}-retry-1`, `${group}-audit`]);
        assert.deepEqual(
          described.map((g) => g.members.map((m) => m.clientId)),
          [[`${clientId}-0`], [`${clientId}-retry-1-0`], ['auditor-0']],
          'spring.kafka.listener.client-id names the consumers (retry containers add their suffix)',
        );
      } finally {
        await admin.close();
      }
    } finally {
      await app.stop();
    }
    const of = (value: string) => deliveries.filter((d) => d.value === value);
    assert.deepEqual(
      of('good').map((d) => d.topic),
      [topic],
    );
    const bad = of('bad');
    assert.deepEqual(
      bad.map((d) => d.topic),
      [topic, `${topic}-retry-0`, `${topic}-retry-1`, `${topic}-retry-1`],
      'four attempts; the capped ones on the shared topic',
    );
    const gaps = bad.slice(1).map((d, i) => d.atMs - (bad[i] as { atMs: number }).atMs);
    assert.ok((gaps[0] as number) >= 150, `first back-off ${gaps[0]} ms ≈ 200 ms`);
    assert.ok((gaps[1] as number) >= 250 && (gaps[2] as number) >= 250, `capped back-offs ${gaps} ≈ 300 ms`);
    const letter = dead[0] as ConsumerRecord<unknown, unknown>;
    assert.equal(letter.topic, `${topic}-dlt`);
    assert.equal(letter.partition, 1, 'the record kept its partition');
    assert.equal(letter.value, 'bad');
    assert.equal(header(letter, RetryTopicHeaders.ATTEMPTS)?.readInt32BE(0), 5);
  });
});
