/**
 * Non-blocking retries (`retryableTopic`, Spring's @RetryableTopic) on a real broker: failing
 * records move through `-retry-0`, `-retry-1` with their back-off delays and end in `-dlt`, while
 * the main topic keeps flowing. Each retry and DLT container has a group of its own, suffixed as
 * Spring suffixes it, so that they never rebalance the main topic's consumers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, type ConsumerRecord, type Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { KafkaApplication, KafkaHeaders, RetryTopicHeaders, silentLogger } from '../../src/index.js';
import { readBigInteger } from '../../src/retry/retry-topic-headers.js';
import {
  consumerConfig,
  createTopics,
  header,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

interface Delivery {
  readonly value: string;
  readonly topic: string;
  readonly atMs: number;
  /** The record's own timestamp. */
  readonly timestamp: number;
}

describe('retryable topics', () => {
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

  it('delivers failing records to retry-0, retry-1 after their delays, then to the DLT; others flow on', async () => {
    const topic = uniqueName('pay');
    await createTopics(broker.bootstrap, { [topic]: 3 });
    const deliveries: Delivery[] = [];
    const dead: ConsumerRecord<unknown, unknown>[] = [];
    const alwaysFailing = new Set(['v3', 'v11']);
    const app = new KafkaApplication({
      common: { 'bootstrap.servers': broker.bootstrap },
      consumer: consumerConfig(broker.bootstrap),
      valueDeserializer: (b) => b.toString('utf8'),
      logger: silentLogger,
      shutdownSignals: false,
    });
    const id = uniqueName('payments');
    app.listen<Buffer, string>(
      {
        id,
        topics: topic,
        retryableTopic: {
          attempts: 3,
          backoff: { delayMs: 1000, multiplier: 2 },
          dltHandler: (record) => {
            dead.push(record);
          },
        },
      },
      (record) => {
        const value = record.value as string;
        deliveries.push({ value, topic: record.topic, atMs: Date.now(), timestamp: record.timestamp });
        if (alwaysFailing.has(value)) throw new Error(`cannot pay ${value}`);
        if (value === 'v5' && record.topic === topic) throw new Error('v5 fails once');
      },
    );
    await app.start();
    try {
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const created = await admin.describeTopics([`${topic}-retry-0`, `${topic}-retry-1`, `${topic}-dlt`]);
        assert.deepEqual(
          created.map((t) => t.partitions.length),
          [3, 3, 3],
          'retry and dead-letter topics created with the main topic partition count',
        );
      } finally {
        await admin.close();
      }
      await waitFor(() => app.listenerContainers.every((c) => c.assignment().length > 0), 'every container assigned');
      // The listener's id is its group (no groupId, no group.id); retry and DLT groups are suffixed.
      assert.deepEqual(
        app.listenerContainers.map((c) => c.children[0]?.groupId),
        [id, `${id}-retry-0`, `${id}-retry-1`, `${id}-dlt`],
      );
      const groupAdmin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const groups = (await groupAdmin.listGroups()).map((g) => g.groupId).filter((g) => g.startsWith(id));
        assert.deepEqual(
          groups.sort(),
          [id, `${id}-dlt`, `${id}-retry-0`, `${id}-retry-1`],
          'four distinct groups on the broker',
        );
        const described = await groupAdmin.describeGroups([id, `${id}-retry-0`]);
        assert.deepEqual(
          described.map((g) => g.members.flatMap((m) => m.subscribedTopics)),
          [[topic], [`${topic}-retry-0`]],
          'the main group has only the main topic’s consumer',
        );
      } finally {
        await groupAdmin.close();
      }
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => producer.send({ topic, partition: i % 3, key: `k${i}`, value: `v${i}` })),
      );
      await waitFor(() => dead.length === 2, 'two dead letters', 30_000);
    } finally {
      await app.stop();
    }

    const of = (value: string) => deliveries.filter((d) => d.value === value);
    for (const value of alwaysFailing) {
      const seen = of(value);
      assert.deepEqual(
        seen.map((d) => d.topic),
        [topic, `${topic}-retry-0`, `${topic}-retry-1`],
        `${value} went main → retry-0 → retry-1`,
      );
      const [main, retry0, retry1] = seen as [Delivery, Delivery, Delivery];
      const firstDelay = retry0.atMs - main.atMs;
      const secondDelay = retry1.atMs - retry0.atMs;
      assert.ok(firstDelay >= 800 && firstDelay <= 1200, `${value}: first back-off ${firstDelay} ms ≈ 1000 ms`);
      assert.ok(secondDelay >= 1600 && secondDelay <= 2400, `${value}: second back-off ${secondDelay} ms ≈ 2000 ms`);
    }
    assert.deepEqual(
      of('v5').map((d) => d.topic),
      [topic, `${topic}-retry-0`],
      'v5 succeeded on its first retry',
    );
    for (let i = 0; i < 20; i++) {
      const value = `v${i}`;
      if (alwaysFailing.has(value) || value === 'v5') continue;
      assert.deepEqual(
        of(value).map((d) => d.topic),
        [topic],
        `${value} handled once, on the main topic`,
      );
    }
    const lastMain = Math.max(...deliveries.filter((d) => d.topic === topic).map((d) => d.atMs));
    const firstRetry = Math.min(...deliveries.filter((d) => d.topic !== topic).map((d) => d.atMs));
    assert.ok(lastMain < firstRetry, 'the main topic was not held up by the failing records');

    assert.deepEqual(dead.map((r) => r.value).sort(), ['v11', 'v3']);
    for (const r of dead) {
      assert.equal(r.topic, `${topic}-dlt`);
      const i = Number(String(r.value).slice(1));
      assert.equal(r.partition, i % 3, 'the record kept its partition');
      assert.equal(header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC)?.toString(), topic, 'original topic of the first hop');
      assert.equal(header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE)?.toString(), `cannot pay ${r.value}`);
      assert.equal(header(r, RetryTopicHeaders.ATTEMPTS)?.readInt32BE(0), 4, 'attempts header counts the deliveries');
      assert.equal(header(r, RetryTopicHeaders.BACKOFF_TIMESTAMP), undefined, 'no back-off on the DLT');
      const original = header(r, RetryTopicHeaders.ORIGINAL_TIMESTAMP) as Buffer;
      const first = deliveries.find((d) => d.value === r.value && d.topic === topic) as Delivery;
      assert.equal(
        Number(readBigInteger(original)),
        first.timestamp,
        'the original timestamp (BigInteger bytes) is the main topic record’s',
      );
      assert.equal(r.key?.toString(), `k${i}`);
    }
  });
});
