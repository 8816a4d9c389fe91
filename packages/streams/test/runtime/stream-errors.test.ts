import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { ProductionExceptionHandlerResponse } from '../../src/errors/production-exception-handler.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { StreamThreadExceptionResponse } from '../../src/runtime/stream-thread-exception-handler.js';
import { Serdes } from '../../src/serde/serdes.js';

// On a broker: REPLACE_THREAD (a processor throws once; a new stream thread takes the tasks back
// from the last commit and the instance keeps running, every record reaching the output, the
// only repeats being records processed after the last commit) and the production exception
// handler (a record larger than the output topic's max.message.bytes is dropped with CONTINUE and
// stops the application with the default handler).

const S = Serdes.String();
let broker: BrokerProcess;
let stateDir: string;
const RECORDS = 300;
const FAIL_AT = 150;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-errors-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'rt-in', numPartitions: 2, replicationFactor: 1 },
    { name: 'rt-out', numPartitions: 1, replicationFactor: 1 },
    { name: 'ph-in', numPartitions: 1, replicationFactor: 1 },
    { name: 'ph-out2', numPartitions: 1, replicationFactor: 1 },
    { name: 'sa-in', numPartitions: 2, replicationFactor: 1 },
    { name: 'sa-out', numPartitions: 1, replicationFactor: 1 },
    { name: 'ph-out', numPartitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '2000' } },
  ]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    Array.from({ length: RECORDS }, (_, i) => ({ topic: 'rt-in', key: `k${i % 7}`, value: String(i) })),
  );
  await producer.sendBatch(
    ['small-1', 'x'.repeat(10_000), 'small-2'].map((value) => ({ topic: 'ph-in', key: 'k', value })),
  );
  await producer.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

async function read(topic: string, until: (values: string[]) => boolean): Promise<string[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  consumer.assign([{ topic, partition: 0 }]);
  consumer.seekToBeginning();
  const values: string[] = [];
  try {
    while (!until(values)) for (const r of await consumer.poll({ timeoutMs: 300 })) values.push(String(r.value));
  } finally {
    await consumer.close();
  }
  return values;
}

test('REPLACE_THREAD: a new stream thread resumes from the last commit; nothing is lost', async () => {
  let thrown = false;
  const builder = new StreamsBuilder();
  builder
    .stream('rt-in', Consumed.with(S, S))
    .peek((_k, v) => {
      if (v === String(FAIL_AT) && !thrown) {
        thrown = true;
        throw new Error('injected processing failure');
      }
    })
    .to('rt-out', Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'replace-thread',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 100,
    'consumer.max.poll.records': 20,
  });
  const transitions: string[] = [];
  streams.setStateListener((next, old) => transitions.push(`${old}->${next}`));
  const errors: Error[] = [];
  streams.setUncaughtExceptionHandler((error) => {
    errors.push(error);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  });
  await streams.start();
  const all = (values: string[]) => new Set(values).size === RECORDS;
  const values = await read('rt-out', all);
  while (streams.state() !== State.RUNNING) await new Promise((r) => setTimeout(r, 50));
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /injected processing failure/);
  assert.ok(!transitions.some((t) => t.endsWith('ERROR')), transitions.join(' '));
  assert.ok(transitions.includes('RUNNING->REBALANCING'), transitions.join(' '));
  // At least once: every record once, and the repeats are only records processed before the
  // failure (after the last commit), each at most once more.
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  for (let i = 0; i < RECORDS; i++) assert.ok((seen.get(String(i)) ?? 0) >= 1, `record ${i} reached the output`);
  for (const [v, n] of seen) assert.ok(n <= 2, `record ${v} seen ${n} times`);
  const thread = streams.metrics().find((m) => m.name === 'dropped-records-total')?.tags['thread-id'];
  assert.equal(thread, 'replace-thread-StreamThread-2');
  // Java's thread metrics: both input partitions' tasks were created twice and closed once.
  const metric = (name: string, group = 'stream-thread-metrics') =>
    streams
      .metrics()
      .find((m) => m.name === name && m.group === group)
      ?.metricValue() ?? Number.NaN;
  assert.ok(metric('process-total') >= RECORDS, `process-total ${metric('process-total')}`);
  assert.equal(metric('task-created-total'), 4);
  assert.equal(metric('task-closed-total'), 2);
  assert.ok(metric('commit-total') >= 1);
  assert.ok(metric('commit-latency-max') >= metric('commit-latency-avg'));
  assert.ok(metric('poll-rate') > 0);
  const perTask = streams.metrics().filter((m) => m.name === 'process-total' && m.group === 'stream-task-metrics');
  assert.equal(perTask.length, 2);
  assert.ok(perTask.every((m) => m.metricValue() > 0));
  await streams.close();
  assert.equal(streams.state(), State.NOT_RUNNING);
});

