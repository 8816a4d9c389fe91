/**
 * KafkaJS 2.2.4 against Samsa: admin calls, produce with keys, headers and all four codecs,
 * consume from the beginning (in a group), and by offset and by timestamp.
 *
 * KafkaJS ships only gzip; snappy, lz4 and zstd come from codec plugins. The plugins here use
 * Samsa's protocol package to (de)compress — what the test checks is that the broker stores and
 * serves those batches untouched, which kcat (librdkafka's own codecs) cross-checks below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompressionType as Codec, compress, decompress } from '@samsa/protocol';
import { BrokerProcess, requireCommand, run } from '@samsa/testkit';
import kafkajs, { type EachMessagePayload } from 'kafkajs';

const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

const KCAT = requireCommand('kcat', 'kcat');

function plugin(codec: number) {
  return () => ({
    compress: async (encoder: { buffer: Buffer }) => compress(codec as 2 | 3 | 4, encoder.buffer),
    decompress: async (buffer: Buffer) => decompress(codec as 2 | 3 | 4, buffer),
  });
}
CompressionCodecs[CompressionTypes.Snappy] = plugin(Codec.SNAPPY);
CompressionCodecs[CompressionTypes.LZ4] = plugin(Codec.LZ4);
CompressionCodecs[CompressionTypes.ZSTD] = plugin(Codec.ZSTD);

describe('KafkaJS', () => {
  let broker: BrokerProcess;
  let kafka: Kafka;

  before(async () => {
    broker = await BrokerProcess.start();
    kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  });
  after(async () => {
    await broker?.close();
  });

  test('admin: create, list, fetch metadata and offsets, configs, delete', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      assert.equal(await admin.createTopics({ topics: [{ topic: 'kjs-admin', numPartitions: 3 }] }), true);
      assert.equal(await admin.createTopics({ topics: [{ topic: 'kjs-admin', numPartitions: 3 }] }), false);
      assert.ok((await admin.listTopics()).includes('kjs-admin'));
      const metadata = await admin.fetchTopicMetadata({ topics: ['kjs-admin'] });
      assert.equal(metadata.topics[0]?.partitions.length, 3);
      const offsets = await admin.fetchTopicOffsets('kjs-admin');
      assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [
        [0, '0', '0'],
        [1, '0', '0'],
        [2, '0', '0'],
      ]);
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: 'kjs-admin', configEntries: [{ name: 'retention.ms', value: '60000' }] }],
      });
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: 'kjs-admin', configNames: ['retention.ms'] }],
      });
      assert.equal(described.resources[0]?.configEntries[0]?.configValue, '60000');
      await admin.createPartitions({ topicPartitions: [{ topic: 'kjs-admin', count: 5 }] });
      assert.equal((await admin.fetchTopicMetadata({ topics: ['kjs-admin'] })).topics[0]?.partitions.length, 5);
      await admin.deleteTopics({ topics: ['kjs-admin'] });
      assert.ok(!(await admin.listTopics()).includes('kjs-admin'));
      const cluster = await admin.describeCluster();
      assert.equal(cluster.controller, 0);
      assert.equal(cluster.brokers.length, 1);
    } finally {
      await admin.disconnect();
    }
  });

  for (const [name, type] of [
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const) {
    test(`produce with ${name}, keys and headers; consume in a group; kcat reads the same`, async () => {
      const topic = `kjs-${name}`;
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const messages = Array.from({ length: 100 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: { h: `x${i}` },
      }));
      const sent = await producer.send({ topic, compression: type, messages, acks: -1 });
      assert.equal(sent[0]?.errorCode, 0);
      assert.equal(sent[0]?.baseOffset, '0');
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId: `g-${name}`, sessionTimeout: 10000, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: EachMessagePayload['message'][] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message);
              if (received.length === 100) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      received.forEach((m, i) => {
        assert.equal(m.offset, String(i));
        assert.equal(m.key?.toString(), `k${i}`);
        assert.equal(m.value?.toString(), `v${i}`);
        assert.equal(m.headers?.h?.toString(), `x${i}`);
      });
      const viaKcat = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', topic, '-e', '-f', '%k=%s\n'], {
        timeoutMs: 20000,
      });
      assert.deepEqual(
        viaKcat.stdout.trim().split('\n'),
        messages.map((m) => `${m.key}=${m.value}`),
      );
    });
  }

  test('consume by offset (seek) and by timestamp', async () => {
    const topic = 'kjs-seek';
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now() - 10000;
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, timestamp: String(t0 + i * 1000) })),
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 4500);
    await admin.disconnect();
    assert.deepEqual(byTime, [{ partition: 0, offset: '5' }]);

    const consumer = kafka.consumer({ groupId: 'g-seek' });
    await consumer.connect();
    await consumer.subscribe({ topic });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === 3) resolve();
          },
        })
        .catch(reject);
      consumer.seek({ topic, partition: 0, offset: '7' });
    });
    await consumer.disconnect();
    assert.deepEqual(values, ['m7', 'm8', 'm9']);
  });
});
