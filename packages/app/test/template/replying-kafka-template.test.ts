/**
 * ReplyingKafkaTemplate against a real broker. The replying side is a plain Consumer + Producer
 * loop doing what Spring's listener container does for a @SendTo listener: copy
 * `kafka_correlationId` into the reply and send it to the topic named by `kafka_replyTopic` (and
 * the partition named by `kafka_replyPartition`, when there is one).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { KafkaHeaders } from '../../src/support/kafka-headers.js';
import { ReplyingKafkaTemplate } from '../../src/template/replying-kafka-template.js';
import { KafkaReplyTimeoutException } from '../../src/template/request-reply-future.js';

type Request = { n: number; ignore?: boolean; delayMs?: number };
type Reply = { n: number; doubled: number };

const REQUESTS = 'requests';
const REPLIES = 'replies';
let broker: BrokerProcess;
let server: ReplyServer;

/** Answers requests with { n, doubled: 2n }; skips `ignore` ones, answers `delayMs` ones that much later. */
class ReplyServer {
  readonly seen: ConsumerRecord<string, Request>[] = [];
  private readonly abort = new AbortController();
  private readonly consumer: Consumer<string, Request>;
  private readonly producer: Producer<string, Reply>;
  private loop: Promise<void> = Promise.resolve();

  constructor(bootstrap: string) {
    this.consumer = new Consumer({
      'bootstrap.servers': bootstrap,
      'auto.offset.reset': 'earliest',
      'fetch.max.wait.ms': 100,
      'key.deserializer': 'string',
      'value.deserializer': 'json',
    });
    this.producer = new Producer({
      'bootstrap.servers': bootstrap,
      'linger.ms': 0,
      'key.serializer': 'string',
      'value.serializer': 'json',
    });
  }

  start(partitions: number): void {
    this.consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic: REQUESTS, partition })));
    this.loop = (async () => {
      while (!this.abort.signal.aborted) {
        const records = await this.consumer.poll({ timeoutMs: 500, signal: this.abort.signal }).catch(() => []);
        for (const record of records) this.answer(record);
      }
    })();
  }

  private answer(record: ConsumerRecord<string, Request>): void {
    this.seen.push(record);
    const request = record.value as Request;
    if (request.ignore === true) return;
    const header = (key: string) => record.headers.findLast((h) => h.key === key)?.value ?? null;
    const replyTopic = header(KafkaHeaders.REPLY_TOPIC)?.toString('utf8');
    const replyPartition = header(KafkaHeaders.REPLY_PARTITION)?.readInt32BE(0);
    if (replyTopic === undefined) throw new Error('a request without kafka_replyTopic');
    const reply = {
      topic: replyTopic,
      key: record.key,
      value: { n: request.n, doubled: request.n * 2 },
      headers: [{ key: KafkaHeaders.CORRELATION_ID, value: header(KafkaHeaders.CORRELATION_ID) }],
      ...(replyPartition === undefined ? {} : { partition: replyPartition }),
    };
    setTimeout(() => {
      this.producer.send(reply).catch((error: unknown) => console.error('reply failed', error));
    }, request.delayMs ?? 0);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.consumer.close();
    await this.producer.close();
  }
}

