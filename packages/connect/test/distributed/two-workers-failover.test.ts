import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess, waitFor } from '../support/worker-process.js';

// The failover scenario, literally: two workers, one sink connector with four tasks
// spread over both; the worker holding some of them is killed with SIGKILL and, once its session
// timed out and scheduled.rebalance.max.delay.ms passed, the survivor runs all four, and every
// record produced before, during and after reaches the sink file.

const TOPIC = 'failover-in';
const CONNECTOR = 'failover-sink';
const PARTITIONS = 4;

let broker: BrokerProcess;
let dir: string;
const workers: WorkerProcess[] = [];

function workerProperties(name: string): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const path = join(dir, `${name}.properties`);
  const overrides = [
    '',
    'group.id=failover-cluster',
    'config.storage.topic=failover-configs',
    'offset.storage.topic=failover-offsets',
    'status.storage.topic=failover-status',
    'listeners=http://127.0.0.1:0',
    'rest.advertised.host.name=127.0.0.1',
    'offset.flush.interval.ms=300',
    'session.timeout.ms=6000',
    'heartbeat.interval.ms=1000',
    'consumer.session.timeout.ms=6000',
    'consumer.heartbeat.interval.ms=1000',
    'scheduled.rebalance.max.delay.ms=2000',
    '',
  ];
  writeFileSync(
    path,
    shipped.replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`) + overrides.join('\n'),
  );
  return path;
}

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

async function status(worker: WorkerProcess): Promise<Status | undefined> {
  const response = await fetch(`${worker.url}/connectors/${CONNECTOR}/status`).catch(() => undefined);
  return response?.status === 200 ? ((await response.json()) as Status) : undefined;
}

function sinkLines(): string[] {
  const path = join(dir, 'sink.txt');
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

const records = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `record ${from + i}`);

async function produce(from: number, to: number): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  try {
    await producer.sendBatch(
      records(from, to).map((value, i) => ({ topic: TOPIC, partition: (from + i) % PARTITIONS, key: null, value })),
    );
  } finally {
    await producer.close();
  }
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-failover-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }]);
  await admin.close();
});

after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('two workers, a connector with four tasks: kill -9 one worker and the other runs all four, nothing lost', async () => {
  for (const name of ['a', 'b']) {
    workers.push(await WorkerProcess.start(dir, [workerProperties(name)], 30_000, CONNECT_DISTRIBUTED_SH));
  }
  const [a, b] = workers as [WorkerProcess, WorkerProcess];
  await produce(0, 100);
  // Created through the second worker; if it is not the leader it forwards the write.
  const deadline = Date.now() + 20_000;
  let created: Response;
  do {
    created = await fetch(`${b.url}/connectors/${CONNECTOR}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        'connector.class': 'FileStreamSink',
        'tasks.max': String(PARTITIONS),
        file: join(dir, 'sink.txt'),
        topics: TOPIC,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      }),
    });
    if (created.status !== 409) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  assert.equal(created.status, 201, await created.text());

  const urlOf = (workerId: string) => workers.find((w) => w.url.endsWith(`:${workerId.split(':')[1]}`));
  let before: Status | undefined;
  await waitFor(
    'four RUNNING tasks spread over both workers',
    async () => {
      before = await status(a);
      return (
        before !== undefined &&
        before.tasks.length === PARTITIONS &&
        before.tasks.every((t) => t.state === 'RUNNING') &&
        new Set(before.tasks.map((t) => t.worker_id)).size === 2
      );
    },
    40_000,
  );
  await waitFor('the first 100 records in sink.txt', () => new Set(sinkLines()).size >= 100, 30_000);

  // The victim is the worker that does not run the connector itself (either would do; this one
  // keeps the survivor's connector instance out of the picture).
  const victimId = before!.tasks.find((t) => t.worker_id !== before!.connector.worker_id)!.worker_id;
  const victim = urlOf(victimId)!;
  const survivor = victim === a ? b : a;
  const survivorId = before!.connector.worker_id;
  await victim.kill();
  await produce(100, 200);

  await waitFor(
    'all four tasks RUNNING on the survivor',
    async () => {
      const s = await status(survivor);
      return (
        s !== undefined &&
        s.tasks.length === PARTITIONS &&
        s.tasks.every((t) => t.state === 'RUNNING' && t.worker_id === survivorId)
      );
    },
    40_000,
  );
  await produce(200, 300);
  await waitFor('all 300 records in sink.txt', () => new Set(sinkLines()).size >= 300, 30_000);
  const lines = sinkLines();
  assert.deepEqual(new Set(lines), new Set(records(0, 300)));
  console.log(`# duplicates after kill -9 (at-least-once): ${lines.length - 300}`);
});
