import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Consumer, type ConsumerRecord } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess, waitFor } from '../support/worker-process.js';

// KIP-976 across real worker processes: `scope=cluster` on one worker writes a
// `logger-cluster-<namespace>` record to the config topic and every running worker applies it;
// `scope=worker` stays on the worker asked.

const NAMESPACE = 'org.apache.kafka.connect.runtime.distributed';
const HERDER = `${NAMESPACE}.DistributedHerder`;

let broker: BrokerProcess;
let dir: string;
const workers: WorkerProcess[] = [];

async function startWorker(name: string): Promise<WorkerProcess> {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const path = join(dir, `${name}.properties`);
  writeFileSync(
    path,
    shipped
      .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
      .concat(['', 'listeners=http://127.0.0.1:0', 'rest.advertised.host.name=127.0.0.1', ''].join('\n')),
  );
  const worker = await WorkerProcess.start(dir, [path], 30_000, CONNECT_DISTRIBUTED_SH);
  workers.push(worker);
  return worker;
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

async function levelOf(worker: WorkerProcess, logger: string): Promise<string | undefined> {
  const { status, json } = await call('GET', `${worker.url}/admin/loggers/${logger}`);
  return status === 200 ? (json as { level: string }).level : undefined;
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-loggers-'));
});

after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('scope=cluster reaches every worker through the config topic; scope=worker stays local', async () => {
  const a = await startWorker('a');
  const b = await startWorker('b');
  assert.equal(await levelOf(b, HERDER), 'INFO');

  assert.deepEqual(await call('PUT', `${a.url}/admin/loggers/${NAMESPACE}?scope=cluster`, { level: 'DEBUG' }), {
    status: 204,
    json: null,
  });
  await waitFor('both workers at DEBUG', async () => {
    return (await levelOf(a, HERDER)) === 'DEBUG' && (await levelOf(b, HERDER)) === 'DEBUG';
  });

  // The record, in Kafka's format, as a Java worker would read it.
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const partitions = [{ topic: 'connect-configs', partition: 0 }];
  consumer.assign(partitions);
  consumer.seekToBeginning(partitions);
  const records: ConsumerRecord<Buffer, Buffer>[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !records.some((r) => r.key?.toString() === `logger-cluster-${NAMESPACE}`)) {
    records.push(...(await consumer.poll({ timeoutMs: 200 })));
  }
  await consumer.close();
  const record = records.find((r) => r.key?.toString() === `logger-cluster-${NAMESPACE}`);
  assert.equal(record?.value?.toString(), '{"level":"DEBUG"}');

  const local = await call('PUT', `${b.url}/admin/loggers/${HERDER}`, { level: 'TRACE' });
  assert.deepEqual(local, { status: 200, json: [HERDER] });
  assert.equal(await levelOf(b, HERDER), 'TRACE');
  assert.equal(await levelOf(a, HERDER), 'DEBUG');

  // A worker that joins later does not apply levels written before it started (Kafka's rule).
  const c = await startWorker('c');
  assert.equal(await levelOf(c, HERDER), 'INFO');
});