function productionApp(appId: string, handler?: unknown): KafkaStreams {
  const builder = new StreamsBuilder();
  builder.stream('ph-in', Consumed.with(S, S)).to('ph-out', Produced.with(S, S));
  return new KafkaStreams(builder.build(), {
    'application.id': appId,
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 100,
    ...(handler === undefined ? {} : { 'default.production.exception.handler': handler as never }),
  });
}

test('production handler CONTINUE: the record too large for the topic is dropped and counted', async () => {
  const handled: string[] = [];
  const streams = productionApp('production-continue', {
    handle: (context: { topic: string | null; offset: bigint }, record: { topic: string }, error: Error) => {
      handled.push(`${record.topic} ${context.topic}@${context.offset} ${error.name}`);
      return ProductionExceptionHandlerResponse.CONTINUE;
    },
  });
  await streams.start();
  const values = await read('ph-out', (v) => v.length >= 2);
  assert.deepEqual(values, ['small-1', 'small-2']);
  while (
    streams
      .metrics()
      .find((m) => m.name === 'dropped-records-total')
      ?.metricValue() !== 1
  )
    await new Promise((r) => setTimeout(r, 50));
  assert.equal(handled.length, 1);
  assert.match(handled[0] ?? '', /^ph-out ph-in@1 /);
  assert.equal(streams.state(), State.RUNNING);
  await streams.close();
});

test('production handler CONTINUE with the idempotent producer: a record over max.request.size', async () => {
  const builder = new StreamsBuilder();
  builder.stream('ph-in', Consumed.with(S, S)).to('ph-out2', Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'production-request-size',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 100,
    'producer.max.request.size': 2000,
    'default.production.exception.handler': { handle: () => ProductionExceptionHandlerResponse.CONTINUE },
  });
  await streams.start();
  assert.deepEqual(await read('ph-out2', (v) => v.length >= 2), ['small-1', 'small-2']);
  while (
    streams
      .metrics()
      .find((m) => m.name === 'dropped-records-total')
      ?.metricValue() !== 1
  )
    await new Promise((r) => setTimeout(r, 50));
  await streams.close();
});

test('DefaultProductionExceptionHandler: the application stops in ERROR naming the topic', async () => {
  const streams = productionApp('production-fail');
  const errors: Error[] = [];
  streams.setUncaughtExceptionHandler((error) => errors.push(error));
  await streams.start();
  while (streams.state() !== State.ERROR) await new Promise((r) => setTimeout(r, 50));
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /^Error encountered sending record to topic ph-out for task 0_0 due to:/);
  assert.match(errors[0]?.message ?? '', /source topic: ph-in, partition: 0, offset: 1\)$/);
  await streams.close();
});

test('SHUTDOWN_APPLICATION: the other instance of the application shuts down too', async () => {
  let thrown = false;
  const handled: string[] = [];
  const instance = (name: string) => {
    const builder = new StreamsBuilder();
    builder
      .stream('sa-in', Consumed.with(S, S))
      .peek((_k, v) => {
        if (v === 'poison' && !thrown) {
          thrown = true;
          throw new Error('poison record');
        }
      })
      .to('sa-out', Produced.with(S, S));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': 'shutdown-app',
      'bootstrap.servers': broker.bootstrap,
      'state.dir': join(stateDir, name),
      'commit.interval.ms': 100,
      'consumer.session.timeout.ms': 6000,
      'consumer.heartbeat.interval.ms': 500,
    });
    streams.setUncaughtExceptionHandler((error) => {
      handled.push(`${name}: ${error.message}`);
      return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
    });
    return streams;
  };
  const a = instance('a');
  const b = instance('b');
  await a.start();
  await b.start();
  const tasksOf = (s: KafkaStreams) => s.metrics().filter((m) => m.name === 'dropped-records-total').length;
  while (tasksOf(a) !== 1 || tasksOf(b) !== 1 || a.state() !== State.RUNNING || b.state() !== State.RUNNING)
    await new Promise((r) => setTimeout(r, 100));
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch([0, 1].map((partition) => ({ topic: 'sa-in', partition, key: 'k', value: 'ok' })));
  await read('sa-out', (v) => v.length >= 2);
  // Both partitions have a committed offset (where the request is written).
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  while ((await admin.listConsumerGroupOffsets('shutdown-app')).filter((o) => o.offset >= 2n - 1n).length < 2)
    await new Promise((r) => setTimeout(r, 100));
  await admin.close();
  await producer.sendBatch([{ topic: 'sa-in', partition: 0, key: 'k', value: 'poison' }]);
  await producer.close();
  while (a.state() !== State.ERROR || b.state() !== State.ERROR) await new Promise((r) => setTimeout(r, 100));
  assert.equal(handled.length, 1);
  assert.match(handled[0] ?? '', /poison record/);
  await a.close();
  await b.close();
});
