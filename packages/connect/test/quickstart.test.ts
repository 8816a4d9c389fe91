import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { REPO_ROOT, runToExit, WorkerProcess, waitFor } from './support/worker-process.js';

// Kafka's Connect quickstart, word for word: the shipped config files, test.txt → connect-test →
// test.sink.txt, run by bin/connect-standalone.sh in the directory holding test.txt. Only the
// worker file's bootstrap.servers, offset file and listener change (a broker on a free port).

let broker: BrokerProcess;
let dir: string;

function workerProperties(extra = ''): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-standalone.properties'), 'utf8');
  return shipped
    .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
    .replace(
      'offset.storage.file.filename=/tmp/connect.offsets',
      `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    )
    .concat(`\nlisteners=http://127.0.0.1:0\n${extra}`);
}

function sinkLines(): string[] {
  const path = join(dir, 'test.sink.txt');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-quickstart-'));
  writeFileSync(join(dir, 'connect-standalone.properties'), workerProperties());
  copyFileSync(join(REPO_ROOT, 'config/connect-file-source.properties'), join(dir, 'connect-file-source.properties'));
  copyFileSync(join(REPO_ROOT, 'config/connect-file-sink.properties'), join(dir, 'connect-file-sink.properties'));
});

after(async () => {
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const ARGS = ['connect-standalone.properties', 'connect-file-source.properties', 'connect-file-sink.properties'];

test('quickstart: lines of test.txt reach test.sink.txt in order; after SIGTERM and restart, new lines arrive once', async () => {
  writeFileSync(join(dir, 'test.txt'), 'foo\nbar\n');
  let worker = await WorkerProcess.start(dir, ARGS);
  try {
    await waitFor('foo and bar in test.sink.txt', () => sinkLines().length >= 2);
    appendFileSync(join(dir, 'test.txt'), 'Another line\n');
    await waitFor('the appended line', () => sinkLines().length >= 3);
    assert.deepEqual(sinkLines(), ['foo', 'bar', 'Another line']);

    const status = (await (await fetch(`${worker.url}/connectors/local-file-source/status`)).json()) as {
      connector: { state: string };
      tasks: { state: string }[];
    };
    assert.equal(status.connector.state, 'RUNNING');
    assert.deepEqual(
      status.tasks.map((t) => t.state),
      ['RUNNING'],
    );
    assert.equal(await worker.stop(), 0, worker.output);
  } finally {
    await worker.stop();
  }

  // The offsets file holds the source's position; the sink group committed on stop.
  const offsets = JSON.parse(readFileSync(join(dir, 'connect.offsets'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(offsets, { '["local-file-source",{"filename":"test.txt"}]': { position: 21 } });

  // The sink committed what it flushed for its group, connect-<connector name>.
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    const committed = await admin.listConsumerGroupOffsets('connect-local-file-sink');
    assert.deepEqual(
      committed.map((o) => [o.topic, o.partition, o.offset]),
      [['connect-test', 0, 3n]],
    );
  } finally {
    await admin.close();
  }

  appendFileSync(join(dir, 'test.txt'), 'after restart 1\nafter restart 2\n');
  worker = await WorkerProcess.start(dir, ARGS);
  try {
    await waitFor('the lines written while stopped', () => sinkLines().length >= 5);
    // Time for a duplicate to show up if offsets were not restored.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(sinkLines(), ['foo', 'bar', 'Another line', 'after restart 1', 'after restart 2']);
  } finally {
    assert.equal(await worker.stop(), 0, worker.output);
  }
});

test('the topic holds JsonConverter envelopes, as a Java worker writes them', async () => {
  const { Consumer } = await import('@samsa/client');
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  try {
    consumer.assign([{ topic: 'connect-test', partition: 0 }]);
    consumer.seekToBeginning();
    const values: (string | null)[] = [];
    await waitFor('five records', async () => {
      for (const r of await consumer.poll({ timeoutMs: 500 })) values.push(r.value);
      return values.length >= 5;
    });
    assert.equal(values[0], '{"schema":{"type":"string","optional":false},"payload":"foo"}');
    assert.equal(values.length, 5);
  } finally {
    await consumer.close();
  }
});

test('a malformed worker or connector config stops startup naming the key', async () => {
  writeFileSync(join(dir, 'bad-worker.properties'), workerProperties('offset.flush.interval.ms=often\n'));
  let result = await runToExit(dir, ['bad-worker.properties']);
  assert.equal(result.code, 1);
  assert.match(
    result.output,
    /Invalid value often for configuration offset\.flush\.interval\.ms: Not a number of type LONG/,
  );

  writeFileSync(
    join(dir, 'no-converter.properties'),
    workerProperties().replace(/^value\.converter=.*$/m, '# value.converter removed'),
  );
  result = await runToExit(dir, ['no-converter.properties']);
  assert.equal(result.code, 1);
  assert.match(result.output, /Missing required configuration "value\.converter" which has no default value\./);

  // Unknown worker keys are accepted, as in Kafka, with a warning naming them.
  const { parseWorkerConfig } = await import('../src/runtime/worker-config.js');
  const warnings: string[] = [];
  parseWorkerConfig(
    {
      'key.converter': 'StringConverter',
      'value.converter': 'StringConverter',
      'offset.storage.file.filename': 'x',
      'ofset.flush.interval.ms': '1',
    },
    (w) => warnings.push(w),
  );
  assert.deepEqual(warnings, ["The configuration 'ofset.flush.interval.ms' was supplied but isn't a known config."]);

  writeFileSync(join(dir, 'bad-source.properties'), 'name=bad\nconnector.class=FileStreamSource\nbatch.size=lots\n');
  result = await runToExit(dir, ['connect-standalone.properties', 'bad-source.properties']);
  assert.equal(result.code, 1);
  assert.match(result.output, /Missing required configuration "topic" which has no default value\./);
  assert.match(result.output, /Invalid value lots for configuration batch\.size: Not a number of type INT/);
});
