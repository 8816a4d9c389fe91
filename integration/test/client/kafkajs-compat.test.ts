/**
 * KafkaJS usage examples — as KafkaJS's README and docs write them — run against Samsa with only
 * the import changed: `from '@samsa/client/kafkajs'` instead of `from 'kafkajs'`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompressionTypes,
  ConfigResourceTypes,
  Kafka,
  type KafkaJSEachMessagePayload,
  KafkaJSNonRetriableError,
  logLevel,
} from '@samsa/client/kafkajs';
import type { BrokerProcess } from '@samsa/testkit';
import { startBroker, uniqueName, waitFor } from './client-support.js';

describe('KafkaJS-compatible API (@samsa/client/kafkajs)', () => {
  let broker: BrokerProcess;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker();
    kafka = new Kafka({ clientId: 'my-app', brokers: [broker.bootstrap], logLevel: logLevel.ERROR });
  });
  after(async () => {
    await broker.close();
  });

  it('README example: producer.send, then consumer.subscribe + run(eachMessage)', async () => {
    const topic = uniqueName('test-topic');
    const producer = kafka.producer();
    await producer.connect();
    const sent = await producer.send({ topic, messages: [{ value: 'Hello KafkaJS user!' }] });
    assert.deepEqual(sent, [
      { topicName: topic, partition: 0, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '-1' },
    ]);
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: uniqueName('test-group'),
      heartbeatInterval: 200,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { partition: number; offset: string; value: string | undefined }[] = [];
    await consumer.run({
      eachMessage: async ({ partition, message }: KafkaJSEachMessagePayload) => {
        received.push({ partition, offset: message.offset, value: message.value?.toString() });
      },
    });
    await waitFor(() => received.length === 1, 10000, 'the message');
    assert.deepEqual(received, [{ partition: 0, offset: '0', value: 'Hello KafkaJS user!' }]);
    await consumer.disconnect();
  });

  it('sendBatch with keys, headers, compression and acks; messages keep key, headers and timestamp', async () => {
    const topicA = uniqueName('a');
    const topicB = uniqueName('b');
    const admin = kafka.admin();
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic: topicA, numPartitions: 3 }, { topic: topicB }] }), true);
    assert.equal(await admin.createTopics({ topics: [{ topic: topicA }] }), false, 'already exists');
    const producer = kafka.producer();
    await producer.connect();
    const result = await producer.sendBatch({
      compression: CompressionTypes.GZIP,
      acks: 1,
      topicMessages: [
        { topic: topicA, messages: [{ key: 'key1', value: 'hello', headers: { 'correlation-id': '2bfb68bb' } }] },
        { topic: topicB, messages: [{ key: 'key2', value: 'world', timestamp: '1600000000000' }] },
      ],
    });
    assert.equal(result.length, 2);
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('g'), heartbeatInterval: 200, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topicA, topicB], fromBeginning: true });
    const messages: KafkaJSEachMessagePayload[] = [];
    await consumer.run({ eachMessage: async (payload) => void messages.push(payload) });
    await waitFor(() => messages.length === 2, 10000, 'two messages');
    const a = messages.find((m) => m.topic === topicA);
    const b = messages.find((m) => m.topic === topicB);
    assert.equal(a?.message.key?.toString(), 'key1');
    assert.equal(String(a?.message.headers['correlation-id']), '2bfb68bb');
    assert.equal(b?.message.timestamp, '1600000000000');
    await consumer.disconnect();
    await admin.disconnect();
  });

  it('manual commits: run({ autoCommit: false }) + commitOffsets; seek; pause and resume', async () => {
    const topic = uniqueName('manual');
    const groupId = uniqueName('g');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId, heartbeatInterval: 200, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        values.push(message.value?.toString() ?? '');
        if (message.offset === '4') await consumer.commitOffsets([{ topic, partition, offset: '5' }]);
      },
    });
    await waitFor(() => values.length === 10, 10000, 'ten messages');
    consumer.seek({ topic, partition: 0, offset: '8' });
    await waitFor(() => values.length === 12, 10000, 'replay from 8');
    assert.deepEqual(values.slice(10), ['m8', 'm9']);
    consumer.pause([{ topic }]);
    assert.deepEqual(consumer.paused(), [{ topic, partitions: [0] }]);
    consumer.resume([{ topic }]);
    assert.deepEqual(consumer.paused(), []);
    await consumer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    assert.deepEqual(await admin.fetchOffsets({ groupId, topics: [topic] }), [
      { topic, partitions: [{ partition: 0, offset: '5', metadata: '' }] },
    ]);
    await admin.disconnect();
  });

  it('eachBatch with resolveOffset and heartbeat', async () => {
    const topic = uniqueName('batch');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `${i}` })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('g'), heartbeatInterval: 200, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    let lastOffset = '';
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          seen++;
          resolveOffset(message.offset);
          await heartbeat();
        }
        lastOffset = batch.lastOffset();
      },
    });
    await waitFor(() => seen === 20, 10000, 'twenty messages');
    assert.equal(lastOffset, '19');
    await consumer.disconnect();
  });

  it('GROUP_JOIN event reports the assignment', async () => {
    const topic = uniqueName('events');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('g'), heartbeatInterval: 200 });
    let assignment: Record<string, number[]> | undefined;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      assignment = (e.payload as { memberAssignment: Record<string, number[]> }).memberAssignment;
    });
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ eachMessage: async () => {} });
    await waitFor(() => assignment !== undefined, 10000, 'GROUP_JOIN');
    assert.deepEqual(assignment?.[topic]?.sort(), [0, 1]);
    await consumer.disconnect();
  });

  it('admin: metadata, topic offsets (by timestamp), set/reset offsets, configs, groups, delete records and topics', async () => {
    const topic = uniqueName('admin');
    const groupId = uniqueName('g');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    assert.ok((await admin.listTopics()).includes(topic));
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.deepEqual(
      metadata.topics[0]?.partitions.map((p) => [p.partitionId, p.leader]),
      [
        [0, 0],
        [1, 0],
      ],
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 4 }, (_, i) => ({
        key: `k${i}`,
        value: 'v',
        partition: 0,
        timestamp: String(1000 + i),
      })),
    });
    await producer.disconnect();
    assert.deepEqual(await admin.fetchTopicOffsets(topic), [
      { partition: 0, offset: '4', high: '4', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ]);
    assert.deepEqual(await admin.fetchTopicOffsetsByTimestamp(topic, 1002), [
      { partition: 0, offset: '2' },
      { partition: 1, offset: '0' },
    ]);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] });
    assert.equal(
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions.find((p) => p.partition === 0)?.offset,
      '3',
    );
    await admin.resetOffsets({ groupId, topic, earliest: true });
    assert.equal(
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions.find((p) => p.partition === 0)?.offset,
      '0',
    );
    const configs = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    assert.equal(configs.resources[0]?.configEntries[0]?.configValue, 'compact');
    await admin.alterConfigs({
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] },
      ],
    });
    const altered = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    });
    assert.equal(altered.resources[0]?.configEntries[0]?.configValue, 'delete');
    assert.ok((await admin.listGroups()).groups.some((g) => g.groupId === groupId));
    const described = await admin.describeGroups([groupId]);
    assert.equal(described.groups[0]?.state, 'Empty');
    assert.deepEqual(await admin.deleteGroups([groupId]), [{ groupId, errorCode: 0 }]);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    assert.equal((await admin.fetchTopicOffsets(topic))[0]?.low, '2');
    const cluster = await admin.describeCluster();
    assert.deepEqual(
      cluster.brokers.map((b) => b.nodeId),
      [0],
    );
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('errors carry KafkaJS fields (type, code, retriable)', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await assert.rejects(admin.fetchTopicMetadata({ topics: ['does-not-exist-anywhere'] }), (e: unknown) => {
      const err = e as { type?: string; code?: number; retriable?: boolean };
      return err.type === 'UNKNOWN_TOPIC_OR_PARTITION' && err.code === 3 && err.retriable === true;
    });
    await admin.disconnect();
  });

  it('transactions API: transaction() needs a transactionalId; send outside a transaction is refused', async () => {
    const plain = kafka.producer();
    await assert.rejects(plain.transaction(), KafkaJSNonRetriableError);
    await plain.disconnect();
    const topic = uniqueName('txn-topic');
    const transactional = kafka.producer({
      transactionalId: uniqueName('my-txn'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    assert.equal(transactional.isIdempotent(), true);
    await transactional.connect();
    await assert.rejects(transactional.send({ topic, messages: [{ value: 'outside' }] }), KafkaJSNonRetriableError);
    const transaction = await transactional.transaction();
    await transaction.send({ topic, messages: [{ value: 'inside' }] });
    await transaction.commit();
    await transactional.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('txn-reader'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
    await waitFor(() => values.length >= 1, 15_000, 'the committed record');
    await consumer.disconnect();
    assert.deepEqual(values, ['inside']);
  });
});