function newTemplate(options: { replyPartition?: number } = {}): ReplyingKafkaTemplate<string, Request, Reply> {
  return new ReplyingKafkaTemplate<string, Request, Reply>(
    { 'bootstrap.servers': broker.bootstrap, 'linger.ms': 0, 'key.serializer': 'string', 'value.serializer': 'json' },
    {
      replyTopic: REPLIES,
      replyConsumerConfig: {
        'bootstrap.servers': broker.bootstrap,
        'fetch.max.wait.ms': 100,
        'key.deserializer': 'string',
        'value.deserializer': 'json',
      },
      ...options,
    },
  );
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ReplyingKafkaTemplate', { timeout: 120_000 }, () => {
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'group.initial.rebalance.delay.ms': 0 } });
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await admin.createTopics([
        { name: REQUESTS, numPartitions: 3 },
        { name: REPLIES, numPartitions: 2 },
      ]);
    } finally {
      await admin.close();
    }
    server = new ReplyServer(broker.bootstrap);
    server.start(3);
  });
  after(async () => {
    await server?.stop();
    await broker?.stop();
  });

  it('answers 1,000 concurrent requests, each with the reply to its own request', async () => {
    const template = newTemplate();
    assert.equal(template.defaultReplyTimeoutMs, 5000);
    const before = server.seen.length;
    try {
      const replies = await Promise.all(
        Array.from({ length: 1000 }, (_, n) =>
          template.sendAndReceive({ topic: REQUESTS, key: `k${n}`, value: { n } }),
        ),
      );
      replies.forEach((reply, n) => {
        assert.deepEqual(reply.value, { n, doubled: 2 * n });
        assert.equal(reply.key, `k${n}`);
        assert.equal(reply.topic, REPLIES);
      });
      assert.equal(new Set(replies.map((r) => r.partition)).size, 2, 'replies came on both reply partitions');
      assert.equal(template.pendingReplyCount, 0);
      assert.equal(template.lateReplyCount, 0);

      const requests = server.seen.slice(before);
      assert.equal(requests.length, 1000);
      const ids = new Set<string>();
      for (const request of requests) {
        const headers = new Map(request.headers.map((h) => [h.key, h.value]));
        assert.equal(headers.get(KafkaHeaders.REPLY_TOPIC)?.toString('utf8'), REPLIES);
        const id = headers.get(KafkaHeaders.CORRELATION_ID);
        assert.equal(id?.length, 16, 'a UUID’s 16 bytes, as Spring’s');
        ids.add(id.toString('hex'));
        assert.equal(headers.has(KafkaHeaders.REPLY_PARTITION), false);
      }
      assert.equal(ids.size, 1000, 'a correlation id per request');
    } finally {
      await template.close();
    }
  });

  it('times out exactly the requests that get no reply; the others resolve', async () => {
    const template = newTemplate();
    try {
      const ignored = (n: number) => n % 3 === 0;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, n) =>
          template.sendAndReceive({ topic: REQUESTS, value: { n, ignore: ignored(n) } }, { timeoutMs: 1500 }),
        ),
      );
      outcomes.forEach((outcome, n) => {
        if (ignored(n)) {
          assert.equal(outcome.status, 'rejected', `request ${n}`);
          const reason = (outcome as PromiseRejectedResult).reason as Error;
          assert.ok(reason instanceof KafkaReplyTimeoutException);
          assert.equal(reason.name, 'KafkaReplyTimeoutException');
          assert.equal(reason.message, 'Reply timed out');
        } else {
          assert.equal(outcome.status, 'fulfilled', `request ${n}`);
          assert.equal((outcome as PromiseFulfilledResult<ConsumerRecord<string, Reply>>).value.value?.n, n);
        }
      });
      assert.equal(template.pendingReplyCount, 0, 'timed-out requests are forgotten');
    } finally {
      await template.close();
    }
  });

  it('drops a reply that comes after its request timed out, and counts it', async () => {
    const template = newTemplate();
    try {
      await assert.rejects(
        template.sendAndReceive({ topic: REQUESTS, value: { n: 7, delayMs: 500 } }, { timeoutMs: 100 }),
        KafkaReplyTimeoutException,
      );
      assert.equal(template.pendingReplyCount, 0);
      await waitFor(() => template.lateReplyCount === 1, 'the late reply');
      // The template still works after dropping it.
      assert.deepEqual((await template.sendAndReceive({ topic: REQUESTS, value: { n: 8 } })).value, {
        n: 8,
        doubled: 16,
      });
    } finally {
      await template.close();
    }
  });

  it('keeps a correlation id the request carries, and asks for its replyPartition', async () => {
    const template = newTemplate({ replyPartition: 1 });
    try {
      await template.start();
      assert.deepEqual(await template.assignedReplyTopicPartitions(), [{ topic: REPLIES, partition: 1 }]);
      const reply = await template.sendAndReceive({
        topic: REQUESTS,
        value: { n: 21 },
        headers: { [KafkaHeaders.CORRELATION_ID]: Buffer.from('my-own-id') },
      });
      assert.equal(reply.partition, 1);
      assert.deepEqual(reply.value, { n: 21, doubled: 42 });
      const correlation = reply.headers.find((h) => h.key === KafkaHeaders.CORRELATION_ID)?.value;
      assert.equal(correlation?.toString(), 'my-own-id');
    } finally {
      await template.close();
    }
  });

  it('stop() rejects the requests still waiting', async () => {
    const template = newTemplate();
    const waiting = template.sendAndReceive({ topic: REQUESTS, value: { n: 1, ignore: true } }, { timeoutMs: 60_000 });
    await waitFor(() => template.pendingReplyCount === 1, 'the request to be pending');
    await template.stop();
    await assert.rejects(waiting, { code: 'SAMSA_ERR_CLOSED' });
    assert.equal(template.isRunning(), false);
    await template.close();
  });
});
