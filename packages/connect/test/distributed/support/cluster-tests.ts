import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, type ConsumerRecord } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess, waitFor } from '../../support/worker-process.js';

// A Connect cluster of real processes: bin/connect-distributed.sh with the shipped
// config/connect-distributed.properties (bootstrap, listener and timings changed for the test)
// against a real broker. Short session timeouts so a killed worker's work moves within seconds.
// The same scenario runs once per `connect.protocol` (one test file each).

export type Protocol = 'eager' | 'compatible' | 'sessioned';

let broker: BrokerProcess;
let dir: string;
let protocol: Protocol;
const workers: WorkerProcess[] = [];

function workerProperties(name: string): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const path = join(dir, `${name}.properties`);
  writeFileSync(
    path,
    shipped
      .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
      .concat(
        [
          '',
          'listeners=http://127.0.0.1:0',
          'rest.advertised.host.name=127.0.0.1',
          'offset.flush.interval.ms=300',
          'session.timeout.ms=6000',
          'heartbeat.interval.ms=1000',
          'rebalance.timeout.ms=10000',
          'consumer.session.timeout.ms=6000',
          'consumer.heartbeat.interval.ms=1000',
          `connect.protocol=${protocol}`,
          'scheduled.rebalance.max.delay.ms=2000',
          '',
        ].join('\n'),
      ),
  );
  return path;
}

async function startWorker(name: string): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start(dir, [workerProperties(name)], 30_000, CONNECT_DISTRIBUTED_SH);
  workers.push(worker);
  return worker;
}

/**
 * One REST call; a 409 saying a rebalance is under way (the group is still forming) is retried
 * for up to 20 s, as Kafka's clients are told to.
 */
