/**
 * Topic configs (with their sources), leader elections and reassignment plans through the HTTP
 * API against a real single Samsa broker, and the 4xx answers for bad input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

describe('console API: topic configs, elections, reassignment plans', () => {
  let fx: ConsoleFixture;
  before(async () => {
    fx = await startConsole();
    const created = await fx.call('POST', '/clusters/local/topics', {
      name: 'cfg',
      partitions: 2,
      replicationFactor: 1,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
  });
  after(async () => {
    await fx?.close();
  });

  type Config = { name: string; value: string | null; source: string; documentation: string | null };
  const configs = async () => (await fx.call('GET', '/clusters/local/topics/cfg/configs')).json.configs as Config[];

  test('configs are listed with their source and documentation, set and deleted', async () => {
    const before = (await configs()).find((c) => c.name === 'retention.ms');
    assert.equal(before?.source, 'DEFAULT_CONFIG');
    assert.match(before?.documentation ?? '', /deleted/);
    const set = await fx.call('PATCH', '/clusters/local/topics/cfg/configs', {
      set: { 'retention.ms': '7200000', 'cleanup.policy': 'compact' },
    });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    const afterSet = await configs();
    assert.deepEqual(
      afterSet
        .filter((c) => c.name === 'retention.ms' || c.name === 'cleanup.policy')
        .map((c) => [c.name, c.value, c.source]),
      [
        ['cleanup.policy', 'compact', 'DYNAMIC_TOPIC_CONFIG'],
        ['retention.ms', '7200000', 'DYNAMIC_TOPIC_CONFIG'],
      ].sort(),
    );
    const deleted = await fx.call('PATCH', '/clusters/local/topics/cfg/configs', { delete: ['retention.ms'] });
    assert.equal(deleted.status, 200);
    const restored = (await configs()).find((c) => c.name === 'retention.ms');
    assert.equal(restored?.source, 'DEFAULT_CONFIG');
    assert.equal((await configs()).find((c) => c.name === 'cleanup.policy')?.value, 'compact');
  });

  test('invalid config edits are 400s with a message, and change nothing', async () => {
    for (const body of [
      { set: { 'retention.ms': 'an hour' } },
      { set: { 'cleanup.policy': 'forever' } },
      { set: { 'Bad Name': '1' } },
      { delete: 'retention.ms' },
      {},
      { set: { 'retention.ms': '1' }, delete: ['retention.ms'] },
    ]) {
      const r = await fx.call('PATCH', '/clusters/local/topics/cfg/configs', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.json.message, 'string');
    }
    assert.equal((await configs()).find((c) => c.name === 'retention.ms')?.source, 'DEFAULT_CONFIG');
    const missing = await fx.call('GET', '/clusters/local/topics/no-such-topic/configs');
    assert.ok(missing.status >= 400 && missing.status < 600);
  });

  test('the config documentation table is served', async () => {
    const r = await fx.call('GET', '/topic-config-docs');
    const names = (r.json.configs as { name: string }[]).map((c) => c.name);
    assert.ok(names.includes('min.insync.replicas'));
  });

  test('a preferred election on a single broker is not needed', async () => {
    const r = await fx.call('POST', '/clusters/local/elections', { topic: 'cfg' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(
      (r.json.results as { partition: number; error: string | null }[]).map((x) => [x.partition, x.error]),
      [
        [0, 'ELECTION_NOT_NEEDED'],
        [1, 'ELECTION_NOT_NEEDED'],
      ],
    );
    assert.equal((await fx.call('POST', '/clusters/local/elections', { topic: 'cfg', type: 'random' })).status, 400);
    assert.equal((await fx.call('POST', '/clusters/local/elections', { topic: 'cfg', partitions: [-1] })).status, 400);
  });

  test('a plan keeps partitions and RF; bad plans and unknown brokers are 400s', async () => {
    const plan = await fx.call('POST', '/clusters/local/reassignments/plan', { topics: ['cfg'], brokers: [0] });
    assert.equal(plan.status, 200, JSON.stringify(plan.json));
    assert.deepEqual((plan.json.proposed as { partitions: unknown[] }).partitions, [
      { topic: 'cfg', partition: 0, replicas: [0], log_dirs: ['any'] },
      { topic: 'cfg', partition: 1, replicas: [0], log_dirs: ['any'] },
    ]);
    assert.equal(
      (await fx.call('POST', '/clusters/local/reassignments/plan', { topics: ['cfg'], brokers: [7] })).status,
      400,
    );
    assert.equal(
      (await fx.call('POST', '/clusters/local/reassignments/plan', { topics: [], brokers: [0] })).status,
      400,
    );
    const unknownBroker = await fx.call('POST', '/clusters/local/reassignments', {
      version: 1,
      partitions: [{ topic: 'cfg', partition: 0, replicas: [5] }],
    });
    assert.equal(unknownBroker.status, 400);
    assert.equal((await fx.call('POST', '/clusters/local/reassignments', { version: 1 })).status, 400);
    assert.deepEqual((await fx.call('GET', '/clusters/local/reassignments')).json, { reassignments: [] });
  });
});

describe('console API: brokers, sizes', () => {
  let fx: ConsoleFixture;
  before(async () => {
    fx = await startConsole();
  });
  after(async () => {
    await fx?.close();
  });

  test('brokers with partitions led and log dirs; topic and partition sizes from the log dirs', async () => {
    await fx.call('POST', '/clusters/local/topics', { name: 'sized', partitions: 2, replicationFactor: 1 });
    const produced = await fx.call('POST', '/clusters/local/topics/sized/messages', {
      value: 'x'.repeat(1000),
      partition: 1,
    });
    assert.equal(produced.status, 201);
    const brokers = await fx.call('GET', '/clusters/local/brokers');
    assert.equal(brokers.status, 200, JSON.stringify(brokers.json));
    const [broker] = brokers.json.brokers as {
      partitionsLed: number;
      logDirs: { sizeBytes: string; totalBytes: string | null }[];
      apiCount: number | null;
    }[];
    assert.ok(broker !== undefined && broker.partitionsLed >= 2);
    assert.equal(broker.logDirs.length, 1);
    assert.ok(Number(broker.logDirs[0]?.sizeBytes) > 1000);
    assert.ok((broker.apiCount ?? 0) > 10);
    const topic = await fx.call('GET', '/clusters/local/topics/sized');
    const sizes = (topic.json.partitions as { size: string | null }[]).map((p) => Number(p.size));
    assert.equal(sizes[0], 0);
    assert.ok((sizes[1] ?? 0) > 1000);
    const listed = (await fx.call('GET', '/clusters/local/topics')).json.topics as {
      name: string;
      size: string;
      offline: number;
    }[];
    const row = listed.find((t) => t.name === 'sized');
    assert.equal(row?.size, String(sizes[1]));
    assert.equal(row?.offline, 0);
  });
});

describe('console API: throughput', () => {
  let fx: ConsoleFixture;
  before(async () => {
    fx = await startConsole();
  });
  after(async () => {
    await fx?.close();
  });

  test('messages in per second are measured from end offsets as records arrive', async () => {
    await fx.call('POST', '/clusters/local/topics', { name: 'busy', partitions: 1, replicationFactor: 1 });
    const first = await fx.call('GET', '/clusters/local/throughput');
    assert.equal(first.status, 200);
    let seen = 0;
    for (let round = 0; round < 200 && seen === 0; round++) {
      for (let i = 0; i < 5; i++)
        await fx.call('POST', '/clusters/local/topics/busy/messages', { value: 'x'.repeat(100) });
      const points = (await fx.call('GET', '/clusters/local/throughput')).json.points as {
        messagesInPerSec: number;
        bytesInPerSec: number;
      }[];
      seen = points.filter((p) => p.messagesInPerSec > 0 && p.bytesInPerSec > 0).length;
    }
    assert.ok(seen > 0, 'no point with messages and bytes in');
    const listed = (await fx.call('GET', '/clusters/local/topics')).json.topics as {
      name: string;
      messagesPerSec: number | null;
    }[];
    assert.equal(typeof listed.find((t) => t.name === 'busy')?.messagesPerSec, 'number');
  });
});
