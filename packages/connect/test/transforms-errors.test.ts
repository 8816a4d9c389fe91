import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { waitFor } from './support/worker-process.js';

// Transforms and errors.tolerance / dead letter queue in a worker on a real broker: a file sink
// with a transform chain, malformed JSON going to the DLQ with Kafka's context headers while the
// good records reach the file; errors.tolerance=none failing the task; a source-side chain.

const T = 'org.apache.kafka.connect.transforms.';

interface TaskStatuses {
  tasks: { state: string; trace: string }[];
}

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;
let base: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-smt-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable=false',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), []);
  base = `http://127.0.0.1:${worker.rest.port}`;
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function produce(topic: string, values: (string | null)[]): Promise<void> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
  } finally {
    await admin.close();
  }
  const producer = new Producer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'buffer',
    valueSerializer: 'buffer',
  });
  try {
    await producer.sendBatch(
      values.map((v, i) => ({
        topic,
        key: Buffer.from(`k${i}`),
        value: v === null ? null : Buffer.from(v),
        headers: [{ key: 'origin', value: 'test' }],
      })),
    );
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
    await waitFor(
      `${count} records in ${topic}`,
      async () => {
        out.push(...(await consumer.poll({ timeoutMs: 300 })));
        return out.length >= count;
      },
      60_000,
    );
    return out;
  } finally {
    await consumer.close();
  }
}

function lines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

