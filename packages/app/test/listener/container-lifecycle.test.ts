/**
 * A listener container's lifecycle against a real broker: pause/resume (whole container and
 * single partitions), idle events, rebalance listeners, explicit partitions and patterns,
 * stop/start, immediateStop, and the application's container groups and autoStartup.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsumerRecord, Producer, TopicPartition } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  type ContainerSettings,
  KafkaApplication,
  KafkaMessageListenerContainer,
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

type Settings = Partial<Omit<ContainerSettings<string, string>, 'id'>>;
type Seen = ConsumerRecord<string, string>[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('listener container lifecycle', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;
  const running: { stop(): Promise<void> }[] = [];

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
  });
  after(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await producer?.close();
    await broker?.stop();
  });

  async function send(topic: string, count: number, partition = 0): Promise<void> {
    await producer.sendBatch(Array.from({ length: count }, (_, i) => ({ topic, partition, value: `v${i}` })));
  }

  /** A container whose listener records what it sees (not started). */
  function container(settings: Settings, seen: Seen = [], onRecord?: (r: ConsumerRecord<string, string>) => unknown) {
    const c = new KafkaMessageListenerContainer<string, string>({
      id: uniqueName('g'),
      consumerConfig: consumerConfig(broker.bootstrap),
      valueDeserializer: (b) => b.toString('utf8'),
      pollTimeoutMs: 100,
      logger: silentLogger,
      ...settings,
      listener: async (record) => {
        seen.push(record);
        await onRecord?.(record);
      },
    });
    running.push(c);
    return { c, seen };
  }

  /** Asserts that `count()` stays the same for `windowMs` (a bounded observation, not a speed check). */
  async function staysAt(count: () => number, what: string, windowMs = 800): Promise<void> {
    const before = count();
    const end = Date.now() + windowMs;
    while (Date.now() < end) {
      assert.equal(count(), before, `${what} changed`);
      await sleep(25);
    }
  }

  const onPartition = (seen: Seen, p: number) => () => seen.filter((r) => r.partition === p).length;

  it('pause() stops delivery until resume(), also when requested before start()', async () => {
    const topic = uniqueName('pause');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    await send(topic, 2);
    const { c, seen } = container({ topics: [topic] });
    c.pause();
    assert.equal(c.isPauseRequested, true);
    await c.start();
    await waitFor(() => c.assignment().length === 1, 'assignment');
    await staysAt(() => seen.length, 'deliveries while paused from the start');
    c.resume();
    await waitFor(() => seen.length === 2, 'records after resume');
    c.pause();
    await send(topic, 3);
    await staysAt(() => seen.length, 'deliveries while paused');
    c.resume();
    await waitFor(() => seen.length === 5, 'records produced while paused, after resume');
  });

  it('pausePartition() holds only that partition, across a rebalance, until resumePartition()', async () => {
    const topic = uniqueName('ppause');
    await createTopics(broker.bootstrap, { [topic]: 2 });
    const group = uniqueName('g');
    const { c, seen } = container({ topics: [topic], groupId: group });
    const p0 = { topic, partition: 0 };
    await c.start();
    await waitFor(() => c.assignment().length === 2, 'both partitions assigned');
    c.pausePartition(p0);
    await send(topic, 2, 0);
    await send(topic, 2, 1);
    await waitFor(() => onPartition(seen, 1)() === 2, 'partition 1 delivered');
    await staysAt(onPartition(seen, 0), 'partition 0 deliveries');
    // A second member (paused, so it consumes nothing) joins and leaves: the partitions move and
    // come back, and partition 0 must still be held.
    const other = container({ topics: [topic], groupId: group });
    other.c.pause();
    await other.c.start();
    await waitFor(() => c.assignment().length === 1 && other.c.assignment().length === 1, 'partitions shared');
    await other.c.stop();
    await waitFor(() => c.assignment().length === 2, 'both partitions back');
    await send(topic, 1, 1);
    await waitFor(() => onPartition(seen, 1)() === 3, 'partition 1 delivered after the rebalance');
    await staysAt(onPartition(seen, 0), 'partition 0 deliveries after the rebalance', 300);
    assert.equal(onPartition(seen, 0)(), 0, 'partition 0 held across the rebalance');
    c.resumePartition(p0);
    await waitFor(() => onPartition(seen, 0)() === 2, 'partition 0 after resume');
    assert.equal(other.seen.length, 0);
  });

  it('emits idle events every idleEventIntervalMs without traffic, counted from the last record', async () => {
    const interval = 300;
    const topic = uniqueName('idle');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    const { c, seen } = container({ topics: [topic], idleEventIntervalMs: interval });
    const events: { at: number; idleTimeMs: number }[] = [];
    c.on('idle', (e: { idleTimeMs: number }) => events.push({ at: Date.now(), idleTimeMs: e.idleTimeMs }));
    await sleep(interval); // idle time counts from start(), not from construction
    const startedAt = Date.now();
    await c.start();
    await waitFor(() => events.length >= 2, 'two idle events');
    const [first, second] = events as [(typeof events)[0], (typeof events)[0]];
    assert.ok(
      first.idleTimeMs >= interval && first.at - startedAt >= interval * 0.8,
      'first idle event after the interval',
    );
    assert.ok(second.at - first.at >= interval * 0.8, `idle events ${second.at - first.at} ms apart`);
    await send(topic, 1);
    await waitFor(() => seen.length === 1, 'a record');
    const recordAt = Date.now();
    const count = events.length;
    await waitFor(() => events.slice(count).some((e) => e.at > recordAt), 'an idle event after the record');
    const next = events.slice(count).find((e) => e.at > recordAt) as (typeof events)[0];
    assert.ok(next.at - recordAt >= interval * 0.8, 'no idle event right after traffic');
    assert.ok(next.idleTimeMs < next.at - startedAt - interval, 'idle time counted from the last record');
  });

  it('passes assignments and revocations to the rebalanceListener', async () => {
    const topic = uniqueName('rebalance');
    await createTopics(broker.bootstrap, { [topic]: 3 });
    const assigned: TopicPartition[] = [];
    const revoked: TopicPartition[] = [];
    const { c } = container({
      topics: [topic],
      rebalanceListener: {
        onPartitionsAssigned: (tps) => void assigned.push(...tps),
        onPartitionsRevoked: (tps) => void revoked.push(...tps),
      },
    });
    await c.start();
    await waitFor(() => assigned.length === 3, 'three partitions assigned');
    assert.deepEqual(assigned.map((tp) => tp.partition).sort(), [0, 1, 2]);
    assert.deepEqual(
      c
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
      [0, 1, 2],
    );
    await c.stop();
    assert.deepEqual(
      revoked.map((tp) => `${tp.topic}-${tp.partition}`).sort(),
      [0, 1, 2].map((p) => `${topic}-${p}`),
    );
  });

  it('starts explicit topicPartitions at initialOffset (5, and -2 relative to the end) and commits', async () => {
    const topic = uniqueName('explicit');
    const group = uniqueName('g');
    await createTopics(broker.bootstrap, { [topic]: 3 });
    for (const p of [0, 1, 2]) await send(topic, 10, p);
    const { c, seen } = container({
      // The group is named by the consumer config only: assigned partitions commit to it too.
      consumerConfig: consumerConfig(broker.bootstrap, { 'group.id': group }),
      topicPartitions: [
        { topic, partition: 0, initialOffset: 5 },
        { topic, partition: 1, initialOffset: -2 },
        { topic, partition: 2 },
      ],
    });
    await c.start();
    await waitFor(() => seen.length >= 17, '17 records');
    await staysAt(() => seen.length, 'deliveries', 300);
    const offsets = (p: number) => seen.filter((r) => r.partition === p).map((r) => Number(r.offset));
    assert.deepEqual(offsets(0), [5, 6, 7, 8, 9]);
    assert.deepEqual(offsets(1), [8, 9]);
    assert.deepEqual(offsets(2), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(c.groupId, group);
    const committed = await committedOffsets(broker.bootstrap, group);
    assert.deepEqual(
      [0, 1, 2].map((p) => committed.get(`${topic}-${p}`)),
      [10n, 10n, 10n],
    );
  });

  it('topicPattern consumes matching topics, also ones created later, and no others', async () => {
    const prefix = uniqueName('pattern');
    await createTopics(broker.bootstrap, { [`${prefix}-a`]: 1, [`${prefix}-b`]: 1, [`x-${prefix}`]: 1 });
    for (const t of [`${prefix}-a`, `${prefix}-b`, `x-${prefix}`]) await send(t, 1);
    const { c, seen } = container({
      topicPattern: new RegExp(`^${prefix}-`),
      consumerConfig: consumerConfig(broker.bootstrap, { 'metadata.max.age.ms': 300 }),
    });
    await c.start();
    const topics = () => seen.map((r) => r.topic).sort();
    await waitFor(() => seen.length === 2, 'the two matching topics');
    await createTopics(broker.bootstrap, { [`${prefix}-c`]: 1 });
    await send(`${prefix}-c`, 1);
    await waitFor(() => seen.length === 3, 'the topic created later', 15_000);
    assert.deepEqual(topics(), [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  });

  it('stop() then start() resumes from the committed offset: nothing lost, nothing twice', async () => {
    const topic = uniqueName('restart');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    await send(topic, 30);
    const { c, seen } = container(
      { topics: [topic], consumerConfig: consumerConfig(broker.bootstrap, { 'max.poll.records': 5 }) },
      [],
      () => sleep(10),
    );
    await c.start();
    await waitFor(() => seen.length >= 8, 'some records');
    await c.stop();
    const handled = seen.length;
    assert.ok(handled < 30, 'stopped midway');
    const committed = (await committedOffsets(broker.bootstrap, c.groupId as string)).get(`${topic}-0`);
    assert.equal(committed, BigInt(handled), 'stop commits what was handled');
    await staysAt(() => seen.length, 'deliveries while stopped', 300);
    await c.start();
    await waitFor(() => seen.length >= 30, 'the rest after restart');
    await staysAt(() => seen.length, 'deliveries', 300);
    assert.deepEqual(
      seen.map((r) => Number(r.offset)),
      Array.from({ length: 30 }, (_, i) => i),
    );
  });

  it('immediateStop: stop() ends after the current record; the rest is neither handled nor committed', async () => {
    const topic = uniqueName('immediate');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    await send(topic, 10);
    let stopped: Promise<void> | undefined;
    const { c, seen } = container({ topics: [topic], immediateStop: true }, [], (r) => {
      if (r.offset === 2n) stopped = c.stop();
    });
    await c.start();
    await waitFor(() => stopped !== undefined, 'record 2');
    await stopped;
    assert.deepEqual(
      seen.map((r) => Number(r.offset)),
      [0, 1, 2],
    );
    assert.equal((await committedOffsets(broker.bootstrap, c.groupId as string)).get(`${topic}-0`), 3n);
  });

  it('application: autoStartup false stays stopped; a containerGroup starts and stops only its own', async () => {
    const [tA, tB, tC] = [uniqueName('ga'), uniqueName('gb'), uniqueName('gc')];
    await createTopics(broker.bootstrap, { [tA]: 1, [tB]: 1, [tC]: 1 });
    for (const t of [tA, tB, tC]) await send(t, 1);
    const { 'bootstrap.servers': bootstrap, ...consumer } = consumerConfig(broker.bootstrap);
    const app = new KafkaApplication({
      common: { 'bootstrap.servers': bootstrap },
      consumer,
      listener: { pollTimeoutMs: 100 },
      logger: silentLogger,
      shutdownSignals: false,
    });
    running.push(app);
    const seen = new Map<string, number>();
    const listen = (id: string, topic: string, extra: { containerGroup?: string; autoStartup?: boolean }) =>
      app.listen({ id: uniqueName(id), topics: topic, ...extra }, () => void seen.set(id, (seen.get(id) ?? 0) + 1));
    const a1 = listen('a1', tA, { containerGroup: 'ga', autoStartup: false });
    const a2 = listen('a2', tA, { containerGroup: 'ga', autoStartup: false });
    const b = listen('b', tB, { containerGroup: 'gb', autoStartup: false });
    const always = listen('always', tC, {});
    await app.start();
    await waitFor(() => seen.get('always') === 1, 'the auto-startup listener');
    assert.deepEqual([a1.isRunning, a2.isRunning, b.isRunning, always.isRunning], [false, false, false, true]);
    await staysAt(() => seen.size, 'listeners that have seen records', 300);
    await app.containerGroup('ga').start();
    await waitFor(() => seen.get('a1') === 1 && seen.get('a2') === 1, 'group ga');
    assert.deepEqual([a1.isRunning, a2.isRunning, b.isRunning], [true, true, false]);
    await app.containerGroup('ga').stop();
    assert.deepEqual([a1.isRunning, a2.isRunning, b.isRunning, always.isRunning], [false, false, false, true]);
    assert.equal(seen.get('b'), undefined, 'group gb never started');
    await app.stop();
    assert.equal(always.isRunning, false);
    // stop() is final (it closed the producers): starting again would leave containers that
    // stop() no longer stops.
    await assert.rejects(app.start(), /stopped and cannot start again/);
    assert.equal(always.isRunning, false);
  });
});
