import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import {
  Admin,
  ClientError,
  Consumer,
  type ConsumerRecord,
  type RebalanceEvent,
  type TopicPartition,
} from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { createTopic, newProducer, startBroker, uniqueName, waitFor } from './client-support.js';

type StringConsumer = Consumer<string, string>;

function newConsumer(bootstrap: string, groupId: string | null, options: Record<string, unknown> = {}): StringConsumer {
  return new Consumer<string, string>({
    'bootstrap.servers': bootstrap,
    ...(groupId === null ? {} : { 'group.id': groupId }),
    'auto.offset.reset': 'earliest',
    'session.timeout.ms': 3000,
    'heartbeat.interval.ms': 200,
    'fetch.max.wait.ms': 100,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
    ...options,
  });
}

async function produce(bootstrap: string, topic: string, count: number, from = 0, partition?: number): Promise<void> {
  const producer = newProducer(bootstrap);
  try {
    await producer.sendBatch(
      Array.from({ length: count }, (_, i) => ({
        topic,
        key: `k${from + i}`,
        value: `v${from + i}`,
        ...(partition === undefined ? {} : { partition }),
      })),
    );
  } finally {
    await producer.close();
  }
}

async function pollUntil(
  consumer: StringConsumer,
  count: number,
  timeoutMs = 15000,
): Promise<ConsumerRecord<string, string>[]> {
  const out: ConsumerRecord<string, string>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`got ${out.length} of ${count} records`);
    out.push(...(await consumer.poll({ timeoutMs: 500 })));
  }
  return out;
}

async function committed(bootstrap: string, groupId: string): Promise<Map<string, bigint>> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap });
  try {
    const offsets = await admin.listConsumerGroupOffsets(groupId);
    return new Map(offsets.map((o) => [`${o.topic}-${o.partition}`, o.offset]));
  } finally {
    await admin.close();
  }
}

