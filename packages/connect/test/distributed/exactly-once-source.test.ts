import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess, waitFor } from '../support/worker-process.js';

// KIP-618 with a real broker and real worker processes: a FileStreamSource under
// exactly.once.source.support=enabled, the worker killed with SIGKILL while lines are being
// appended, then started again. A read_committed reader of the topic must see every line exactly
// once: the killed task's open transaction is aborted by its successor's initTransactions, and
// the offsets it resumes from are those committed with the records.

const LINES = 20_000;

let broker: BrokerProcess;
let dir: string;
const workers: WorkerProcess[] = [];

function workerProperties(): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const path = join(dir, 'worker.properties');
  writeFileSync(
    path,
    shipped
      .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
      .concat(
        [
          '',
          'listeners=http://127.0.0.1:0',
          'rest.advertised.host.name=127.0.0.1',
          'exactly.once.source.support=enabled',
          'offset.flush.interval.ms=300',
          'session.timeout.ms=6000',
          'heartbeat.interval.ms=1000',
          'rebalance.timeout.ms=10000',
          'scheduled.rebalance.max.delay.ms=1000',
          '',
        ].join('\n'),
      ),
  );
  return path;
}

async function startWorker(): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start(dir, [workerProperties()], 30_000, CONNECT_DISTRIBUTED_SH);
  workers.push(worker);
  return worker;
}

/** Every value of the topic as a reader with this isolation level sees it, polling until `settleMs` pass with nothing new. */
async function readValues(
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted',
  settleMs: number,
): Promise<string[]> {
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': isolation,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const partitions = [{ topic, partition: 0 }];
  consumer.assign(partitions);
  consumer.seekToBeginning(partitions);
  const values: string[] = [];
  let quietSince = Date.now();
  while (Date.now() - quietSince < settleMs) {
    const records = await consumer.poll({ timeoutMs: 200 });
    if (records.length > 0) quietSince = Date.now();
    for (const r of records) values.push(r.value?.toString('utf8') ?? '');
  }
  await consumer.close();
  return values;
}

/** The partition's end offset (records, transaction markers included), cheaply. */
async function endOffset(topic: string): Promise<bigint> {
  const consumer = new Consumer<Buffer, Buffer>({ 'bootstrap.servers': broker.bootstrap });
  try {
    const [end] = await consumer.endOffsets([{ topic, partition: 0 }]);
    return end?.offset ?? 0n;
  } finally {
    await consumer.close();
  }
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-eos-'));
});

after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  if (process.env.CONNECT_TEST_DEBUG !== undefined) {
    for (const w of workers) console.log(`# ---- worker ${w.url}\n${w.output.replace(/^/gm, '# ')}`);
  }
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/**
 * One connector writing `topic` while lines are appended; the running worker is killed once 3 000
 * records reached the topic and a new one started. `boundary` extra settings are the connector's.
 */
async function killMidStream(
  topic: string,
  connector: string,
  boundary: Record<string, string>,
): Promise<{ committed: string[]; uncommitted: string[]; writtenAtCrash: number; atCrash: number }> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const file = join(dir, `${connector}.txt`);
  writeFileSync(file, '');
  const running = workers.at(-1) ?? (await startWorker());
  const created = await fetch(`${running.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: connector,
      config: {
        'connector.class': 'FileStreamSource',
        'tasks.max': '1',
        file,
        topic,
        'batch.size': '100',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        ...boundary,
      },
    }),
  });
  assert.equal(created.status, 201, await created.text());

  // Lines keep arriving before, during and after the crash.
  let written = 0;
  const writer = (async () => {
    while (written < LINES) {
      const batch: string[] = [];
      for (let i = 0; i < 100 && written < LINES; i++) batch.push(`line-${String(++written).padStart(6, '0')}`);
      appendFileSync(file, `${batch.join('\n')}\n`);
      await new Promise((r) => setTimeout(r, 40));
    }
  })();

  await waitFor('records written before the crash', async () => (await endOffset(topic)) >= 3_000n, 60_000);
  await running.kill();
  const writtenAtCrash = written;
  const atCrash = (await readValues(topic, 'read_committed', 500)).length;
  await startWorker();
  await writer;

  await waitFor(
    `all ${LINES} lines committed after the restart`,
    async () => (await readValues(topic, 'read_committed', 500)).length >= LINES,
    90_000,
  );
  const committed = await readValues(topic, 'read_committed', 2_000);
  const uncommitted = await readValues(topic, 'read_uncommitted', 1_000);
  const duplicates = committed.length - new Set(committed).size;
  console.log(
    `# eos ${JSON.stringify(boundary)}: killed with ${writtenAtCrash} lines in the file and ${atCrash} records committed; read_committed ${committed.length} records (${duplicates} duplicates); read_uncommitted ${uncommitted.length}`,
  );
  assert.ok(writtenAtCrash < LINES, 'the worker was killed while lines were still arriving');
  assert.equal(duplicates, 0);
  // Every line, in order, since one task wrote them to one partition.
  assert.deepEqual(
    committed,
    Array.from({ length: LINES }, (_, i) => `line-${String(i + 1).padStart(6, '0')}`),
  );
  return { committed, uncommitted, writtenAtCrash, atCrash };
}

test('transaction.boundary=poll: kill -9 mid-stream and restart, a read_committed reader sees every line once', async () => {
  await killMidStream('eos-lines-poll', 'eos-poll', {});
});

test('transaction.boundary=interval: the killed task’s open transaction is aborted, never read committed', async () => {
  const { uncommitted } = await killMidStream('eos-lines-interval', 'eos-interval', {
    'transaction.boundary': 'interval',
    'transaction.boundary.interval.ms': '1500',
  });
  // A transaction spans 1.5 s of lines, so one was open at the kill: its records are in the
  // log (read_uncommitted sees them) but were aborted by the restarted task's initTransactions.
  assert.ok(uncommitted.length > LINES, `${uncommitted.length} records in the log`);
});

test('validation of the exactly-once settings through REST (Kafka’s DistributedHerder checks)', async () => {
  const worker = workers.at(-1)!;
  const config = { 'connector.class': 'FileStreamSource', file: join(dir, 'other.txt'), topic: 'eos-other' };
  const validate = await fetch(`${worker.url}/connector-plugins/FileStreamSource/config/validate`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...config,
      name: 'eos-validated',
      'exactly.once.support': 'required',
      'transaction.boundary': 'connector',
    }),
  });
  const infos = (await validate.json()) as {
    error_count: number;
    groups: string[];
    configs: { value: { name: string; errors: string[] } }[];
  };
  assert.ok(infos.groups.includes('Exactly Once Support'));
  // FileStreamSource declares exactly-once support, but cannot define its own transactions.
  const errors = infos.configs.flatMap((c) => c.value.errors);
  assert.equal(infos.error_count, 1, errors.join('\n'));
  const boundary = infos.configs.find((c) => c.value.name === 'transaction.boundary');
  assert.deepEqual(boundary?.value.errors, [
    'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
  ]);

  const created = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'eos-refused', config: { ...config, 'transaction.boundary': 'connector' } }),
  });
  assert.equal(created.status, 400);
  const body = (await created.json()) as { error_code: number; message: string };
  assert.equal(body.error_code, 400);
  assert.match(body.message, /contains the following 1 error\(s\):\nThe connector does not support connector-defined/);
});
