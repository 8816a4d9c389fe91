import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { ConfigDef } from '../src/config/config-def.js';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import type { SinkRecord, SourceRecord } from '../src/connector/connect-record.js';
import { type Props, SinkConnector, SinkTask, SourceConnector, SourceTask } from '../src/connector/connector.js';
import { ErrorReporter, errorHandlingConfig, RetriableException } from '../src/runtime/error-handling.js';
import type { ConnectRecord, Transformation } from '../src/transforms/transformation.js';
import { registerTransformation } from '../src/transforms/transforms.js';
import { waitFor } from './support/worker-process.js';

// errors.retry.timeout / errors.retry.delay.max.ms (Kafka's RetryWithToleranceOperator) on a real
// broker: a sink whose put throws RetriableException twice still gets every record once; a
// transformation throwing RetriableException is retried until it succeeds or the timeout passes,
// and then errors.tolerance decides (DLQ and skip with `all`, a failed task with `none`); a
// source task whose poll throws RetriableException is polled again.

/** What the test sink received, per connector name; `putCalls` counts attempts, failed ones included. */
const received = new Map<string, { values: string[]; putCalls: number }>();

class FlakySinkTask extends SinkTask {
  private name = '';
  private failures = 0;
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.name = props.name ?? '';
    this.failures = Number(props['put.failures'] ?? '0');
    received.set(this.name, { values: [], putCalls: 0 });
  }
  put(records: readonly SinkRecord[]) {
    if (records.length === 0) return;
    const state = received.get(this.name)!;
    state.putCalls++;
    if (this.failures > 0) {
      this.failures--;
      throw new RetriableException('the store is briefly unavailable');
    }
    state.values.push(...records.map((r) => String(r.value)));
  }
  stop() {}
}

class FlakySinkConnector extends SinkConnector {
  private props: Props = {};
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.props = props;
  }
  taskClass() {
    return FlakySinkTask;
  }
  taskConfigs(): Props[] {
    return [this.props];
  }
  stop() {}
  config() {
    return new ConfigDef();
  }
}

/** Fails `times` times in a row on every record whose value is `bad` (or on every record if unset). */
class FlakyTransform implements Transformation {
  static calls = 0;
  private remaining = 0;
  private only: string | undefined;
  configure(props: Readonly<Record<string, string>>) {
    this.remaining = Number(props.times ?? '0');
    this.only = props.only;
  }
  apply(record: ConnectRecord): ConnectRecord {
    if (this.only !== undefined && String(record.value) !== this.only) return record;
    FlakyTransform.calls++;
    if (this.remaining !== 0) {
      this.remaining--;
      throw new RetriableException(`not now: ${String(record.value)}`);
    }
    return record;
  }
  config() {
    return new ConfigDef();
  }
  close() {}
}

let sourceFailures = 2;
class FlakySourceTask extends SourceTask {
  private sent = false;
  version() {
    return '1.0';
  }
  start() {}
  async poll(): Promise<SourceRecord[] | null> {
    if (sourceFailures > 0) {
      sourceFailures--;
      throw new RetriableException('source briefly unavailable');
    }
    if (this.sent) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return null;
    }
    this.sent = true;
    return ['s1', 's2'].map((v, i) => ({
      sourcePartition: { p: 0 },
      sourceOffset: { i },
      topic: 'retry-source-out',
      value: v,
    }));
  }
  stop() {}
}

class FlakySourceConnector extends SourceConnector {
  version() {
    return '1.0';
  }
  start() {}
  taskClass() {
    return FlakySourceTask;
  }
  taskConfigs(): Props[] {
    return [{}];
  }
  stop() {}
  config() {
    return new ConfigDef();
  }
}

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-retry-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), []);
  worker.herder.plugins.register('com.example.FlakySinkConnector', FlakySinkConnector);
  worker.herder.plugins.register('com.example.FlakySourceConnector', FlakySourceConnector);
  registerTransformation('com.example.FlakyTransform', () => new FlakyTransform());
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function produce(topic: string, values: string[]): Promise<void> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
  } finally {
    await admin.close();
  }
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  try {
    await producer.sendBatch(values.map((value) => ({ topic, key: null, value })));
  } finally {
    await producer.close();
  }
}

