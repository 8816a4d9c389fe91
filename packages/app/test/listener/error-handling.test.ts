/**
 * Blocking retries and dead letters against a real broker: DefaultErrorHandler +
 * DeadLetterPublishingRecoverer on a listener container.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  BatchListenerFailedException,
  createJsonDeserializer,
  DeadLetterPublishingRecoverer,
  DefaultErrorHandler,
  FixedBackOff,
  KafkaHeaders,
  KafkaMessageListenerContainer,
  silentLogger,
} from '../../src/index.js';
import {
  bufferProducer,
  committedOffsets,
  consumerConfig,
  createTopics,
  header,
  readAll,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

const utf8 = (b: Buffer | null | undefined) => b?.toString('utf8');

describe('error handling in a listener container', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;
  let dltProducer: Producer<Buffer, Buffer>;

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
    dltProducer = bufferProducer(broker.bootstrap);
  });
  after(async () => {
    await producer?.close();
    await dltProducer?.close();
    await broker?.stop();
  });

  async function produce(topic: string, partitions: number, count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        producer.send({ topic, partition: i % partitions, key: `k${i}`, value: `v${i}` }),
      ),
    );
  }

  it('retries failing records, dead-letters exactly them with Spring headers, and handles the others once', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('g');
    await createTopics(broker.bootstrap, { [topic]: 3, [`${topic}-dlt`]: 3 });
    await produce(topic, 3, 30);
    const failing = new Set(['v7', 'v13', 'v22']);
    const attempts = new Map<string, number>();
    const deliveries = new Map<string, number>();
    const recoverer = new DeadLetterPublishingRecoverer(dltProducer);
    const container = new KafkaMessageListenerContainer<string, string>({
      id: group,
      topics: [topic],
      consumerConfig: consumerConfig(broker.bootstrap),
      keyDeserializer: (b) => b.toString('utf8'),
      valueDeserializer: (b) => b.toString('utf8'),
      errorHandler: new DefaultErrorHandler({
        recoverer: recoverer.recover,
        backOff: new FixedBackOff(10, 2),
        logger: silentLogger,
      }),
      logger: silentLogger,
      listener: (record, ctx) => {
        const v = record.value as string;
        deliveries.set(v, (deliveries.get(v) ?? 0) + 1);
        if (failing.has(v)) {
          attempts.set(v, ctx.deliveryAttempt);
          throw new Error(`boom ${v}`);
        }
      },
    });
    await container.start();
    try {
      await waitFor(() => recoverer.published === 3 && deliveries.size === 30, 'all records handled or dead-lettered');
      await waitFor(async () => {
        const committed = await committedOffsets(broker.bootstrap, group);
        return [0, 1, 2].every((p) => committed.get(`${topic}-${p}`) === 10n);
      }, 'offsets committed to the end of every partition');
    } finally {
      await container.stop();
    }
    for (const [v, n] of deliveries) assert.equal(n, failing.has(v) ? 3 : 1, `deliveries of ${v}`);
    assert.deepEqual([...attempts.values()], [3, 3, 3], 'the last delivery attempt counted 3');
    const dead = await readAll(broker.bootstrap, `${topic}-dlt`, 3, 3);
    assert.deepEqual(dead.map((r) => utf8(r.value)).sort(), ['v13', 'v22', 'v7']);
    for (const r of dead) {
      const i = Number(utf8(r.value)?.slice(1));
      assert.equal(utf8(r.key), `k${i}`, 'original key bytes');
      assert.equal(r.partition, i % 3, 'same partition as the original');
      assert.equal(utf8(header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC)), topic);
      assert.equal(header(r, KafkaHeaders.DLT_ORIGINAL_PARTITION)?.readInt32BE(0), i % 3);
      assert.equal(header(r, KafkaHeaders.DLT_ORIGINAL_OFFSET)?.readBigInt64BE(0), BigInt(Math.floor(i / 3)));
      assert.equal(header(r, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP)?.length, 8);
      assert.equal(utf8(header(r, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)), 'CreateTime');
      assert.equal(utf8(header(r, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)), group);
      assert.equal(utf8(header(r, KafkaHeaders.DLT_EXCEPTION_FQCN)), 'Error');
      assert.equal(utf8(header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE)), `boom v${i}`);
      assert.match(utf8(header(r, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)) ?? '', /^Error: boom v\d+\n\s+at /);
    }
    const metrics = container.metrics();
    assert.equal(metrics.recovered, 3);
    assert.equal(metrics.failures, 9);
    assert.equal(metrics.retries, 6);
    assert.equal(metrics.records, 27);
  });

  it('counts failures per container when one DefaultErrorHandler serves several (the application default)', async () => {
    const topic = uniqueName('shared');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    await produce(topic, 1, 4);
    const recovered: string[] = [];
    const shared = new DefaultErrorHandler({
      backOff: new FixedBackOff(0, 4),
      recoverer: (failed, _error, ctx) => {
        recovered.push(`${ctx.listenerId}:${failed.raw.value?.toString()}`);
      },
      logger: silentLogger,
    });
    const deliveries = new Map<string, number>();
    const containerFailingAt = (id: string, failing: string) =>
      new KafkaMessageListenerContainer<Buffer, string>({
        id,
        topics: [topic],
        consumerConfig: consumerConfig(broker.bootstrap),
        valueDeserializer: (b) => b.toString('utf8'),
        errorHandler: shared,
        logger: silentLogger,
        listener: (record) => {
          const k = `${id}:${record.value}`;
          deliveries.set(k, (deliveries.get(k) ?? 0) + 1);
          if (record.value === failing) throw new Error(`${id} fails ${failing}`);
        },
      });
    const a = containerFailingAt(uniqueName('a'), 'v1');
    const b = containerFailingAt(uniqueName('b'), 'v2');
    await Promise.all([a.start(), b.start()]);
    try {
      await waitFor(
        () => recovered.length === 2 && deliveries.get(`${a.id}:v3`) === 1 && deliveries.get(`${b.id}:v3`) === 1,
        'both containers past their failures',
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    assert.deepEqual(recovered.sort(), [`${a.id}:v1`, `${b.id}:v2`].sort());
    assert.equal(deliveries.get(`${a.id}:v1`), 5, 'five deliveries in container a, not reset by b');
    assert.equal(deliveries.get(`${b.id}:v2`), 5, 'five deliveries in container b, not reset by a');
  });

  it('sends a poison record (invalid JSON) to the dead-letter topic at once and keeps consuming', async () => {
    const topic = uniqueName('json');
    await createTopics(broker.bootstrap, { [topic]: 1, [`${topic}-dlt`]: 1 });
    await producer.send({ topic, value: '{"n":1}' });
    await producer.send({ topic, value: '{"n":2' });
    await producer.send({ topic, value: '{"n":3}' });
    const seen: unknown[] = [];
    const recoverer = new DeadLetterPublishingRecoverer(dltProducer);
    const container = new KafkaMessageListenerContainer<Buffer, unknown>({
      id: uniqueName('g'),
      topics: [topic],
      consumerConfig: consumerConfig(broker.bootstrap),
      valueDeserializer: (b) => JSON.parse(b.toString('utf8')),
      errorHandler: new DefaultErrorHandler({ recoverer: recoverer.recover, logger: silentLogger }),
      logger: silentLogger,
      listener: (record) => {
        seen.push(record.value);
      },
    });
    await container.start();
    try {
      await waitFor(() => seen.length === 2 && recoverer.published === 1, 'two records handled, one dead-lettered');
    } finally {
      await container.stop();
    }
    assert.deepEqual(seen, [{ n: 1 }, { n: 3 }]);
    const [dead] = await readAll(broker.bootstrap, `${topic}-dlt`, 1, 1);
    assert.equal(utf8(dead?.value), '{"n":2', 'the raw bytes, unchanged');
    assert.equal(utf8(dead && header(dead, KafkaHeaders.DLT_EXCEPTION_FQCN)), 'DeserializationException');
    assert.equal(container.metrics().failures, 1, 'not retried');
  });

  it('refuses an untrusted __TypeId__ as Spring does: the record goes to the DLT, the container continues', async () => {
    const topic = uniqueName('typed');
    await createTopics(broker.bootstrap, { [topic]: 1, [`${topic}-dlt`]: 1 });
    await producer.send({ topic, value: '{"name":"kun"}', headers: { __TypeId__: 'com.kun.kafka.bean.UserBean' } });
    await producer.send({ topic, value: '{"cmd":"rm -rf"}', headers: { __TypeId__: 'evil.Gadget' } });
    await producer.send({ topic, value: '{"name":"Jack"}', headers: { __TypeId__: 'com.kun.kafka.bean.UserBean' } });
    const seen: unknown[] = [];
    const recoverer = new DeadLetterPublishingRecoverer(dltProducer);
    const container = new KafkaMessageListenerContainer<Buffer, unknown>({
      id: uniqueName('g'),
      topics: [topic],
      consumerConfig: consumerConfig(broker.bootstrap),
      valueDeserializer: createJsonDeserializer({ trustedPackages: 'com.kun.kafka.bean' }),
      errorHandler: new DefaultErrorHandler({ recoverer: recoverer.recover, logger: silentLogger }),
      logger: silentLogger,
      listener: (record) => {
        seen.push(record.value);
      },
    });
    await container.start();
    try {
      await waitFor(() => seen.length === 2 && recoverer.published === 1, 'two records handled, one dead-lettered');
    } finally {
      await container.stop();
    }
    assert.deepEqual(seen, [{ name: 'kun' }, { name: 'Jack' }]);
    const [dead] = await readAll(broker.bootstrap, `${topic}-dlt`, 1, 1);
    assert.equal(utf8(dead?.value), '{"cmd":"rm -rf"}');
    assert.match(
      utf8(dead && header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)) ?? '',
      /The class 'evil.Gadget' is not in the trusted packages: \[java.util, java.lang, com.kun.kafka.bean\]/,
    );
  });

  for (const retries of [1, 0]) {
    it(`commits the records before a BatchListenerFailedException and dead-letters the failed one (${retries} retries)`, async () => {
      const topic = uniqueName('batch');
      const group = uniqueName('g');
      await createTopics(broker.bootstrap, { [topic]: 1, [`${topic}-dlt`]: 1 });
      await produce(topic, 1, 10);
      const handled: string[] = [];
      const recoverer = new DeadLetterPublishingRecoverer(dltProducer);
      const container = new KafkaMessageListenerContainer<string, string>({
        id: group,
        topics: [topic],
        batch: true,
        consumerConfig: consumerConfig(broker.bootstrap),
        valueDeserializer: (b) => b.toString('utf8'),
        errorHandler: new DefaultErrorHandler({
          recoverer: recoverer.recover,
          backOff: new FixedBackOff(0, retries),
          logger: silentLogger,
        }),
        logger: silentLogger,
        listener: (records) => {
          for (let i = 0; i < records.length; i++) {
            const v = records[i]?.value as string;
            if (v === 'v4') throw new BatchListenerFailedException('v4 is bad', i);
            handled.push(v);
          }
        },
      });
      await container.start();
      try {
        await waitFor(() => recoverer.published === 1 && handled.includes('v9'), 'the batch after v4 handled');
        await waitFor(
          async () => (await committedOffsets(broker.bootstrap, group)).get(`${topic}-0`) === 10n,
          'offset 10 committed',
        );
      } finally {
        await container.stop();
      }
      const once = handled.filter((v) => ['v5', 'v6', 'v7', 'v8', 'v9'].includes(v));
      assert.deepEqual(once, ['v5', 'v6', 'v7', 'v8', 'v9'], 'records after the failed one handled once');
      assert.ok(!handled.includes('v4'));
      const before = handled.filter((v) => ['v0', 'v1', 'v2', 'v3'].includes(v));
      assert.deepEqual(before, ['v0', 'v1', 'v2', 'v3'], 'records before the failed one handled exactly once');
      assert.equal(container.metrics().recovered, 1, 'only the failed record counts as recovered');
      const [dead] = await readAll(broker.bootstrap, `${topic}-dlt`, 1, 1);
      assert.equal(utf8(dead?.value), 'v4');
      assert.equal(utf8(dead && header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)), 'v4 is bad');
    });
  }
});
