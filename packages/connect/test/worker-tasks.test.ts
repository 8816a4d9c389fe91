import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { waitFor } from './support/worker-process.js';

// Per-connector converter overrides and a sink with several tasks sharing its group.

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-tasks-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
      'plugin.path=/usr/share/java',
    ].join('\n'),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), []);
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function values(topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  try {
    consumer.assign([{ topic, partition: 0 }]);
    consumer.seekToBeginning();
    const out: string[] = [];
    await waitFor(`${count} records in ${topic}`, async () => {
      for (const r of await consumer.poll({ timeoutMs: 300 })) out.push(r.value ?? 'null');
      return out.length >= count;
    });
    return out;
  } finally {
    await consumer.close();
  }
}

test('a connector value.converter (with its own schemas.enable) overrides the worker', async () => {
  writeFileSync(join(dir, 'plain.txt'), 'alpha\nbeta\n');
  await worker.herder.putConnectorConfig(
    'plain-json',
    {
      'connector.class': 'FileStreamSource',
      file: join(dir, 'plain.txt'),
      topic: 'plain-json',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    },
    false,
  );
  await worker.herder.putConnectorConfig(
    'as-string',
    {
      'connector.class': 'FileStreamSource',
      file: join(dir, 'plain.txt'),
      topic: 'as-string',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
    false,
  );
  assert.deepEqual(await values('plain-json', 2), ['"alpha"', '"beta"']);
  assert.deepEqual(await values('as-string', 2), ['alpha', 'beta']);
});

test('a sink with tasks.max=2 on a 2-partition topic: both tasks run in group connect-<name>, every record written once', async () => {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await admin.createTopics([{ name: 'two-parts', numPartitions: 2, replicationFactor: 1 }]);
  } finally {
    await admin.close();
  }
  const lines = Array.from({ length: 200 }, (_, i) => `line-${i}`);
  writeFileSync(join(dir, 'many.txt'), `${lines.join('\n')}\n`);
  const out = join(dir, 'two-parts.out');
  const { info } = await worker.herder.putConnectorConfig(
    'two-task-sink',
    { 'connector.class': 'FileStreamSink', 'tasks.max': '2', topics: 'two-parts', file: out },
    false,
  );
  assert.equal(info.tasks.length, 2);
  await worker.herder.putConnectorConfig(
    'many-source',
    { 'connector.class': 'FileStreamSource', file: join(dir, 'many.txt'), topic: 'two-parts', 'batch.size': '7' },
    false,
  );
  const written = () =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  await waitFor('200 lines in the sink file', () => written().length >= 200);
  assert.deepEqual([...written()].sort(), [...lines].sort());
  const status = worker.herder.status('two-task-sink');
  assert.deepEqual(
    status.tasks.map((t) => t.state),
    ['RUNNING', 'RUNNING'],
  );
  await waitFor('the group to commit both partitions', async () => {
    const a = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const committed = await a.listConsumerGroupOffsets('connect-two-task-sink');
      return committed.reduce((sum, o) => sum + Number(o.offset), 0) === 200;
    } finally {
      await a.close();
    }
  });
});

test('connector files may be JSON ({name, config}), as Kafka 3.x accepts', async () => {
  writeFileSync(join(dir, 'json-in.txt'), 'from json\n');
  writeFileSync(
    join(dir, 'source.json'),
    JSON.stringify({
      name: 'json-file-source',
      config: {
        'connector.class': 'FileStreamSource',
        file: join(dir, 'json-in.txt'),
        topic: 'json-file',
        'tasks.max': 1,
      },
    }),
  );
  writeFileSync(
    join(dir, 'worker2.properties'),
    readFileSync(join(dir, 'worker.properties'), 'utf8').replace(join(dir, 'offsets'), join(dir, 'offsets2')),
  );
  const second = await startStandalone(join(dir, 'worker2.properties'), [join(dir, 'source.json')]);
  try {
    assert.deepEqual(second.herder.connectorNames(), ['json-file-source']);
    assert.equal(second.herder.info('json-file-source').config['tasks.max'], '1');
    assert.deepEqual(await values('json-file', 1), [
      '{"schema":{"type":"string","optional":false},"payload":"from json"}',
    ]);
  } finally {
    await second.stop();
  }
});
