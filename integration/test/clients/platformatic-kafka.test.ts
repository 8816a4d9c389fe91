/**
 * @platformatic/kafka against Samsa: admin create/metadata/delete, produce with keys, headers
 * and codecs, consume from the beginning.
 *
 * Its zstd codec needs node:zlib's zstd (Node ≥ 22.15); on Node 20 it has none, so zstd is
 * covered by the kcat, KafkaJS and Python tests instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Admin,
  Consumer,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { BrokerProcess } from '@samsa/testkit';

describe('@platformatic/kafka', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    await broker?.close();
  });

  test('admin: create topics, metadata, delete', async () => {
    const admin = new Admin({ clientId: 'plt-admin', bootstrapBrokers: [broker.bootstrap] });
    try {
      await admin.createTopics({ topics: ['plt-admin'], partitions: 3, replicas: 1 });
      const metadata = await admin.metadata({ topics: ['plt-admin'] });
      assert.equal(metadata.topics.get('plt-admin')?.partitionsCount, 3);
      await admin.deleteTopics({ topics: ['plt-admin'] });
      const after = await admin.listTopics();
      assert.ok(!after.includes('plt-admin'));
    } finally {
      await admin.close();
    }
  });

  for (const compression of ['none', 'gzip', 'snappy', 'lz4'] as const) {
    test(`produce with ${compression}, consume from the beginning`, async () => {
      const topic = `plt-${compression}`;
      const producer = new Producer({
        clientId: 'plt-producer',
        bootstrapBrokers: [broker.bootstrap],
        serializers: stringSerializers,
        autocreateTopics: true,
      });
      const messages = Array.from({ length: 50 }, (_, i) => ({
        topic,
        partition: 0,
        key: `k${i}`,
        value: `v${i}`,
        headers: { h: `x${i}` },
      }));
      const result = await producer.send({ messages, compression, acks: -1 });
      assert.equal(result.offsets?.[0]?.offset, 0n);
      await producer.close();

      const consumer = new Consumer({
        groupId: `plt-${compression}`,
        clientId: 'plt-consumer',
        bootstrapBrokers: [broker.bootstrap],
        deserializers: stringDeserializers,
      });
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.EARLIEST,
        sessionTimeout: 10000,
        heartbeatInterval: 500,
      });
      const got: { key: string; value: string; offset: bigint; header: string | undefined }[] = [];
      for await (const m of stream) {
        got.push({ key: m.key, value: m.value, offset: m.offset, header: m.headers.get('h') as string | undefined });
        if (got.length === 50) break;
      }
      await stream.close();
      await consumer.close();
      got.forEach((m, i) => {
        assert.equal(m.offset, BigInt(i));
        assert.equal(m.key, `k${i}`);
        assert.equal(m.value, `v${i}`);
        assert.equal(m.header, `x${i}`);
      });
    });
  }
});
