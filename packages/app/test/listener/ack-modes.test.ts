/**
 * Ack modes against a real broker, observed through the group's committed offsets
 * (Admin.listConsumerGroupOffsets), often from inside the listener, between records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsumerRecord, Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  AckMode,
  type ContainerSettings,
  KafkaMessageListenerContainer,
  type ListenerContext,
  silentLogger,
} from '../../src/index.js';
import {
  committedOffsets,
  consumerConfig,
  createTopics,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

type Settings = Partial<Omit<ContainerSettings<string, string>, 'id' | 'topics'>>;
type Listener = (record: ConsumerRecord<string, string>, ctx: ListenerContext) => unknown;

describe('ack modes of a listener container', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;
  const running: KafkaMessageListenerContainer<string, string>[] = [];

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
  });
  after(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await producer?.close();
    await broker?.stop();
  });

  /** A fresh one-partition topic and group; `values` sent as one batch before the container starts. */
  async function setUp(count: number): Promise<{ topic: string; group: string }> {
    const topic = uniqueName('acks');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    await send(topic, count);
    return { topic, group: uniqueName('g') };
  }

  let sent = 0;
  async function send(topic: string, count: number): Promise<void> {
    const values = Array.from({ length: count }, () => `v${sent++}`);
    if (count > 0) await producer.sendBatch(values.map((value) => ({ topic, partition: 0, value })));
  }

  /** The group's committed offset of partition 0, undefined when none. */
  async function committed(group: string, topic: string): Promise<bigint | undefined> {
    const offset = (await committedOffsets(broker.bootstrap, group)).get(`${topic}-0`);
    return offset === undefined || offset < 0n ? undefined : offset;
  }

  async function start(
    topic: string,
    group: string,
    settings: Settings,
    listener: Listener,
  ): Promise<KafkaMessageListenerContainer<string, string>> {
    const container = new KafkaMessageListenerContainer<string, string>({
      id: group,
      topics: [topic],
      consumerConfig: consumerConfig(broker.bootstrap),
      valueDeserializer: (b) => b.toString('utf8'),
      pollTimeoutMs: 100,
      logger: silentLogger,
      ...settings,
      listener,
    });
    running.push(container);
    await container.start();
    return container;
  }

  /** Asserts that the committed offset stays `expected` for `windowMs` (a bounded observation). */
  async function staysCommitted(group: string, topic: string, expected: bigint | undefined, windowMs = 600) {
    const end = Date.now() + windowMs;
    while (Date.now() < end) {
      assert.equal(await committed(group, topic), expected, 'committed offset changed too early');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('RECORD commits after each record: at record n the group has committed n', async () => {
    const { topic, group } = await setUp(5);
    const seen: (bigint | undefined)[] = [];
    const c = await start(topic, group, { ackMode: AckMode.RECORD }, async () => {
      seen.push(await committed(group, topic));
    });
    await waitFor(() => seen.length === 5, 'five records handled');
    await waitFor(async () => (await committed(group, topic)) === 5n, 'offset 5 committed');
    assert.deepEqual(seen, [undefined, 1n, 2n, 3n, 4n]);
    // The broker may show a commit before the container saw its response: wait for the count.
    await waitFor(() => c.metrics().commits === 5, 'five commits counted');
  });

  it('BATCH commits once, at the end of the poll', async () => {
    const { topic, group } = await setUp(5);
    const seen: (bigint | undefined)[] = [];
    const c = await start(topic, group, { ackMode: AckMode.BATCH }, async () => {
      seen.push(await committed(group, topic));
    });
    await waitFor(async () => (await committed(group, topic)) === 5n, 'offset 5 committed');
    assert.deepEqual(seen, [undefined, undefined, undefined, undefined, undefined], 'nothing committed mid-poll');
    await waitFor(() => c.metrics().commits === 1, 'one commit counted');
  });

  it('COUNT commits once ackCount records were handled since the last commit', async () => {
    const { topic, group } = await setUp(2);
    let handled = 0;
    const c = await start(topic, group, { ackMode: AckMode.COUNT, ackCount: 3 }, () => {
      handled++;
    });
    await waitFor(() => handled === 2, 'two records handled');
    await staysCommitted(group, topic, undefined);
    await send(topic, 1);
    await waitFor(async () => (await committed(group, topic)) === 3n, 'offset 3 committed after the third record');
    await send(topic, 2);
    await waitFor(() => handled === 5, 'five records handled');
    await staysCommitted(group, topic, 3n);
    await c.stop();
    assert.equal(await committed(group, topic), 5n, 'stop commits what is left');
  });

  it('TIME commits after a poll once ackTimeMs passed since the last commit', async () => {
    const ackTimeMs = 1000;
    const { topic, group } = await setUp(1);
    const handledAt: number[] = [];
    await start(topic, group, { ackMode: AckMode.TIME, ackTimeMs }, () => {
      handledAt.push(Date.now());
    });
    await waitFor(async () => (await committed(group, topic)) === 1n, 'first record committed');
    const firstCommitSeen = Date.now();
    await send(topic, 1);
    await waitFor(() => handledAt.length === 2, 'second record handled');
    await waitFor(async () => (await committed(group, topic)) === 2n, 'second record committed');
    const secondCommitSeen = Date.now();
    assert.ok(
      secondCommitSeen - firstCommitSeen >= ackTimeMs * 0.8,
      `commits ${secondCommitSeen - firstCommitSeen} ms apart, ackTimeMs is ${ackTimeMs}`,
    );
    assert.ok(
      secondCommitSeen - (handledAt[1] as number) >= ackTimeMs * 0.5,
      'the handled record waited for the timer',
    );
  });

  it('MANUAL commits acknowledged records after the poll, and never the unacknowledged ones', async () => {
    const { topic, group } = await setUp(5);
    const seen: (bigint | undefined)[] = [];
    const c = await start(topic, group, { ackMode: AckMode.MANUAL }, async (record, ctx) => {
      seen.push(await committed(group, topic));
      if (record.offset < 3n) ctx.acknowledgment?.acknowledge();
    });
    await waitFor(async () => (await committed(group, topic)) === 3n, 'acknowledged records committed');
    assert.deepEqual(seen, [undefined, undefined, undefined, undefined, undefined], 'nothing committed mid-poll');
    await staysCommitted(group, topic, 3n);
    await c.stop();
    assert.equal(await committed(group, topic), 3n, 'unacknowledged records are not committed on stop either');
  });

  it('MANUAL_IMMEDIATE commits when acknowledge() is called, before the next record', async () => {
    const { topic, group } = await setUp(4);
    const seen: (bigint | undefined)[] = [];
    let stopped: Promise<void> | undefined;
    const c = await start(topic, group, { ackMode: AckMode.MANUAL_IMMEDIATE }, async (record, ctx) => {
      if (record.offset > 0n) {
        // The previous record's commit is under way: it lands well before this poll ends.
        await waitFor(async () => (await committed(group, topic)) === record.offset, 'the previous ack', 2000).catch(
          () => {},
        );
      }
      seen.push(await committed(group, topic));
      ctx.acknowledgment?.acknowledge();
      if (record.offset === 3n) stopped = c.stop();
    });
    await waitFor(() => stopped !== undefined, 'the last record handled');
    await stopped;
    assert.deepEqual(seen, [undefined, 1n, 2n, 3n]);
    assert.equal(await committed(group, topic), 4n, 'the last acknowledgement survives an immediate stop');
  });

  it('nack(sleepMs) redelivers the record after the sleep; the records before it stay committed', async () => {
    const sleepMs = 800;
    const { topic, group } = await setUp(5);
    const deliveries: bigint[] = [];
    let nackedAt = 0;
    let redeliveredAt = 0;
    let committedAtRedelivery: bigint | undefined;
    await start(topic, group, { ackMode: AckMode.MANUAL }, async (record, ctx) => {
      deliveries.push(record.offset);
      if (record.offset === 2n && nackedAt === 0) {
        nackedAt = Date.now();
        ctx.acknowledgment?.nack(sleepMs);
        return;
      }
      if (record.offset === 2n) {
        redeliveredAt = Date.now();
        committedAtRedelivery = await committed(group, topic);
      }
      ctx.acknowledgment?.acknowledge();
    });
    await waitFor(async () => (await committed(group, topic)) === 5n, 'everything committed in the end');
    assert.deepEqual(deliveries, [0n, 1n, 2n, 2n, 3n, 4n]);
    assert.ok(redeliveredAt - nackedAt >= sleepMs * 0.8, `redelivered after ${redeliveredAt - nackedAt} ms`);
    assert.equal(committedAtRedelivery, 2n, 'records before the nacked one were committed');
  });

  it('batch nack(index, sleepMs) commits the records before index and redelivers from it', async () => {
    const sleepMs = 600;
    const { topic, group } = await setUp(5);
    const batches: bigint[][] = [];
    const times: number[] = [];
    const committedAtCall: (bigint | undefined)[] = [];
    const container = new KafkaMessageListenerContainer<string, string>({
      id: group,
      topics: [topic],
      batch: true,
      ackMode: AckMode.MANUAL,
      consumerConfig: consumerConfig(broker.bootstrap),
      pollTimeoutMs: 100,
      logger: silentLogger,
      listener: async (records, ctx) => {
        batches.push(records.map((r) => r.offset));
        times.push(Date.now());
        committedAtCall.push(await committed(group, topic));
        if (batches.length === 1) ctx.acknowledgment?.nack(2, sleepMs);
        else ctx.acknowledgment?.acknowledge();
      },
    });
    running.push(container);
    await container.start();
    await waitFor(async () => (await committed(group, topic)) === 5n, 'everything committed in the end');
    assert.deepEqual(batches, [
      [0n, 1n, 2n, 3n, 4n],
      [2n, 3n, 4n],
    ]);
    assert.deepEqual(committedAtCall, [undefined, 2n]);
    const waited = (times[1] as number) - (times[0] as number);
    assert.ok(waited >= sleepMs * 0.8, `redelivered after ${waited} ms`);
  });

  it('with enable.auto.commit=true the consumer commits and the container commits nothing', async () => {
    const { topic, group } = await setUp(5);
    let handled = 0;
    const c = await start(
      topic,
      group,
      {
        ackMode: AckMode.RECORD,
        consumerConfig: consumerConfig(broker.bootstrap, {
          'enable.auto.commit': true,
          'auto.commit.interval.ms': 100,
        }),
      },
      () => {
        handled++;
      },
    );
    await waitFor(() => handled === 5, 'five records handled');
    await waitFor(async () => (await committed(group, topic)) === 5n, 'auto-commit of offset 5');
    assert.equal(c.metrics().commits, 0, 'the container committed nothing itself');
  });
});
