import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import {
  Admin,
  ClientError,
  KafkaError,
  murmur2Partition,
  Producer,
  type ProducerRecord,
  type RecordMetadata,
  type RequestEvent,
} from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { createTopic, newProducer, readRecords, startBroker, uniqueName, waitFor } from './client-support.js';

describe('producer against a broker', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  it('send resolves with topic, partition, offset and timestamp; offsets are bigint and consecutive', async () => {
    const topic = uniqueName('send');
    const producer = newProducer(broker.bootstrap);
    try {
      const first = await producer.send({ topic, key: 'k', value: 'v1', timestamp: 1_700_000_000_000 });
      const second = await producer.send({ topic, key: 'k', value: 'v2' });
      assert.equal(first.topic, topic);
      assert.equal(first.partition, 0);
      assert.equal(first.offset, 0n);
      assert.equal(first.timestamp, 1_700_000_000_000);
      assert.equal(second.offset, 1n);
      assert.equal(first.serializedKeySize, 1);
      assert.equal(first.serializedValueSize, 2);
    } finally {
      await producer.close();
    }
  });

  it('sendBatch resolves once for many records, in order, across partitions', async () => {
    const topic = uniqueName('batch');
    await createTopic(broker.bootstrap, topic, 4);
    const producer = newProducer(broker.bootstrap);
    try {
      const records = Array.from({ length: 500 }, (_, i) => ({ topic, key: `key-${i}`, value: `value-${i}` }));
      const results = await producer.sendBatch(records);
      assert.equal(results.length, 500);
      for (const [i, r] of results.entries()) {
        assert.equal(r.partition, murmur2Partition(Buffer.from(`key-${i}`), 4), 'Java default partitioning');
      }
      // Offsets per partition are consecutive in send order.
      const byPartition = new Map<number, bigint[]>();
      for (const r of results) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r.offset]);
      for (const offsets of byPartition.values())
        assert.deepEqual(
          offsets,
          offsets.map((_, i) => BigInt(i)),
        );
      const read = await readRecords<string, string>(broker.bootstrap, topic, 4, 500, {
        keyDeserializer: 'string',
        valueDeserializer: 'string',
      });
      const got = new Map(read.map((r) => [r.key, { value: r.value, partition: r.partition }]));
      for (let i = 0; i < 500; i++)
        assert.deepEqual(got.get(`key-${i}`), {
          value: `value-${i}`,
          partition: murmur2Partition(Buffer.from(`key-${i}`), 4),
        });
    } finally {
      await producer.close();
    }
  });

  it('callback form delivers metadata without promises', async () => {
    const topic = uniqueName('callback');
    const producer = newProducer(broker.bootstrap);
    try {
      const results: (RecordMetadata | Error)[] = [];
      for (let i = 0; i < 10; i++) {
        producer.send({ topic, value: `v${i}` }, (error, metadata) =>
          results.push(error ?? (metadata as RecordMetadata)),
        );
      }
      await producer.flush();
      assert.equal(results.length, 10);
      assert.deepEqual(
        results.map((r) => (r as RecordMetadata).offset),
        Array.from({ length: 10 }, (_, i) => BigInt(i)),
      );
    } finally {
      await producer.close();
    }
  });

  for (const acks of [0, 1, 'all'] as const) {
    it(`acks=${acks} writes the records${acks === 0 ? ' (offsets unknown: -1)' : ''}`, async () => {
      const topic = uniqueName(`acks${acks}`);
      const producer = newProducer(broker.bootstrap, { acks, 'enable.idempotence': acks === 'all' });
      try {
        const results = await producer.sendBatch(Array.from({ length: 20 }, (_, i) => ({ topic, value: `v${i}` })));
        if (acks === 0) assert.ok(results.every((r) => r.offset === -1n));
        else
          assert.deepEqual(
            results.map((r) => r.offset),
            Array.from({ length: 20 }, (_, i) => BigInt(i)),
          );
        const read = await readRecords<Buffer, string>(broker.bootstrap, topic, 1, 20, { valueDeserializer: 'string' });
        assert.deepEqual(
          read.map((r) => r.value),
          Array.from({ length: 20 }, (_, i) => `v${i}`),
        );
      } finally {
        await producer.close();
      }
    });
  }

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`compression.type=${codec}: batches are compressed and read back intact`, async () => {
      const topic = uniqueName(codec);
      const producer = newProducer(broker.bootstrap, { 'compression.type': codec, 'linger.ms': 20 });
      try {
        const value = 'compressible '.repeat(50);
        await producer.sendBatch(
          Array.from({ length: 100 }, (_, i) => ({ topic, key: `k${i}`, value: `${i}:${value}` })),
        );
        const read = await readRecords<string, string>(broker.bootstrap, topic, 1, 100, {
          keyDeserializer: 'string',
          valueDeserializer: 'string',
        });
        assert.deepEqual(
          read.map((r) => r.value),
          Array.from({ length: 100 }, (_, i) => `${i}:${value}`),
        );
        const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
        try {
          const [dir] = await admin.describeLogDirs();
          const size = dir?.partitions.find((p) => p.topic === topic)?.size ?? 0n;
          assert.ok(size > 0n && size < 100n * 600n, `log of ${size} bytes is compressed`);
        } finally {
          await admin.close();
        }
      } finally {
        await producer.close();
      }
    });
  }

  it('headers and timestamps reach the consumer', async () => {
    const topic = uniqueName('headers');
    const producer = newProducer(broker.bootstrap);
    try {
      await producer.send({
        topic,
        key: 'k',
        value: 'v',
        timestamp: 1_600_000_000_123,
        headers: { trace: 'abc', bin: Buffer.from([1, 2, 3]), none: null },
      });
      await producer.send({
        topic,
        value: 'w',
        headers: [
          { key: 'dup', value: '1' },
          { key: 'dup', value: '2' },
        ],
      });
      const [a, b] = await readRecords(broker.bootstrap, topic, 1, 2);
      assert.equal(a?.timestamp, 1_600_000_000_123);
      assert.equal(a?.timestampType, 'CreateTime');
      assert.deepEqual(
        a?.headers.map((h) => [h.key, h.value === null ? null : [...h.value]]),
        [
          ['trace', [...Buffer.from('abc')]],
          ['bin', [1, 2, 3]],
          ['none', null],
        ],
      );
      assert.deepEqual(
        b?.headers.map((h) => h.value?.toString()),
        ['1', '2'],
      );
    } finally {
      await producer.close();
    }
  });

  it('is idempotent by default: a producer ID, and the broker tracks its sequences', async () => {
    const topic = uniqueName('idempotent');
    const producer = newProducer(broker.bootstrap);
    try {
      await producer.sendBatch(Array.from({ length: 10 }, (_, i) => ({ topic, value: `${i}` })));
      const { producerId, producerEpoch } = producer.producerIdAndEpoch;
      assert.ok(producerId >= 0);
      assert.ok(producerEpoch >= 0);
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const [state] = await admin.describeProducers([{ topic, partition: 0 }]);
        const active = state?.activeProducers.find((p) => p.producerId === BigInt(producerId));
        assert.ok(active !== undefined, 'the broker knows the producer');
        assert.equal(active?.lastSequence, 9);
      } finally {
        await admin.close();
      }
    } finally {
      await producer.close();
    }
  });

  it('keeps order per partition with 5 requests in flight over many small batches', async () => {
    const topic = uniqueName('order');
    const producer = newProducer(broker.bootstrap, { 'batch.size': 200, 'linger.ms': 0 });
    try {
      const promises: Promise<RecordMetadata>[] = [];
      for (let i = 0; i < 2000; i++) promises.push(producer.send({ topic, value: `${i}` }));
      const results = await Promise.all(promises);
      assert.deepEqual(
        results.map((r) => r.offset),
        results.map((_, i) => BigInt(i)),
      );
      assert.ok(producer.metrics().batchesSent > 100);
      const read = await readRecords<Buffer, string>(broker.bootstrap, topic, 1, 2000, { valueDeserializer: 'string' });
      assert.deepEqual(
        read.map((r) => r.value),
        read.map((_, i) => `${i}`),
      );
    } finally {
      await producer.close();
    }
  });

  it('null keys stick to one partition per batch (KIP-480), moving on as batches close', async () => {
    const topic = uniqueName('sticky');
    await createTopic(broker.bootstrap, topic, 4);
    const producer = newProducer(broker.bootstrap, { 'batch.size': 2000, 'linger.ms': 1000 });
    try {
      const promises: Promise<RecordMetadata>[] = [];
      for (let i = 0; i < 40; i++) promises.push(producer.send({ topic, value: 'x'.repeat(100) }));
      const results = await Promise.all(promises);
      const partitions = results.map((r) => r.partition);
      // ~17 records fill a 2000-byte batch; each batch goes to one partition and the next moves.
      const runs: number[] = [];
      for (const [i, p] of partitions.entries()) if (i === 0 || p !== partitions[i - 1]) runs.push(p);
      assert.ok(runs.length >= 2 && runs.length <= 4, `runs ${runs}`);
      for (let i = 1; i < runs.length; i++) assert.notEqual(runs[i], runs[i - 1]);
    } finally {
      await producer.close();
    }
  });

  it('explicit partition, round-robin partitioner and a custom function', async () => {
    const topic = uniqueName('partitioners');
    await createTopic(broker.bootstrap, topic, 3);
    const explicit = newProducer(broker.bootstrap);
    const roundRobin = newProducer(broker.bootstrap, { partitioner: 'round-robin' });
    const custom = newProducer(broker.bootstrap, {
      partitioner: ({ key, numPartitions }: { key: Uint8Array | null; numPartitions: number }) =>
        (key?.[0] ?? 0) % numPartitions,
    });
    try {
      assert.equal((await explicit.send({ topic, key: 'a', value: 'v', partition: 2 })).partition, 2);
      const rr = await roundRobin.sendBatch(Array.from({ length: 6 }, () => ({ topic, key: 'same', value: 'v' })));
      assert.deepEqual(
        rr.map((r) => r.partition),
        [0, 1, 2, 0, 1, 2],
      );
      const c = await custom.sendBatch(['a', 'b', 'c', 'd'].map((key) => ({ topic, key, value: 'v' })));
      assert.deepEqual(
        c.map((r) => r.partition),
        ['a', 'b', 'c', 'd'].map((k) => k.charCodeAt(0) % 3),
      );
      await assert.rejects(
        explicit.send({ topic, value: 'v', partition: 7 }),
        /partition 7 of topic .* does not exist/,
      );
    } finally {
      await Promise.all([explicit.close(), roundRobin.close(), custom.close()]);
    }
  });

  it('JSON and custom serializers', async () => {
    const topic = uniqueName('serdes');
    const producer = new Producer<string, { name: string; age: number }>({
      'bootstrap.servers': broker.bootstrap,
      'key.serializer': 'org.apache.kafka.common.serialization.StringSerializer',
      'value.serializer': 'org.springframework.kafka.support.serializer.JsonSerializer',
    });
    const upper = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: (v: string) => Buffer.from(v.toUpperCase()),
    });
    try {
      await producer.send({ topic, key: 'key-1', value: { name: 'Jack', age: 20 } });
      await upper.send({ topic, value: 'shout' });
      const [a, b] = await readRecords<string, Buffer>(broker.bootstrap, topic, 1, 2, { keyDeserializer: 'string' });
      assert.equal(a?.key, 'key-1');
      assert.deepEqual(JSON.parse(a?.value?.toString() ?? ''), { name: 'Jack', age: 20 });
      assert.equal(b?.value?.toString(), 'SHOUT');
    } finally {
      await Promise.all([producer.close(), upper.close()]);
    }
  });

  it('the producer listener counts successes and failures (Spring ProducerListener)', async () => {
    const topic = uniqueName('listener');
    let success = 0;
    let failure = 0;
    const seen: ProducerRecord<string, string>[] = [];
    const producer = newProducer(broker.bootstrap, {
      producerListener: {
        onSuccess: (record: ProducerRecord<string, string>) => {
          success++;
          seen.push(record);
        },
        onError: () => failure++,
      },
    });
    try {
      await producer.sendBatch(Array.from({ length: 5 }, (_, i) => ({ topic, value: `${i}` })));
      await assert.rejects(producer.send({ topic, value: 'x', partition: 99 }));
      assert.equal(success, 5);
      assert.equal(failure, 1);
      assert.equal(seen[0]?.value, '0');
      assert.deepEqual(producer.metrics().recordsSent, 5);
      assert.deepEqual(producer.metrics().recordsFailed, 1);
    } finally {
      await producer.close();
    }
  });

  it('buffer.memory backpressure: sends wait, then fail after max.block.ms with a clear error', async () => {
    const topic = uniqueName('backpressure');
    await createTopic(broker.bootstrap, topic, 3);
    // Memory for two batches; a linger so long that nothing is sent while we fill it.
    const producer = newProducer(broker.bootstrap, {
      'buffer.memory': 4096,
      'batch.size': 2048,
      'linger.ms': 60000,
      'max.block.ms': 300,
      'delivery.timeout.ms': 120000,
    });
    try {
      await producer.partitionsFor(topic);
      // Two open batches (partitions 0 and 1) hold all the memory; neither is full, so neither is
      // sent before linger.ms. A record for partition 2 needs a third batch and has to wait.
      const value = 'x'.repeat(1500);
      const first = producer.send({ topic, value, partition: 0 });
      const second = producer.send({ topic, value, partition: 1 });
      const started = Date.now();
      const third = producer.send({ topic, value, partition: 2 });
      await assert.rejects(
        third,
        (e: unknown) =>
          e instanceof ClientError &&
          e.code === 'SAMSA_ERR_BUFFER_EXHAUSTED' &&
          /max blocking time 300 ms/.test(e.message),
      );
      assert.ok(Date.now() - started >= 250);
      await producer.flush();
      assert.equal((await first).offset, 0n);
      assert.equal((await second).offset, 0n);
      // With memory free again, sends go through.
      assert.equal(
        (await Promise.all([producer.send({ topic, value: 'ok', partition: 2 }), producer.flush()]))[0].offset,
        0n,
      );
    } finally {
      await producer.close();
    }
  });

  it('metadata refresh finds partitions added to a topic', async () => {
    const topic = uniqueName('grow');
    await createTopic(broker.bootstrap, topic, 1);
    const producer = newProducer(broker.bootstrap, { 'metadata.max.age.ms': 200 });
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await producer.send({ topic, value: 'a' });
      await admin.createPartitions([{ topic, totalCount: 3 }]);
      await waitFor(
        async () => (await producer.partitionsFor(topic)).length === 3,
        5000,
        'three partitions in metadata',
      );
      assert.equal((await producer.send({ topic, value: 'b', partition: 2 })).partition, 2);
    } finally {
      await Promise.all([producer.close(), admin.close()]);
    }
  });

  it('fails a send to a topic that cannot exist with a KafkaError', async () => {
    const producer = newProducer(broker.bootstrap, { 'max.block.ms': 2000 });
    try {
      await assert.rejects(
        producer.send({ topic: 'bad topic name!', value: 'v' }),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'INVALID_TOPIC_EXCEPTION',
      );
    } finally {
      await producer.close();
    }
  });

  it('a record larger than max.request.size fails at send', async () => {
    const producer = newProducer(broker.bootstrap, { 'max.request.size': 1000 });
    try {
      await assert.rejects(
        producer.send({ topic: uniqueName('big'), value: 'x'.repeat(2000) }),
        /larger than max.request.size/,
      );
    } finally {
      await producer.close();
    }
  });

  it('a batch over the topic max.message.bytes is split and resent, in order, with 5 requests in flight (idempotent)', async () => {
    const topic = uniqueName('split');
    await createTopic(broker.bootstrap, topic, 1, { 'max.message.bytes': '20000' });
    // Three batches of ~40 KB, each refused; the second and third are in flight behind the first.
    const producer = newProducer(broker.bootstrap, { 'batch.size': 40000, 'linger.ms': 50 });
    const value = (i: number): string => `${i}:`.padEnd(1000, 'x');
    try {
      const results = await producer.sendBatch(Array.from({ length: 120 }, (_, i) => ({ topic, value: value(i) })));
      assert.deepEqual(
        results.map((r) => r.offset),
        results.map((_, i) => BigInt(i)),
      );
      assert.ok(producer.metrics().batchesSent >= 3 + 8, `batches sent: ${producer.metrics().batchesSent}`);
      const read = await readRecords<Buffer, string>(broker.bootstrap, topic, 1, 120, { valueDeserializer: 'string' });
      assert.deepEqual(
        read.map((r) => r.value),
        read.map((_, i) => value(i)),
      );
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const [state] = await admin.describeProducers([{ topic, partition: 0 }]);
        assert.equal(state?.activeProducers[0]?.lastSequence, 119, 'the halves carried the batch sequence numbers');
      } finally {
        await admin.close();
      }
    } finally {
      await producer.close();
    }
  });

  it('a compressed batch over max.message.bytes is split too; a single record over it fails with MESSAGE_TOO_LARGE', async () => {
    const topic = uniqueName('split-gzip');
    await createTopic(broker.bootstrap, topic, 1, { 'max.message.bytes': '20000' });
    const producer = newProducer<string, Buffer>(broker.bootstrap, {
      'batch.size': 1048576,
      'linger.ms': 50,
      'compression.type': 'gzip',
      'enable.idempotence': false,
      acks: 1,
      valueSerializer: 'buffer',
    });
    // Random bytes do not compress: the 100 KB batch stays over the limit after gzip.
    const values = Array.from({ length: 100 }, () => randomBytes(1000));
    try {
      const results = await producer.sendBatch(values.map((v) => ({ topic, value: v })));
      assert.deepEqual(
        results.map((r) => r.offset),
        results.map((_, i) => BigInt(i)),
      );
      const read = await readRecords(broker.bootstrap, topic, 1, 100);
      for (const [i, r] of read.entries()) assert.ok(r.value?.equals(values[i] as Buffer), `record ${i}`);
      await assert.rejects(
        producer.send({ topic, value: randomBytes(30000) }),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'MESSAGE_TOO_LARGE',
      );
    } finally {
      await producer.close();
    }
  });

  it('close() flushes what is buffered and rejects later sends', async () => {
    const topic = uniqueName('close');
    const producer = newProducer(broker.bootstrap, { 'linger.ms': 60000, 'delivery.timeout.ms': 120000 });
    const pending = producer.sendBatch(Array.from({ length: 50 }, (_, i) => ({ topic, value: `${i}` })));
    await producer.close();
    assert.equal((await pending).length, 50);
    await assert.rejects(producer.send({ topic, value: 'late' }), /producer is closed/);
  });

  it('publishes request events on diagnostics_channel', async () => {
    const events: RequestEvent[] = [];
    const onMessage = (message: unknown) => events.push(message as RequestEvent);
    diagnostics.subscribe('samsa:client:request', onMessage);
    const producer = newProducer(broker.bootstrap, { 'client.id': 'diag-test' });
    try {
      await producer.send({ topic: uniqueName('diag'), value: 'v' });
    } finally {
      diagnostics.unsubscribe('samsa:client:request', onMessage);
      await producer.close();
    }
    const mine = events.filter((e) => e.clientId === 'diag-test');
    const apis = new Set(mine.map((e) => e.apiName));
    for (const api of ['ApiVersions', 'Metadata', 'InitProducerId', 'Produce'])
      assert.ok(apis.has(api), `${api} event`);
    const produce = mine.find((e) => e.apiName === 'Produce');
    assert.ok(
      produce !== undefined && produce.durationMs >= 0 && produce.apiVersion >= 3 && produce.error === undefined,
    );
  });
});