async function rest(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await restOnce(method, url, body);
    const message = (result.json as { message?: string } | null)?.message ?? '';
    if (result.status !== 409 || !message.includes('rebalance') || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function restOnce(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

async function status(worker: WorkerProcess, connector: string): Promise<Status | undefined> {
  const { status: code, json } = await rest('GET', `${worker.url}/connectors/${connector}/status`).catch(() => ({
    status: 0,
    json: null,
  }));
  return code === 200 ? (json as Status) : undefined;
}

function sinkLines(): string[] {
  const path = join(dir, 'sink.txt');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Every record of a topic, read with the client from the beginning (no group). */
async function readTopic(topic: string): Promise<ConsumerRecord<Buffer, Buffer>[]> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  const [description] = await admin.describeTopics([topic]);
  await admin.close();
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const partitions = description!.partitions.map((p) => ({ topic, partition: p.partition }));
  consumer.assign(partitions);
  consumer.seekToBeginning(partitions);
  const ends = await consumer.endOffsets(partitions);
  const total = ends.reduce((sum, e) => sum + Number(e.offset), 0);
  const out: ConsumerRecord<Buffer, Buffer>[] = [];
  const deadline = Date.now() + 10_000;
  while (out.length < total && Date.now() < deadline) out.push(...(await consumer.poll({ timeoutMs: 200 })));
  await consumer.close();
  return out;
}

const SOURCE = 'local-file-source';
const SINK = 'local-file-sink';

/** Registers the scenario's hooks and tests for one protocol. */
export function clusterTests(forProtocol: Protocol): void {
  protocol = forProtocol;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    dir = mkdtempSync(join(tmpdir(), 'samsa-connect-distributed-'));
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    await admin.createTopics([{ name: 'connect-test', numPartitions: 2, replicationFactor: 1 }]);
    await admin.close();
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    if (process.env.CONNECT_TEST_DEBUG !== undefined) {
      for (const w of workers) console.log(`# ---- worker ${w.url}\n${w.output.replace(/^/gm, '# ')}`);
    }
    await broker?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('a Connect cluster of three workers: configs through any worker, work spread, a killed worker’s tasks move without losing a line, a restarted worker resumes from the offset topic', async () => {
    const w1 = await startWorker('w1');
    const w2 = await startWorker('w2');
    const w3 = await startWorker('w3');
    const all = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);
    writeFileSync(join(dir, 'source.txt'), `${lines(0, 50).join('\n')}\n`);

    // Created through different workers: whichever is not the leader forwards to it.
    const sourceConfig = {
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: join(dir, 'source.txt'),
      topic: 'connect-test',
    };
    const created = await rest('POST', `${w1.url}/connectors`, { name: SOURCE, config: sourceConfig });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const sink = await rest('PUT', `${w2.url}/connectors/${SINK}/config`, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '2',
      file: join(dir, 'sink.txt'),
      topics: 'connect-test',
    });
    assert.equal(sink.status, 201, JSON.stringify(sink.json));
    const duplicate = await rest('POST', `${w3.url}/connectors`, { name: SOURCE, config: sourceConfig });
    assert.equal(duplicate.status, 409);
    assert.deepEqual(duplicate.json, { error_code: 409, message: `Connector ${SOURCE} already exists` });

    // Visible everywhere, running, and spread: 2 connectors + 3 tasks over 3 workers.
    for (const w of [w1, w2, w3]) {
      await waitFor(`both connectors listed by ${w.url}`, async () => {
        const { json } = await rest('GET', `${w.url}/connectors`);
        return JSON.stringify(json) === JSON.stringify([SINK, SOURCE]);
      });
    }
    const running = async (w: WorkerProcess, name: string, tasks: number) => {
      const s = await status(w, name);
      return (
        s !== undefined &&
        s.connector.state === 'RUNNING' &&
        s.tasks.length === tasks &&
        s.tasks.every((t) => t.state === 'RUNNING')
      );
    };
    await waitFor(
      'every connector and task RUNNING',
      async () => (await running(w3, SOURCE, 1)) && (await running(w3, SINK, 2)),
      30_000,
    );
    const placements = new Set<string>();
    for (const name of [SOURCE, SINK]) {
      const s = (await status(w1, name))!;
      placements.add(s.connector.worker_id);
      for (const t of s.tasks) placements.add(t.worker_id);
    }
    assert.equal(placements.size, 3, `work on every worker: ${[...placements].join(', ')}`);
    await waitFor('the first 50 lines in sink.txt', () => new Set(sinkLines()).size >= 50, 30_000);
    // Their source offset reaches the offset topic within offset.flush.interval.ms (the sink
    // commits on the same interval).
    const offsetKey = JSON.stringify([SOURCE, { filename: join(dir, 'source.txt') }]);
    const fileLength = readFileSync(join(dir, 'source.txt')).length;
    await waitFor('the offset of line 49 in the offset topic', async () => {
      const last = (await readTopic('connect-offsets')).filter((r) => r.key?.toString() === offsetKey).at(-1);
      return last?.value?.toString() === `{"position":${fileLength}}`;
    });
    await new Promise((r) => setTimeout(r, 1000));

    // kill -9 the worker running the source task: after the session timeout a survivor runs it,
    // from the offsets the dead worker flushed to the offset topic.
    const sourceTaskWorker = (await status(w1, SOURCE))!.tasks[0]!.worker_id;
    const victim = all().find((w) => w.url.endsWith(`:${sourceTaskWorker.split(':')[1]}`))!;
    appendFileSync(join(dir, 'source.txt'), `${lines(50, 100).join('\n')}\n`);
    await victim.kill();
    appendFileSync(join(dir, 'source.txt'), `${lines(100, 150).join('\n')}\n`);
    const survivors = all();
    assert.equal(survivors.length, 2);
    await waitFor(
      'the source task running on a survivor',
      async () => {
        const s = await status(survivors[0]!, SOURCE);
        return s?.tasks[0]?.state === 'RUNNING' && s.tasks[0].worker_id !== sourceTaskWorker;
      },
      40_000,
    );
    await waitFor('all 150 lines in sink.txt', () => new Set(sinkLines()).size >= 150, 40_000);
    const afterKill = sinkLines();
    assert.deepEqual(new Set(afterKill), new Set(lines(0, 150)));
    const duplicatesAfterKill = afterKill.length - 150;
    console.log(`# duplicates after kill -9 (at-least-once): ${duplicatesAfterKill}`);
    // What was flushed before the kill is not sent again: the survivor resumed from the topic.
    for (const line of lines(0, 50)) assert.equal(afterKill.filter((l) => l === line).length, 1, line);

    // The killed worker comes back (a clean rebalance: every task stops and flushes first).
    const back = await startWorker('w1-restarted');
    await waitFor(
      'three workers again',
      async () => {
        const s = await status(back, SINK);
        if (s === undefined) return false;
        const ids = new Set([s.connector.worker_id, ...s.tasks.map((t) => t.worker_id)]);
        return s.tasks.every((t) => t.state === 'RUNNING') && ids.size >= 2;
      },
      40_000,
    );
    await waitFor(
      'all RUNNING',
      async () => (await running(back, SOURCE, 1)) && (await running(back, SINK, 2)),
      30_000,
    );
    appendFileSync(join(dir, 'source.txt'), `${lines(150, 200).join('\n')}\n`);
    await waitFor('all 200 lines in sink.txt', () => new Set(sinkLines()).size >= 200, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const final = sinkLines();
    assert.deepEqual(new Set(final), new Set(lines(0, 200)));
    console.log(`# duplicates in total: ${final.length - 200}`);
    assert.equal(final.length - 200, duplicatesAfterKill, 'a clean rebalance adds no duplicates');
  });

  test("the config, offset and status topics hold Kafka Connect's record formats", async () => {
    const configs = await readTopic('connect-configs');
    const byKey = new Map(configs.map((r) => [r.key!.toString(), r.value?.toString() ?? null]));
    assert.equal(
      byKey.get(`connector-${SOURCE}`),
      JSON.stringify({
        properties: {
          'connector.class': 'FileStreamSource',
          'tasks.max': '1',
          file: join(dir, 'source.txt'),
          topic: 'connect-test',
          name: SOURCE,
        },
      }),
    );
    assert.equal(
      byKey.get(`task-${SOURCE}-0`),
      `{"properties":{"file":${JSON.stringify(join(dir, 'source.txt'))},"topic":"connect-test","batch.size":"2000","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask"}}`,
    );
    assert.equal(byKey.get(`commit-${SOURCE}`), '{"tasks":1}');
    assert.equal(byKey.get(`commit-${SINK}`), '{"tasks":2}');
    // KIP-507: the sessioned leader's key for signing internal requests.
    if (protocol === 'sessioned') {
      assert.match(
        byKey.get('session-key') ?? '',
        /^\{"key":"[A-Za-z0-9+/]{43}=","algorithm":"HmacSHA256","creation-timestamp":\d+\}$/,
      );
    } else assert.equal(byKey.has('session-key'), false);
    // Records of one connector: config first, then its tasks, then the commit.
    const keys = configs.map((r) => r.key!.toString());
    assert.ok(keys.indexOf(`connector-${SOURCE}`) < keys.indexOf(`task-${SOURCE}-0`));
    assert.ok(keys.indexOf(`task-${SOURCE}-0`) < keys.indexOf(`commit-${SOURCE}`));
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const [description] = await admin.describeTopics(['connect-configs', 'connect-offsets', 'connect-status']);
    await admin.close();
    assert.equal(description!.partitions.length, 1);

    const offsets = await readTopic('connect-offsets');
    const last = offsets
      .filter((r) => r.key!.toString() === JSON.stringify([SOURCE, { filename: join(dir, 'source.txt') }]))
      .at(-1);
    assert.ok(last !== undefined, 'an offset record keyed ["<connector>",{partition}]');
    assert.match(last.value!.toString(), /^\{"position":\d+\}$/);
    assert.equal(JSON.parse(last.value!.toString()).position, readFileSync(join(dir, 'source.txt')).length);

    // The last status of the source task, once no rebalance is moving it (UNASSIGNED meanwhile).
    let task: string | undefined;
    await waitFor('a RUNNING status for the source task', async () => {
      const statuses = await readTopic('connect-status');
      task = statuses
        .filter((r) => r.key!.toString() === `status-task-${SOURCE}-0`)
        .at(-1)
        ?.value?.toString();
      return task?.startsWith('{"state":"RUNNING"') === true;
    });
    assert.match(task!, /^\{"state":"RUNNING","trace":null,"worker_id":"127\.0\.0\.1:\d+","generation":\d+\}$/);
  });

  test('pause, resume and delete through a worker that is not the leader; bad input gets Kafka’s message', async () => {
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    for (const w of live) {
      const paused = await rest('PUT', `${w.url}/connectors/${SOURCE}/pause`);
      assert.equal(paused.status, 202);
    }
    await waitFor('the source PAUSED', async () => (await status(live[0]!, SOURCE))?.connector.state === 'PAUSED');
    assert.equal((await rest('PUT', `${live[1]!.url}/connectors/${SOURCE}/resume`)).status, 202);
    await waitFor('the source RUNNING', async () => (await status(live[0]!, SOURCE))?.connector.state === 'RUNNING');

    // KIP-875's stop drops the tasks; resume brings them back (through the connector's worker).
    assert.equal((await rest('PUT', `${live[2]!.url}/connectors/${SOURCE}/stop`)).status, 204);
    await waitFor('the source STOPPED without tasks', async () => {
      const s = await status(live[0]!, SOURCE);
      return s?.connector.state === 'STOPPED' && s.tasks.length === 0;
    });
    // Kafka's records for it: the target state (PAUSED for readers older than KIP-875) and an
    // empty task set.
    const stopped = (await readTopic('connect-configs')).map((r) => [r.key!.toString(), r.value?.toString() ?? null]);
    const lastOf = (key: string) => stopped.filter(([k]) => k === key).at(-1)?.[1];
    assert.equal(lastOf(`target-state-${SOURCE}`), '{"state":"PAUSED","state.v2":"STOPPED"}');
    assert.equal(lastOf(`commit-${SOURCE}`), '{"tasks":0}');
    assert.equal((await rest('PUT', `${live[0]!.url}/connectors/${SOURCE}/resume`)).status, 202);
    await waitFor('the source and its task RUNNING again', async () => {
      const s = await status(live[1]!, SOURCE);
      return s?.connector.state === 'RUNNING' && s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING';
    });

    // A restart asked of any worker is done by the worker running the connector.
    for (const w of live) {
      const restarted = await rest('POST', `${w.url}/connectors/${SINK}/restart?includeTasks=true`);
      assert.equal(restarted.status, 202, JSON.stringify(restarted.json));
      assert.equal((restarted.json as Status).connector.state, 'RESTARTING');
    }
    await waitFor('the sink RUNNING after its restarts', async () => {
      const s = await status(live[0]!, SINK);
      return s?.connector.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING');
    });

    // A config change through a non-leader reaches the connector's worker; new task configs follow.
    const updated = await rest('PUT', `${live[1]!.url}/connectors/${SOURCE}/config`, {
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: join(dir, 'source.txt'),
      topic: 'connect-test',
      'batch.size': '100',
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.json));
    await waitFor('the new task config', async () => {
      const { json } = await rest('GET', `${live[2]!.url}/connectors/${SOURCE}/tasks`);
      return (json as { config: Record<string, string> }[])[0]?.config['batch.size'] === '100';
    });
    appendFileSync(join(dir, 'source.txt'), 'after the update\n');
    await waitFor('the line appended after the update', () => sinkLines().includes('after the update'));

    if (protocol === 'sessioned') {
      // Kafka's internal endpoint refuses task configs that are not signed with the session key.
      const unsigned = await rest('POST', `${live[2]!.url}/connectors/${SOURCE}/tasks`, [{ 'task.class': 'x' }]);
      assert.deepEqual(unsigned.json, { error_code: 400, message: 'Internal request missing required signature' });
      const forged = await fetch(`${live[1]!.url}/connectors/${SOURCE}/tasks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'X-Connect-Authorization': Buffer.alloc(32).toString('base64'),
          'X-Connect-Request-Signature-Algorithm': 'HmacSHA256',
        },
        body: '[]',
      });
      assert.equal(forged.status, 403);
      assert.deepEqual(await forged.json(), {
        error_code: 403,
        message: 'Internal request contained invalid signature.',
      });
    }

    const invalid = await rest('POST', `${live[1]!.url}/connectors`, {
      name: 'bad',
      config: { 'connector.class': 'Nope' },
    });
    assert.equal(invalid.status, 400);
    const missing = await rest('GET', `${live[2]!.url}/connectors/nope/status`);
    assert.deepEqual(missing.json, { error_code: 404, message: 'No status found for connector nope' });

    for (const name of [SOURCE, SINK])
      assert.equal((await rest('DELETE', `${live[2]!.url}/connectors/${name}`)).status, 204);
    for (const w of live) {
      await waitFor(
        `no connectors on ${w.url}`,
        async () => JSON.stringify((await rest('GET', `${w.url}/connectors`)).json) === '[]',
      );
    }
    const configs = await readTopic('connect-configs');
    for (const key of [`connector-${SOURCE}`, `target-state-${SOURCE}`]) {
      const tombstone = configs.filter((r) => r.key!.toString() === key).at(-1);
      assert.equal(tombstone?.value, null, key);
    }
    const resumed = configs.filter((r) => r.key!.toString() === `target-state-${SOURCE}`).at(-2);
    assert.equal(resumed?.value?.toString(), '{"state":"STARTED","state.v2":"STARTED"}');
  });
}