async function consume(topic: string, count: number): Promise<ConsumerRecord<Buffer, Buffer>[]> {
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  try {
    const out: ConsumerRecord<Buffer, Buffer>[] = [];
    await waitFor(`topic ${topic} to exist`, async () => {
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        return (await admin.listTopics()).includes(topic);
      } finally {
        await admin.close();
      }
    });
    consumer.assign([{ topic, partition: 0 }]);
    consumer.seekToBeginning();
    await waitFor(`${count} records in ${topic}`, async () => {
      out.push(...(await consumer.poll({ timeoutMs: 300 })));
      return out.length >= count;
    });
    return out;
  } finally {
    await consumer.close();
  }
}

async function committed(group: string, topic: string): Promise<number> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    const offsets = await admin.listConsumerGroupOffsets(group);
    return Number(offsets.find((o) => o.topic === topic)?.offset ?? -1);
  } finally {
    await admin.close();
  }
}

async function create(name: string, config: Record<string, string>): Promise<void> {
  await worker.herder.putConnectorConfig(name, { name, ...config }, false);
}

test('ErrorReporter.retry backs off 300 ms, then 600 ms…, until errors.retry.timeout, never past it', async () => {
  const reporter = new ErrorReporter(
    'c',
    0,
    errorHandlingConfig({ 'errors.retry.timeout': '1000', 'errors.retry.delay.max.ms': '60000' }),
    undefined,
  );
  const attempts: number[] = [];
  const start = Date.now();
  const outcome = await reporter.retry(
    new RetriableException('first'),
    () => {
      attempts.push(Date.now() - start);
      throw new RetriableException('again');
    },
    () => false,
  );
  assert.ok('error' in outcome && outcome.error instanceof RetriableException);
  // Retries at ~300, ~900 and ~1000 ms (the 1200 ms backoff is cut at the deadline).
  assert.equal(attempts.length, 3, `attempts at ${attempts.join(', ')} ms`);
  assert.ok(attempts[0]! >= 290 && attempts[0]! < 600, `first retry at ${attempts[0]} ms`);
  assert.ok(attempts[1]! >= 880 && attempts[1]! < 1000, `second retry at ${attempts[1]} ms`);
  assert.ok(attempts[2]! >= 990 && attempts[2]! < 1300, `last retry at ${attempts[2]} ms`);

  // A non-retriable error and a zero timeout are not retried at all.
  const none = new ErrorReporter('c', 0, errorHandlingConfig({}), undefined);
  let called = false;
  const outcome2 = await none.retry(
    new RetriableException('x'),
    () => {
      called = true;
    },
    () => false,
  );
  assert.ok('error' in outcome2 && !called);
  const delayed = new ErrorReporter('c', 0, errorHandlingConfig({ 'errors.retry.timeout': '-1' }), undefined);
  const third = await delayed.retry(
    new Error('plain'),
    () => 1,
    () => false,
  );
  assert.ok('error' in third);
  const succeeded = await delayed.retry(
    new RetriableException('x'),
    () => 42,
    () => false,
  );
  assert.deepEqual(succeeded, { value: 42 });
});

test('a sink task whose put throws RetriableException twice gets every record exactly once', async () => {
  await produce('retry-put-in', ['a', 'b', 'c']);
  await create('retry-put', {
    'connector.class': 'com.example.FlakySinkConnector',
    topics: 'retry-put-in',
    'put.failures': '2',
  });
  await waitFor('the three records to be put', () => (received.get('retry-put')?.values.length ?? 0) >= 3);
  await waitFor(
    'offsets committed past the three records',
    async () => (await committed('connect-retry-put', 'retry-put-in')) === 3,
  );
  const state = received.get('retry-put')!;
  assert.deepEqual(state.values, ['a', 'b', 'c']);
  assert.ok(state.putCalls >= 3, `put called ${state.putCalls} times`);
  assert.equal(worker.herder.status('retry-put').tasks[0]?.state, 'RUNNING');
});

test('a transformation throwing RetriableException is retried within errors.retry.timeout', async () => {
  await produce('retry-smt-in', ['x', 'y']);
  FlakyTransform.calls = 0;
  const start = Date.now();
  await create('retry-smt', {
    'connector.class': 'com.example.FlakySinkConnector',
    topics: 'retry-smt-in',
    transforms: 'flaky',
    'transforms.flaky.type': 'com.example.FlakyTransform',
    'transforms.flaky.times': '2',
    'transforms.flaky.only': 'x',
    'errors.retry.timeout': '10000',
    'errors.retry.delay.max.ms': '1000',
  });
  await waitFor('both records to be put', () => (received.get('retry-smt')?.values.length ?? 0) >= 2);
  assert.deepEqual(received.get('retry-smt')?.values, ['x', 'y']);
  assert.equal(FlakyTransform.calls, 3, 'two failures, then success');
  // Backoffs of 300 and 600 ms before the third attempt.
  assert.ok(Date.now() - start >= 900, `delivered after ${Date.now() - start} ms`);
});

