import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Consumer, type ConsumerRecord, type RecordMetadata } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { BROKER_PROPERTIES, newProducer, startBroker, uniqueName, waitFor } from './client-support.js';

describe('client resilience', () => {
  it('bootstraps from the first reachable of several addresses', async () => {
    const broker = await startBroker();
    const producer = newProducer(broker.bootstrap, {
      'bootstrap.servers': ['127.0.0.1:1', broker.bootstrap],
      'reconnect.backoff.ms': 10,
    });
    try {
      const result = await producer.send({ topic: uniqueName('bootstrap'), value: 'v' });
      assert.equal(result.offset, 0n);
    } finally {
      await producer.close();
      await broker.close();
    }
  });

  it('survives a broker crash: reconnects with backoff, retries sends, and consumers resume', async () => {
    let broker = await startBroker();
    const topic = uniqueName('crash');
    const group = uniqueName('g');
    const producer = newProducer(broker.bootstrap, {
      'retry.backoff.max.ms': 200,
      'reconnect.backoff.max.ms': 200,
      'request.timeout.ms': 3000,
    });
    const consumer = new Consumer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'group.id': group,
      'auto.offset.reset': 'earliest',
      'session.timeout.ms': 6000,
      'heartbeat.interval.ms': 200,
      'fetch.max.wait.ms': 100,
      'reconnect.backoff.max.ms': 200,
      'request.timeout.ms': 3000,
      valueDeserializer: 'string',
    });
    const seen = new Set<string>();
    try {
      await producer.sendBatch(Array.from({ length: 10 }, (_, i) => ({ topic, value: `before-${i}` })));
      consumer.subscribe([topic]);
      const running = consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value as string) });
      await waitFor(() => seen.size === 10, 10000, 'records before the crash');
      await broker.kill();
      // Sends while the broker is down wait in the accumulator and are retried.
      const pending: Promise<RecordMetadata>[] = Array.from({ length: 10 }, (_, i) =>
        producer.send({ topic, value: `after-${i}` }),
      );
      await new Promise((r) => setTimeout(r, 500));
      broker = await BrokerProcess.start({ dataDir: broker.dataDir, port: broker.port, properties: BROKER_PROPERTIES });
      const results = await Promise.all(pending);
      assert.deepEqual(
        results.map((r) => r.offset),
        results.map((_, i) => BigInt(10 + i)),
        'no duplicates, in order',
      );
      await waitFor(() => seen.size === 20, 20000, 'records after the restart');
      await consumer.stop();
      await running;
    } finally {
      await consumer.close();
      await producer.close();
      await broker.close();
    }
  });

  it('close() of a consumer commits what it processed and leaves the group at once', async () => {
    const broker = await startBroker();
    const topic = uniqueName('leave');
    const group = uniqueName('g');
    try {
      const producer = newProducer(broker.bootstrap);
      await producer.sendBatch(Array.from({ length: 6 }, (_, i) => ({ topic, value: `${i}` })));
      await producer.close();
      const options = {
        'bootstrap.servers': broker.bootstrap,
        'group.id': group,
        'auto.offset.reset': 'earliest',
        'session.timeout.ms': 30000,
        'heartbeat.interval.ms': 200,
        'fetch.max.wait.ms': 100,
        'max.poll.records': 3,
        valueDeserializer: 'string' as const,
      };
      const first = new Consumer<Buffer, string>(options);
      first.subscribe([topic]);
      const got: ConsumerRecord<Buffer, string>[] = [];
      while (got.length < 3) got.push(...(await first.poll({ timeoutMs: 2000 })));
      await first.close();
      // A new member joins at once (no 30 s session timeout to wait out) and starts after the 3 records.
      const second = new Consumer<Buffer, string>(options);
      try {
        second.subscribe([topic]);
        const started = Date.now();
        const next: ConsumerRecord<Buffer, string>[] = [];
        while (next.length < 3) next.push(...(await second.poll({ timeoutMs: 2000 })));
        assert.deepEqual(
          next.map((r) => r.value),
          ['3', '4', '5'],
        );
        assert.ok(Date.now() - started < 10000);
      } finally {
        await second.close();
      }
    } finally {
      await broker.close();
    }
  });
});
