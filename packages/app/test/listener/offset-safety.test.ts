/**
 * No record committed without being handled, none handled or dead-lettered twice, and commits
 * in order, against a real broker: seeks that move back, recovered records remembered across
 * batch retries, seeks back before a stop, retriable poll errors, MANUAL_IMMEDIATE commits,
 * late acknowledgements after a revocation, failed replies.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  AckMode,
  type Acknowledgment,
  BatchListenerFailedException,
  CommonContainerStoppingErrorHandler,
  type ContainerOptions,
  DeadLetterPublishingRecoverer,
  DefaultErrorHandler,
  FixedBackOff,
  KafkaHeaders,
  KafkaMessageListenerContainer,
  type ListenerEvent,
  type ReplyPublisher,
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

/** A container's options but its id, topics and connection; `consumerConfig` adds settings. */
type Options = (ContainerOptions<string, string> extends infer O
  ? O extends unknown
    ? Omit<O, 'id' | 'topics' | 'consumerConfig'>
    : never
  : never) & { readonly consumerConfig?: Record<string, unknown> };

/** A value deserializer that refuses `POISON`. */
const poisonous = (b: Buffer) => {
  if (b.toString('utf8') === 'POISON') throw new Error('not a value');
  return b.toString('utf8');
};

describe('offset safety of a listener container', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;
  let dltProducer: Producer<Buffer, Buffer>;
  const running: KafkaMessageListenerContainer<string, string>[] = [];
  const events: ListenerEvent[] = [];
  const onEvent = (e: unknown) => events.push(e as ListenerEvent);

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
    dltProducer = bufferProducer(broker.bootstrap);
    diagnostics.subscribe('samsa:app:listener', onEvent);
  });
  after(async () => {
    diagnostics.unsubscribe('samsa:app:listener', onEvent);
    await Promise.all(running.map((c) => c.stop()));
    await producer?.close();
    await dltProducer?.close();
    await broker?.stop();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  /** A fresh topic (and its `-dlt`) holding `values` in partition 0, and a fresh group. */
  async function setUp(values: string[], partitions = 1): Promise<{ topic: string; group: string }> {
    const topic = uniqueName('safe');
    await createTopics(broker.bootstrap, { [topic]: partitions, [`${topic}-dlt`]: partitions });
    for (const value of values) await producer.send({ topic, partition: 0, value });
    return { topic, group: uniqueName('g') };
  }

  async function start(
    topic: string,
    group: string,
    options: Options,
  ): Promise<KafkaMessageListenerContainer<string, string>> {
    const container = new KafkaMessageListenerContainer<string, string>({
      id: group,
      topics: [topic],
      valueDeserializer: poisonous,
      pollTimeoutMs: 100,
      logger: silentLogger,
      ...options,
      consumerConfig: consumerConfig(broker.bootstrap, options.consumerConfig),
    } as ContainerOptions<string, string>);
    running.push(container);
    await container.start();
    return container;
  }

  async function committed(group: string, topic: string, partition = 0): Promise<bigint | undefined> {
    return (await committedOffsets(broker.bootstrap, group)).get(`${topic}-${partition}`);
  }

  it('delivers a record again when its batch fails after a later poison record could not be recovered', async () => {
    const { topic, group } = await setUp(['g0', 'POISON', 'g2']);
    const deadLetters: string[] = [];
    const handled: string[] = [];
    let recoveries = 0;
    let calls = 0;
    await start(topic, group, {
      batch: true,
      errorHandler: new DefaultErrorHandler({
        backOff: new FixedBackOff(0, 5),
        logger: silentLogger,
        recoverer: (failed) => {
          if (++recoveries === 1) throw new Error('dead-letter topic unavailable');
          deadLetters.push(String(failed.raw.value));
        },
      }),
      listener: (records) => {
        if (++calls === 1) throw new Error('the batch before the poison record fails');
        handled.push(...records.map((r) => r.value as string));
      },
    });
    await waitFor(async () => (await committed(group, topic)) === 3n, 'offset 3 committed');
    assert.deepEqual(handled, ['g0', 'g2'], 'g0 delivered again after its batch failed, not committed unhandled');
    assert.deepEqual(deadLetters, ['POISON']);
  });

  for (const failure of ['the whole batch', 'a BatchListenerFailedException']) {
    it(`dead-letters a poison record once when ${failure} is retried`, async () => {
      const { topic, group } = await setUp(['g0', 'POISON', 'g2']);
      const recoverer = new DeadLetterPublishingRecoverer(dltProducer);
      const handled: string[] = [];
      let calls = 0;
      await start(topic, group, {
        batch: true,
        errorHandler: new DefaultErrorHandler({
          recoverer: recoverer.recover,
          backOff: new FixedBackOff(0, 5),
          logger: silentLogger,
        }),
        listener: (records) => {
          if (++calls === 1) {
            if (failure === 'the whole batch') throw new Error('the batch fails once');
            throw new BatchListenerFailedException('g0 fails once', 0);
          }
          handled.push(...records.map((r) => r.value as string));
        },
      });
      await waitFor(async () => (await committed(group, topic)) === 3n, 'offset 3 committed');
      assert.deepEqual(handled, ['g0', 'g2']);
      assert.equal(recoverer.published, 1, 'the poison record is dead-lettered once');
      const [dead] = await readAll(broker.bootstrap, `${topic}-dlt`, 1, 1);
      assert.equal(dead?.value?.toString(), 'POISON');
      const poisonEvents = events.filter((e) => e.listenerId === group && e.offset === 1n).map((e) => e.event);
      assert.deepEqual(poisonEvents, ['failure', 'recovered'], 'deserialization failures publish events');
    });
  }

  for (const batch of [false, true]) {
    it(`seeks back to the unhandled records before an auto-committing consumer closes on a stopping error (${batch ? 'batch' : 'record'})`, async () => {
      const { topic, group } = await setUp(['v0', 'v1', 'v2', 'v3', 'v4']);
      const seen: string[] = [];
      const listener = (value: string) => {
        seen.push(value);
        if (batch || value === 'v2') throw new Error(`${value} fails`);
      };
      const c = await start(topic, group, {
        consumerConfig: { 'enable.auto.commit': true, 'auto.commit.interval.ms': 60_000 },
        errorHandler: new CommonContainerStoppingErrorHandler(),
        ...(batch
          ? {
              batch: true as const,
              listener: (records: { value: string | null }[]) => {
                for (const r of records) listener(`${r.value}`);
              },
            }
          : { listener: (record: { value: string | null }) => listener(`${record.value}`) }),
      });
      const [failure] = (await once(c, 'stopped')) as [Error | undefined];
      assert.equal(failure?.name, 'ContainerStoppedException');
      assert.equal(await committed(group, topic), batch ? 0n : 2n, 'the consumer committed no unhandled record');
    });
  }

  it('keeps polling through a retriable poll error (no broker reachable) and stops on a fatal one', async () => {
    const { topic, group } = await setUp(['v0', 'v1']);
    const seen: string[] = [];
    const c = await start(topic, group, {
      consumerConfig: { 'request.timeout.ms': 500, 'default.api.timeout.ms': 1000 },
      listener: (record, ctx) => {
        seen.push(record.value as string);
        if (seen.length === 1) {
          // The next poll looks the beginning up while the broker answers nothing: it throws.
          broker.pause();
          setTimeout(() => broker.resume(), 2500);
          ctx.consumer.seekToBeginning();
        }
      },
    });
    try {
      await waitFor(() => seen.length >= 3, 'v0 delivered again and v1 after the broker came back');
    } finally {
      broker.resume();
    }
    assert.deepEqual(seen.slice(0, 3), ['v0', 'v0', 'v1']);
    assert.ok(c.isRunning, 'still running');
    assert.equal(c.failure, undefined);

    const fatal = await start(topic, uniqueName('g'), {
      consumerConfig: { 'auto.offset.reset': 'none' },
      listener: () => {},
    });
    const [error] = (await once(fatal, 'stopped')) as [Error & { code?: string }];
    assert.equal(error.code, 'SAMSA_ERR_NO_OFFSET_FOR_PARTITION', 'no offset to start from stops the container');
  });

  it('MANUAL_IMMEDIATE: each acknowledge() is committed before the next record, in order, with commit events', async () => {
    const { topic, group } = await setUp(['v0', 'v1', 'v2', 'v3', 'v4']);
    const commitsSeen: number[] = [];
    const c: KafkaMessageListenerContainer<string, string> = await start(topic, group, {
      ackMode: AckMode.MANUAL_IMMEDIATE,
      listener: (_record, ctx) => {
        commitsSeen.push(c.metrics().commits);
        ctx.acknowledgment?.acknowledge();
      },
    });
    await waitFor(() => commitsSeen.length === 5 && c.metrics().commits === 5, 'five records committed');
    await c.stop();
    assert.deepEqual(commitsSeen, [0, 1, 2, 3, 4], 'the previous acknowledge() was committed first');
    assert.equal(await committed(group, topic), 5n);
    const commits = events.filter((e) => e.listenerId === group && e.event === 'commit').map((e) => e.count);
    assert.deepEqual(commits, [1, 1, 1, 1, 1], 'a commit event per commit, with its partition count');
  });

  it('ignores an acknowledge() for a partition revoked since (it would move the new owner’s offset back)', async () => {
    const { topic, group } = await setUp([], 2);
    await Promise.all(
      ['0', '1', '2'].flatMap((n) =>
        [0, 1].map((partition) => producer.send({ topic, partition, value: `p${partition}-${n}` })),
      ),
    );
    const stale = new Map<number, Acknowledgment>();
    const a = await start(topic, group, {
      ackMode: AckMode.MANUAL,
      listener: (record, ctx) => {
        if (!stale.has(record.partition) && ctx.acknowledgment) stale.set(record.partition, ctx.acknowledgment);
      },
    });
    await waitFor(() => stale.size === 2, 'a record of each partition held unacknowledged');
    const b = await start(topic, group, {
      ackMode: AckMode.MANUAL,
      listener: (_record, ctx) => ctx.acknowledgment?.acknowledge(),
    });
    await waitFor(() => a.assignment().length === 1 && b.assignment().length === 1, 'one partition each');
    const moved = b.assignment()[0]?.partition as number;
    await waitFor(async () => (await committed(group, topic, moved)) === 3n, 'the new owner committed 3');
    stale.get(moved)?.acknowledge();
    const commitsBefore = a.metrics().commits;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await committed(group, topic, moved), 3n, 'the old owner committed nothing for it');
    assert.equal(a.metrics().commits, commitsBefore);
  });

  for (const batch of [false, true]) {
    it(`hands a failed reply to the error handler and sends results on (${batch ? 'batch' : 'record'} listener)`, async () => {
      const { topic, group } = await setUp([]);
      const replies = uniqueName('replies');
      await createTopics(broker.bootstrap, { [replies]: 1 });
      const request = (value: string) => ({
        topic,
        partition: 0,
        value,
        headers: { [KafkaHeaders.REPLY_TOPIC]: replies, [KafkaHeaders.CORRELATION_ID]: `corr-${value}` },
      });
      await producer.sendBatch([request('v0'), request('v1')]);
      const recovered: string[] = [];
      const calls = new Map<string, number>();
      let failedOnce = false;
      const publisher: ReplyPublisher = {
        send: async (r) => {
          // The error handler's result never goes out; the listener's first result fails once.
          if (r.value === 'fallback' || !failedOnce) {
            failedOnce ||= r.value !== 'fallback';
            throw new Error('reply topic unavailable');
          }
          return producer.send({ topic: r.topic, value: String(r.value), headers: r.headers ?? [] });
        },
      };
      const handle = (values: string[]) => {
        const key = values.join(',');
        calls.set(key, (calls.get(key) ?? 0) + 1);
        if (values.includes('v0')) throw new Error('v0 fails');
        return key;
      };
      const c = await start(topic, group, {
        sendTo: true,
        replyPublisher: publisher,
        errorHandler: new DefaultErrorHandler({
          backOff: new FixedBackOff(0, 1),
          logger: silentLogger,
          recoverer: (failed) => {
            recovered.push(String(failed.raw.value));
          },
        }),
        listenerErrorHandler: () => 'fallback',
        ...(batch
          ? {
              batch: true as const,
              listener: (records: { value: string | null }[]) => handle(records.map((r) => `${r.value}`)),
            }
          : { listener: (record: { value: string | null }) => handle([`${record.value}`]) }),
      });
      await waitFor(() => recovered.length === (batch ? 2 : 1), "the error handler's failed reply recovered");
      await producer.sendBatch([request('v2'), request('v3')]);
      const expected = batch ? ['v2,v3'] : ['v1', 'v2', 'v3'];
      const sent = await readAll(broker.bootstrap, replies, 1, expected.length);
      assert.deepEqual(
        sent.map((r) => [r.value?.toString(), header(r, KafkaHeaders.CORRELATION_ID)?.toString()]),
        expected.map((v) => [v, `corr-${v.split(',')[0]}`]),
        "results sent on, a batch's to its first record's reply topic",
      );
      assert.deepEqual(recovered, batch ? ['v0', 'v1'] : ['v0'], "the error handler's failed reply, recovered");
      assert.equal(calls.get(expected[0] as string), 2, "the listener's failed reply retried");
      assert.ok(c.isRunning, 'a failed reply does not stop the container');
    });
  }

  it('forgets an error handler back-off sleep once it ends', async () => {
    const { topic, group } = await setUp(['v0', 'v1']);
    const seen: string[] = [];
    const c = await start(topic, group, {
      errorHandler: new DefaultErrorHandler({ backOff: new FixedBackOff(10, 3), logger: silentLogger }),
      listener: (record) => {
        seen.push(record.value as string);
        if (record.value === 'v0') throw new Error('v0 fails');
      },
    });
    await waitFor(() => seen.includes('v1'), 'v0 recovered after three back-offs, v1 handled');
    assert.equal(seen.filter((v) => v === 'v0').length, 4);
    const sleeps = (c as unknown as { sleeps: { size: number } }).sleeps;
    assert.equal(sleeps.size, 0, 'no waker kept for a sleep that ended');
  });
});