test('errors.retry.timeout=0 hands a RetriableException to tolerance: all → DLQ and skipped, none → task failed', async () => {
  await produce('retry-tol-in', ['ok1', 'bad', 'ok2']);
  await create('retry-tol', {
    'connector.class': 'com.example.FlakySinkConnector',
    topics: 'retry-tol-in',
    transforms: 'flaky',
    'transforms.flaky.type': 'com.example.FlakyTransform',
    'transforms.flaky.times': '-1',
    'transforms.flaky.only': 'bad',
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': 'retry-tol-dlq',
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
  });
  await waitFor('the two good records to be put', () => (received.get('retry-tol')?.values.length ?? 0) >= 2);
  assert.deepEqual(received.get('retry-tol')?.values, ['ok1', 'ok2']);
  const [dead] = await consume('retry-tol-dlq', 1);
  const headers = new Map(dead!.headers.map((h) => [h.key, h.value?.toString()]));
  assert.equal(dead!.value?.toString(), 'bad');
  assert.equal(headers.get('__connect.errors.stage'), 'TRANSFORMATION');
  assert.equal(headers.get('__connect.errors.class.name'), 'com.example.FlakyTransform');
  assert.equal(
    headers.get('__connect.errors.exception.class.name'),
    'org.apache.kafka.connect.errors.RetriableException',
  );
  assert.equal(headers.get('__connect.errors.exception.message'), 'not now: bad');

  await produce('retry-none-in', ['bad']);
  const start = Date.now();
  await create('retry-none', {
    'connector.class': 'com.example.FlakySinkConnector',
    topics: 'retry-none-in',
    transforms: 'flaky',
    'transforms.flaky.type': 'com.example.FlakyTransform',
    'transforms.flaky.times': '-1',
    'transforms.flaky.only': 'bad',
    'errors.retry.timeout': '700',
  });
  await waitFor('the task to fail', () => worker.herder.status('retry-none').tasks[0]?.state === 'FAILED');
  assert.ok(Date.now() - start >= 700, 'retried for errors.retry.timeout first');
  const trace = worker.herder.status('retry-none').tasks[0]?.trace ?? '';
  assert.match(trace, /^org\.apache\.kafka\.connect\.errors\.ConnectException: Tolerance exceeded in error handler/);
  assert.match(trace, /Caused by: org\.apache\.kafka\.connect\.errors\.RetriableException: not now: bad/);
  assert.deepEqual(received.get('retry-none')?.values, []);
});

test('a source task whose poll throws RetriableException is polled again', async () => {
  await create('retry-source', { 'connector.class': 'com.example.FlakySourceConnector' });
  const out = await consume('retry-source-out', 2);
  assert.deepEqual(
    out.map((r) => r.value?.toString()),
    ['s1', 's2'],
  );
  assert.equal(sourceFailures, 0);
  assert.equal(worker.herder.status('retry-source').tasks[0]?.state, 'RUNNING');
});

test('stopping a task while it retries ends the backoff at once and does not skip the record', async () => {
  await produce('retry-stop-in', ['stuck']);
  FlakyTransform.calls = 0;
  await create('retry-stop', {
    'connector.class': 'com.example.FlakySinkConnector',
    topics: 'retry-stop-in',
    transforms: 'flaky',
    'transforms.flaky.type': 'com.example.FlakyTransform',
    'transforms.flaky.times': '-1',
    'errors.retry.timeout': '-1',
    'errors.retry.delay.max.ms': '60000',
  });
  await waitFor('a few retries', () => FlakyTransform.calls >= 3);
  const start = Date.now();
  await worker.herder.stopConnectorCommand('retry-stop');
  assert.ok(Date.now() - start < 3000, `stopped in ${Date.now() - start} ms`);
  assert.equal(worker.herder.status('retry-stop').connector.state, 'STOPPED');
  assert.deepEqual(received.get('retry-stop')?.values, []);
  // Neither put nor committed past: the record comes again when the connector resumes.
  assert.ok((await committed('connect-retry-stop', 'retry-stop-in')) <= 0);
});