test('a file sink with a transform chain; malformed JSON goes to the DLQ with __connect.errors.* headers', async () => {
  await produce('smt-in', [
    '{"msg":"hello","secret":"s1"}',
    '{not json',
    null,
    '{"msg":"world","secret":"s2"}',
    '[1,2',
    '{"msg":"!"}',
  ]);
  const out = join(dir, 'smt.out');
  const reply = await fetch(`${base}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'smt-sink',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'smt-in',
        file: out,
        transforms: 'dropTombstones,rename,extract',
        'transforms.dropTombstones.type': `${T}Filter`,
        'transforms.dropTombstones.predicate': 'isTombstone',
        'transforms.rename.type': `${T}ReplaceField$Value`,
        'transforms.rename.exclude': 'secret',
        'transforms.rename.renames': 'msg:text',
        'transforms.extract.type': `${T}ExtractField$Value`,
        'transforms.extract.field': 'text',
        predicates: 'isTombstone',
        'predicates.isTombstone.type': `${T}predicates.RecordIsTombstone`,
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
        'errors.log.include.messages': 'true',
        'errors.deadletterqueue.topic.name': 'smt-dlq',
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    }),
  });
  assert.equal(reply.status, 201, await reply.text());

  await waitFor('3 lines in the sink file', () => lines(out).length >= 3, 60_000);
  assert.deepEqual(lines(out), ['hello', 'world', '!']);

  const dlq = await consume('smt-dlq', 2);
  assert.deepEqual(
    dlq.map((r) => r.value?.toString()),
    ['{not json', '[1,2'],
  );
  assert.deepEqual(
    dlq.map((r) => r.key?.toString()),
    ['k1', 'k4'],
  );
  const headers = new Map(dlq[0]!.headers.map((h) => [h.key, h.value?.toString()]));
  assert.equal(headers.get('origin'), 'test');
  assert.equal(headers.get('__connect.errors.topic'), 'smt-in');
  assert.equal(headers.get('__connect.errors.partition'), '0');
  assert.equal(headers.get('__connect.errors.offset'), '1');
  assert.equal(headers.get('__connect.errors.connector.name'), 'smt-sink');
  assert.equal(headers.get('__connect.errors.task.id'), '0');
  assert.equal(headers.get('__connect.errors.stage'), 'VALUE_CONVERTER');
  assert.equal(headers.get('__connect.errors.class.name'), 'org.apache.kafka.connect.json.JsonConverter');
  assert.equal(headers.get('__connect.errors.exception.class.name'), 'org.apache.kafka.connect.errors.DataException');
  assert.match(
    headers.get('__connect.errors.exception.message') ?? '',
    /^Converting byte\[\] to Kafka Connect data failed due to serialization error/,
  );
  assert.match(
    headers.get('__connect.errors.exception.stacktrace') ?? '',
    /^org\.apache\.kafka\.connect\.errors\.DataException: /,
  );
  assert.equal(new Map(dlq[1]!.headers.map((h) => [h.key, h.value?.toString()])).get('__connect.errors.offset'), '4');

  const status = (await (await fetch(`${base}/connectors/smt-sink/status`)).json()) as TaskStatuses;
  assert.equal(status.tasks[0]?.state, 'RUNNING');
  // The skipped records are committed past, as Kafka does.
  await waitFor(
    'the group to commit all 6 records',
    async () => {
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const committed = await admin.listConsumerGroupOffsets('connect-smt-sink');
        return committed.some((o) => o.topic === 'smt-in' && Number(o.offset) === 6);
      } finally {
        await admin.close();
      }
    },
    60_000,
  );
});

test('errors.tolerance=none (the default): a malformed record fails the task with the trace in /status', async () => {
  await produce('strict-in', ['{"a":1}', 'oops']);
  const out = join(dir, 'strict.out');
  await worker.herder.putConnectorConfig(
    'strict-sink',
    { 'connector.class': 'FileStreamSink', topics: 'strict-in', file: out },
    false,
  );
  await waitFor('the task to fail', () => worker.herder.status('strict-sink').tasks[0]?.state === 'FAILED', 60_000);
  const status = (await (await fetch(`${base}/connectors/strict-sink/status`)).json()) as TaskStatuses;
  assert.equal(status.tasks[0]?.state, 'FAILED');
  assert.match(
    status.tasks[0]?.trace ?? '',
    /^org\.apache\.kafka\.connect\.errors\.ConnectException: Tolerance exceeded in error handler\n/,
  );
  assert.match(
    status.tasks[0]?.trace ?? '',
    /Caused by: org\.apache\.kafka\.connect\.errors\.DataException: Converting byte\[\] to Kafka Connect data failed/,
  );
});

test('a source connector chain: HoistField then RegexRouter, before conversion', async () => {
  writeFileSync(join(dir, 'src.txt'), 'alpha\nbeta\n');
  await worker.herder.putConnectorConfig(
    'smt-source',
    {
      'connector.class': 'FileStreamSource',
      file: join(dir, 'src.txt'),
      topic: 'lines-raw',
      transforms: 'hoist,route',
      'transforms.hoist.type': `${T}HoistField$Value`,
      'transforms.hoist.field': 'line',
      'transforms.route.type': `${T}RegexRouter`,
      'transforms.route.regex': '(.*)-raw',
      'transforms.route.replacement': '$1-clean',
    },
    false,
  );
  const records = await consume('lines-clean', 2);
  assert.deepEqual(
    records.map((r) => r.value?.toString()),
    ['{"line":"alpha"}', '{"line":"beta"}'],
  );
});

test('errors.tolerance=all on a source connector: a record failing a transform is skipped, the rest are sent in order', async () => {
  writeFileSync(join(dir, 'numbers.txt'), '12\nabc\n7\n');
  await worker.herder.putConnectorConfig(
    'cast-source',
    {
      'connector.class': 'FileStreamSource',
      file: join(dir, 'numbers.txt'),
      topic: 'numbers',
      transforms: 'toInt',
      'transforms.toInt.type': `${T}Cast$Value`,
      'transforms.toInt.spec': 'int32',
      'errors.tolerance': 'all',
    },
    false,
  );
  const records = await consume('numbers', 2);
  assert.deepEqual(
    records.map((r) => r.value?.toString()),
    ['12', '7'],
  );
  assert.equal(worker.herder.status('cast-source').tasks[0]?.state, 'RUNNING');
});

test('invalid transforms are refused with 400 naming the keys, and /validate shows them', async () => {
  const post = await fetch(`${base}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bad-smt',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'x',
        transforms: 'a,b',
        'transforms.a.type': 'com.example.Missing',
        'transforms.b.type': `${T}MaskField$Value`,
      },
    }),
  });
  assert.equal(post.status, 400);
  const body = (await post.json()) as { error_code: number; message: string };
  assert.equal(body.error_code, 400);
  assert.match(body.message, /contains the following 2 error\(s\)/);
  assert.match(
    body.message,
    /Invalid value com\.example\.Missing for configuration transforms\.a\.type: Class com\.example\.Missing could not be found\./,
  );
  assert.match(body.message, /Missing required configuration "transforms\.b\.fields" which has no default value\./);

  const validate = await fetch(`${base}/connector-plugins/FileStreamSinkConnector/config/validate`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      'connector.class': 'FileStreamSinkConnector',
      name: 'v',
      topics: 'x',
      transforms: 'r',
      'transforms.r.type': `${T}RegexRouter`,
      'transforms.r.regex': '(',
      'transforms.r.replacement': 'y',
      'errors.tolerance': 'some',
    }),
  });
  const info = (await validate.json()) as {
    error_count: number;
    groups: string[];
    configs: { value: { name: string; errors: string[] } }[];
  };
  assert.equal(info.error_count, 2);
  assert.ok(info.groups.includes('Transforms: r'));
  assert.ok(info.groups.includes('Error Handling'));
  const errors = Object.fromEntries(
    info.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]),
  );
  assert.deepEqual(Object.keys(errors).sort(), ['errors.tolerance', 'transforms.r.regex']);
  assert.deepEqual(errors['errors.tolerance'], [
    'Invalid value some for configuration errors.tolerance: String must be one of: none, all',
  ]);
  assert.match(
    errors['transforms.r.regex']?.[0] ?? '',
    /^Invalid value \( for configuration transforms\.r\.regex: Invalid regex/,
  );
});