describe('consumer against a broker', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  it('subscribes through a group, polls every record once, and commits with commitSync', async () => {
    const topic = uniqueName('poll');
    await createTopic(broker.bootstrap, topic, 3);
    await produce(broker.bootstrap, topic, 90);
    const group = uniqueName('g');
    const consumer = newConsumer(broker.bootstrap, group, { 'enable.auto.commit': false });
    const rebalanceEvents: RebalanceEvent[] = [];
    const onRebalance = (m: unknown) => {
      if ((m as RebalanceEvent).groupId === group) rebalanceEvents.push(m as RebalanceEvent);
    };
    diagnostics.subscribe('samsa:client:rebalance', onRebalance);
    try {
      const assigned: TopicPartition[][] = [];
      consumer.subscribe([topic], { onPartitionsAssigned: (p) => void assigned.push(p) });
      const records = await pollUntil(consumer, 90);
      assert.equal(records.length, 90);
      assert.equal(new Set(records.map((r) => r.value)).size, 90);
      assert.deepEqual(assigned[0]?.map((p) => p.partition).sort(), [0, 1, 2]);
      assert.equal(typeof records[0]?.offset, 'bigint');
      await consumer.commitSync();
      const offsets = await committed(broker.bootstrap, group);
      const total = [0, 1, 2].reduce((sum, p) => sum + (offsets.get(`${topic}-${p}`) ?? 0n), 0n);
      assert.equal(total, 90n);
      assert.equal(consumer.membership.generationId >= 1, true);
      await consumer.close();
      assert.deepEqual(
        rebalanceEvents.map((e) => e.event),
        ['join', 'assigned', 'revoked', 'leave'],
      );
      assert.deepEqual(rebalanceEvents[1]?.partitions?.map((p) => p.partition).sort(), [0, 1, 2]);
    } finally {
      diagnostics.unsubscribe('samsa:client:rebalance', onRebalance);
      await consumer.close();
    }
  });

  it('max.poll.records bounds each poll', async () => {
    const topic = uniqueName('maxpoll');
    await produce(broker.bootstrap, topic, 50);
    const consumer = newConsumer(broker.bootstrap, uniqueName('g'), { 'max.poll.records': 7 });
    try {
      consumer.subscribe([topic]);
      let total = 0;
      while (total < 50) {
        const batch = await consumer.poll({ timeoutMs: 2000 });
        assert.ok(batch.length <= 7, `poll returned ${batch.length}`);
        total += batch.length;
      }
    } finally {
      await consumer.close();
    }
  });

  it('a loop of polls served from buffered records still lets timers (heartbeats) run', async () => {
    const topic = uniqueName('turns');
    await produce(broker.bootstrap, topic, 2000, 0, 0);
    const consumer = newConsumer(broker.bootstrap, null, { 'max.poll.records': 1 });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      while ((await consumer.poll({ timeoutMs: 2000 })).length === 0) {}
      // The first fetch buffered far more than one record: the next polls need no I/O. A timer
      // set now must still fire within a poll or two, not once the buffer is drained.
      let fired = false;
      setTimeout(() => {
        fired = true;
      }, 0);
      // Make the timer due before polling on (setTimeout's 0 is 1 ms, and polls served from the
      // buffer can take less than that): from here, the next timers phase must run it.
      const due = performance.now() + 5;
      while (performance.now() < due) {}
      let polls = 0;
      while (!fired && polls < 1999) {
        polls += (await consumer.poll({ timeoutMs: 2000 })).length;
      }
      assert.ok(fired, 'the timer never fired while records were polled');
      assert.ok(polls <= 2, `${polls} records were polled before the timer could run`);
    } finally {
      await consumer.close();
    }
  });

  it('for await iterates records; auto-commit commits only records the loop finished', async () => {
    const topic = uniqueName('iterate');
    await produce(broker.bootstrap, topic, 10);
    const group = uniqueName('g');
    const consumer = newConsumer(broker.bootstrap, group, { 'auto.commit.interval.ms': 100 });
    const seen: string[] = [];
    try {
      consumer.subscribe(topic);
      for await (const record of consumer) {
        seen.push(record.value as string);
        if (seen.length === 5) break;
      }
    } finally {
      await consumer.close();
    }
    assert.deepEqual(seen, ['v0', 'v1', 'v2', 'v3', 'v4']);
    // The 5th record was being handled when the loop broke: records 0-3 are done, so 4 is next.
    assert.equal((await committed(broker.bootstrap, group)).get(`${topic}-0`), 4n);
  });

  it('run(eachMessage): a handler error stops the run, commits what succeeded, and redelivers the failed record', async () => {
    const topic = uniqueName('run');
    await produce(broker.bootstrap, topic, 10);
    const group = uniqueName('g');
    const first = newConsumer(broker.bootstrap, group);
    const handled: string[] = [];
    first.subscribe([topic]);
    await assert.rejects(
      first.run({
        eachMessage: async ({ message }) => {
          if (message.value === 'v6') throw new Error('simulated failure');
          handled.push(message.value as string);
        },
      }),
      /simulated failure/,
    );
    await first.close();
    assert.deepEqual(handled, ['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
    assert.equal((await committed(broker.bootstrap, group)).get(`${topic}-0`), 6n);
    // A new member of the group starts at the failed record.
    const second = newConsumer(broker.bootstrap, group);
    try {
      second.subscribe([topic]);
      const [next] = await pollUntil(second, 1);
      assert.equal(next?.value, 'v6');
    } finally {
      await second.close();
    }
  });

  it('run(eachBatch) hands over a partition batch and resolves offsets; stop() ends the run', async () => {
    const topic = uniqueName('eachbatch');
    await createTopic(broker.bootstrap, topic, 2);
    await produce(broker.bootstrap, topic, 40);
    const consumer = newConsumer(broker.bootstrap, uniqueName('g'));
    const counts = new Map<number, number>();
    try {
      consumer.subscribe([topic]);
      const running = consumer.run({
        eachBatch: async ({ partition, messages, highWatermark, isRunning }) => {
          assert.ok(isRunning());
          assert.ok(messages.every((m) => m.partition === partition));
          assert.ok(highWatermark > 0n);
          counts.set(partition, (counts.get(partition) ?? 0) + messages.length);
        },
      });
      await waitFor(() => [...counts.values()].reduce((a, b) => a + b, 0) === 40, 10000, '40 records in batches');
      await consumer.stop();
      await running;
    } finally {
      await consumer.close();
    }
  });

  it('commitAsync calls back; committed() reads offsets back', async () => {
    const topic = uniqueName('async');
    await produce(broker.bootstrap, topic, 5);
    const consumer = newConsumer(broker.bootstrap, uniqueName('g'), { 'enable.auto.commit': false });
    try {
      consumer.subscribe([topic]);
      await pollUntil(consumer, 5);
      const result = await new Promise<Error | null>((resolve) =>
        consumer.commitAsync([{ topic, partition: 0, offset: 3n, metadata: 'm' }], resolve),
      );
      assert.equal(result, null);
      const [c] = await consumer.committed([{ topic, partition: 0 }]);
      assert.equal(c?.offset, 3n);
      assert.equal(c?.metadata, 'm');
    } finally {
      await consumer.close();
    }
  });

  it('manual assign without a group: seek, seekToBeginning, seekToEnd, position', async () => {
    const topic = uniqueName('assign');
    await produce(broker.bootstrap, topic, 20);
    const consumer = newConsumer(broker.bootstrap, null, { 'enable.auto.commit': false });
    const tp = { topic, partition: 0 };
    try {
      consumer.assign([tp]);
      assert.equal(await consumer.position(tp), 0n);
      consumer.seek(tp, 15n);
      const afterSeek = await pollUntil(consumer, 5);
      assert.deepEqual(
        afterSeek.map((r) => r.value),
        ['v15', 'v16', 'v17', 'v18', 'v19'],
      );
      consumer.seekToBeginning([tp]);
      assert.equal((await pollUntil(consumer, 1))[0]?.value, 'v0');
      consumer.seekToEnd([tp]);
      assert.equal(await consumer.position(tp), 20n);
      assert.deepEqual(await consumer.poll({ timeoutMs: 300 }), []);
      await produce(broker.bootstrap, topic, 1, 20);
      assert.equal((await pollUntil(consumer, 1))[0]?.value, 'v20');
      await assert.rejects(
        consumer.commitSync(),
        (e: unknown) => e instanceof ClientError && /needs a group.id/.test(e.message),
      );
      assert.throws(() => consumer.seek({ topic, partition: 5 }, 0n), /not assigned/);
    } finally {
      await consumer.close();
    }
  });

  it('offsetsForTimes, beginningOffsets and endOffsets', async () => {
    const topic = uniqueName('times');
    const producer = newProducer(broker.bootstrap);
    try {
      for (let i = 0; i < 5; i++) await producer.send({ topic, value: `${i}`, timestamp: 1_000_000 + i * 1000 });
    } finally {
      await producer.close();
    }
    const consumer = newConsumer(broker.bootstrap, null);
    try {
      const [at] = await consumer.offsetsForTimes([{ topic, partition: 0, timestamp: 1_002_500 }]);
      assert.equal(at?.offset, 3n);
      assert.equal(at?.timestamp, 1_003_000);
      const [none] = await consumer.offsetsForTimes([{ topic, partition: 0, timestamp: 9_000_000_000_000 }]);
      assert.equal(none?.offset, -1n);
      assert.equal((await consumer.beginningOffsets([{ topic, partition: 0 }]))[0]?.offset, 0n);
      assert.equal((await consumer.endOffsets([{ topic, partition: 0 }]))[0]?.offset, 5n);
    } finally {
      await consumer.close();
    }
  });

  it('pause and resume stop and restart fetching of a partition', async () => {
    const topic = uniqueName('pause');
    await createTopic(broker.bootstrap, topic, 2);
    await produce(broker.bootstrap, topic, 5, 0, 0);
    await produce(broker.bootstrap, topic, 5, 100, 1);
    const consumer = newConsumer(broker.bootstrap, null);
    try {
      consumer.assign([
        { topic, partition: 0 },
        { topic, partition: 1 },
      ]);
      consumer.pause([{ topic, partition: 1 }]);
      assert.deepEqual(consumer.paused(), [{ topic, partition: 1 }]);
      const first = await pollUntil(consumer, 5);
      assert.ok(first.every((r) => r.partition === 0));
      assert.deepEqual(await consumer.poll({ timeoutMs: 300 }), []);
      consumer.resume([{ topic, partition: 1 }]);
      const second = await pollUntil(consumer, 5);
      assert.ok(second.every((r) => r.partition === 1));
    } finally {
      await consumer.close();
    }
  });

  it('auto.offset.reset latest and none', async () => {
    const topic = uniqueName('reset');
    await produce(broker.bootstrap, topic, 3);
    const latest = newConsumer(broker.bootstrap, uniqueName('g'), { 'auto.offset.reset': 'latest' });
    const none = newConsumer(broker.bootstrap, uniqueName('g'), { 'auto.offset.reset': 'none' });
    try {
      latest.subscribe([topic]);
      await waitFor(
        async () => (await latest.poll({ timeoutMs: 100 })).length === 0 && latest.assignment().length === 1,
        10000,
        'assignment',
      );
      assert.equal(await latest.position({ topic, partition: 0 }), 3n);
      await produce(broker.bootstrap, topic, 1, 3);
      assert.equal((await pollUntil(latest, 1))[0]?.value, 'v3');
      none.subscribe([topic]);
      await assert.rejects(
        pollUntil(none, 1),
        (e: unknown) => e instanceof ClientError && e.code === 'SAMSA_ERR_NO_OFFSET_FOR_PARTITION',
      );
    } finally {
      await Promise.all([latest.close(), none.close()]);
    }
  });

  it('fetch long-polling: a waiting poll returns as soon as a record arrives', async () => {
    const topic = uniqueName('longpoll');
    await produce(broker.bootstrap, topic, 1);
    const consumer = newConsumer(broker.bootstrap, null, { 'fetch.max.wait.ms': 5000, 'fetch.min.bytes': 1 });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      await pollUntil(consumer, 1);
      const started = Date.now();
      const waiting = consumer.poll({ timeoutMs: 8000 });
      await new Promise((r) => setTimeout(r, 300));
      await produce(broker.bootstrap, topic, 1, 1);
      const records = await waiting;
      assert.equal(records[0]?.value, 'v1');
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    } finally {
      await consumer.close();
    }
  });

  it('reads batches of every codec and read_committed sees committed (non-transactional) records', async () => {
    const topic = uniqueName('codecs');
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      const producer = newProducer(broker.bootstrap, { 'compression.type': codec });
      try {
        await producer.sendBatch(Array.from({ length: 10 }, (_, i) => ({ topic, value: `${codec}-${i}` })));
      } finally {
        await producer.close();
      }
    }
    const consumer = newConsumer(broker.bootstrap, null, { 'isolation.level': 'read_committed' });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      const records = await pollUntil(consumer, 50);
      assert.deepEqual(
        records.map((r) => r.value),
        ['none', 'gzip', 'snappy', 'lz4', 'zstd'].flatMap((c) => Array.from({ length: 10 }, (_, i) => `${c}-${i}`)),
      );
    } finally {
      await consumer.close();
    }
  });

  it('detects log truncation (KIP-320): a committed offset beyond the end of its leader epoch', async () => {
    const topic = uniqueName('truncation');
    await produce(broker.bootstrap, topic, 5);
    const group = uniqueName('g');
    // A commit as a consumer would have made before the log lost its tail: offset 50 in epoch 0.
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await admin.alterConsumerGroupOffsets(group, [{ topic, partition: 0, offset: 50n, leaderEpoch: 0 }]);
    } finally {
      await admin.close();
    }
    const strict = newConsumer(broker.bootstrap, group, { 'auto.offset.reset': 'none', 'enable.auto.commit': false });
    try {
      strict.subscribe([topic]);
      await assert.rejects(
        pollUntil(strict, 1),
        (e: unknown) =>
          e instanceof ClientError && e.code === 'SAMSA_ERR_LOG_TRUNCATION' && /end offset 5/.test(e.message),
      );
    } finally {
      await strict.close();
    }
    const lenient = newConsumer(broker.bootstrap, group, { 'enable.auto.commit': false });
    try {
      lenient.subscribe([topic]);
      await waitFor(
        async () => (await lenient.poll({ timeoutMs: 100 })).length === 0 && lenient.truncations === 1,
        10000,
        'truncation detected',
      );
      assert.equal(await lenient.position({ topic, partition: 0 }), 5n);
      await produce(broker.bootstrap, topic, 1, 5);
      const [record] = await pollUntil(lenient, 1);
      // Reset to the end of the diverging epoch: the first record written after the truncation point.
      assert.equal(record?.offset, 5n);
      assert.equal(lenient.truncations, 1);
    } finally {
      await lenient.close();
    }
  });

  it('subscribes by pattern and picks up matching topics created later', async () => {
    const prefix = uniqueName('pattern');
    await produce(broker.bootstrap, `${prefix}-a`, 1);
    const consumer = newConsumer(broker.bootstrap, uniqueName('g'), { 'metadata.max.age.ms': 500 });
    try {
      consumer.subscribe(new RegExp(`^${prefix}-`));
      assert.equal((await pollUntil(consumer, 1))[0]?.topic, `${prefix}-a`);
      await produce(broker.bootstrap, `${prefix}-b`, 1);
      const [b] = await pollUntil(consumer, 1, 20000);
      assert.equal(b?.topic, `${prefix}-b`);
    } finally {
      await consumer.close();
    }
  });
});
