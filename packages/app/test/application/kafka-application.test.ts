/**
 * KafkaApplication on a real broker: request/reply through a listener that returns its answer,
 * missing-topics-fatal, the decorator form of @RetryableTopic with @DltHandler, and per-listener
 * metrics and diagnostics_channel events.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import type { ConsumerRecord } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  DltHandler,
  KafkaApplication,
  KafkaListener,
  type ListenerEvent,
  ReplyingKafkaTemplate,
  RetryableTopic,
  silentLogger,
} from '../../src/index.js';
import {
  consumerConfig,
  createTopics,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

describe('KafkaApplication', () => {
  let broker: BrokerProcess;
  const apps: KafkaApplication[] = [];

  function application(options: ConstructorParameters<typeof KafkaApplication>[0] = {}): KafkaApplication {
    const app = new KafkaApplication({
      common: { 'bootstrap.servers': broker.bootstrap },
      consumer: consumerConfig(broker.bootstrap),
      producer: { 'linger.ms': 0 },
      keyDeserializer: (b) => b.toString('utf8'),
      valueDeserializer: (b) => b.toString('utf8'),
      keySerializer: (v) => Buffer.from(String(v)),
      valueSerializer: (v) => Buffer.from(String(v)),
      producerListener: null,
      logger: silentLogger,
      shutdownSignals: false,
      ...options,
    });
    apps.push(app);
    return app;
  }

  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    for (const app of apps) await app.stop();
    await broker?.stop();
  });

  it('answers 1,000 concurrent requests: a listener with sendTo: true replies to kafka_replyTopic', async () => {
    const requests = uniqueName('requests');
    const replies = uniqueName('replies');
    await createTopics(broker.bootstrap, { [requests]: 3, [replies]: 2 });
    const app = application();
    app.listen<string, string>(
      { topics: requests, groupId: uniqueName('server'), sendTo: true, concurrency: 2 },
      (record) => String(Number(record.value) * 2),
    );
    await app.start();
    const client = new ReplyingKafkaTemplate<string, string, string>(
      {
        'bootstrap.servers': broker.bootstrap,
        'key.serializer': 'string',
        'value.serializer': 'string',
        'linger.ms': 1,
      },
      {
        replyTopic: replies,
        defaultReplyTimeoutMs: 30_000,
        producerListener: null,
        replyConsumerConfig: {
          'bootstrap.servers': broker.bootstrap,
          'fetch.max.wait.ms': 50,
          'key.deserializer': 'string',
          'value.deserializer': 'string',
        },
      },
    );
    try {
      await client.start();
      const answers = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          client.sendAndReceive({ topic: requests, key: `k${i}`, value: String(i) }),
        ),
      );
      answers.forEach((reply, i) => {
        assert.equal(reply.value, String(i * 2), `request ${i} got its own answer`);
        assert.equal(reply.key, `k${i}`, 'the reply keeps the request key');
      });
    } finally {
      await client.close();
    }
  });

  it('refuses to start a listener whose topic is missing when missingTopicsFatal is set', async () => {
    const missing = uniqueName('nowhere');
    const app = application({ listener: { missingTopicsFatal: true } });
    app.listen({ topics: missing, groupId: uniqueName('g') }, () => {});
    await assert.rejects(
      app.start(),
      new RegExp(`Topic\\(s\\) \\[${missing}\\] is/are not present and missingTopicsFatal is true`),
    );
  });

  it('@RetryableTopic with a @DltHandler method: a record failing every attempt reaches the handler', async () => {
    const topic = uniqueName('orders');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    const app = application();
    const attempts: string[] = [];
    const dead: ConsumerRecord<string, string>[] = [];
    class OrderListener {
      @KafkaListener({ topics: topic, groupId: uniqueName('orders') })
      @RetryableTopic({ attempts: 2, backoff: { delayMs: 100 } })
      onOrder(record: ConsumerRecord<string, string>) {
        attempts.push(record.topic);
        if (record.value === 'bad') throw new Error('bad order');
      }

      @DltHandler()
      onDeadOrder(record: ConsumerRecord<string, string>) {
        dead.push(record);
      }
    }
    const containers = app.register(new OrderListener());
    assert.equal(containers.length, 1);
    assert.deepEqual(
      app.listenerContainers.map((c) => c.id),
      ['OrderListener.onOrder', 'OrderListener.onOrder-retry-0', 'OrderListener.onOrder-dlt'],
    );
    await app.start();
    const producer = stringProducer(broker.bootstrap);
    try {
      await producer.send({ topic, value: 'good' });
      await producer.send({ topic, value: 'bad' });
    } finally {
      await producer.close();
    }
    await waitFor(() => dead.length === 1, 'the bad order in the DLT handler');
    assert.equal(dead[0]?.value, 'bad');
    assert.equal(dead[0]?.topic, `${topic}-dlt`);
    assert.deepEqual(
      attempts,
      [topic, topic, `${topic}-retry-0`],
      'good once; bad on the main topic, then its one retry',
    );
  });

  it('reports per-listener metrics (records, failures, lag) and diagnostics_channel events', async () => {
    const topic = uniqueName('metered');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    const producer = stringProducer(broker.bootstrap);
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => producer.send({ topic, value: `v${i}` })));
    } finally {
      await producer.close();
    }
    const events: ListenerEvent[] = [];
    const onEvent = (message: unknown) => {
      const event = message as ListenerEvent;
      if (event.listenerId === 'metered') events.push(event);
    };
    diagnostics.subscribe('samsa:app:listener', onEvent);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = application({ consumer: consumerConfig(broker.bootstrap, { 'max.poll.records': 1 }) });
    const container = app.listen<string, string>(
      { id: 'metered', topics: topic, groupId: uniqueName('g') },
      async (record) => {
        if (record.offset === 0n) await gate;
        if (record.value === 'v7') throw new Error('v7 fails');
      },
    );
    try {
      await app.start();
      await waitFor(() => container.metrics().lag === 19, 'lag 19 while the first record is in hand');
      release();
      await waitFor(() => container.metrics().records === 19 && container.metrics().recovered === 1, 'all handled');
      await waitFor(() => container.metrics().lag === 0, 'lag 0 at the end');
    } finally {
      diagnostics.unsubscribe('samsa:app:listener', onEvent);
    }
    const m = app.metrics().metered;
    assert.equal(m?.failures, 10, 'v7 failed ten times: the DefaultErrorHandler default');
    assert.equal(m?.retries, 9);
    const count = (name: string) => events.filter((e) => e.event === name).length;
    assert.equal(count('start'), 1);
    assert.equal(count('record'), 19);
    assert.equal(count('failure'), 10);
    assert.equal(count('recovered'), 1);
    assert.equal(events.find((e) => e.event === 'recovered')?.offset, 7n);
  });
});
