/**
 * The console's HTTP API against a real Samsa broker: every page's call, and the 4xx answers
 * (JSON message, no stack trace) for invalid names and values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Consumer } from '@samsa/client';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

describe('console API', () => {
  let fx: ConsoleFixture;
  before(async () => {
    fx = await startConsole();
  });
  after(async () => {
    await fx?.close();
  });

  test('cluster overview lists the broker as controller', async () => {
    const { status, json } = await fx.call('GET', '/clusters/local');
    assert.equal(status, 200);
    assert.equal(typeof json.clusterId, 'string');
    assert.deepEqual(json.brokers, [
      { nodeId: 0, host: '127.0.0.1', port: Number(fx.broker.bootstrap.split(':')[1]), rack: null, controller: true },
    ]);
  });

  test('create, describe, add partitions, produce, browse, download and delete a topic', async () => {
    const created = await fx.call('POST', '/clusters/local/topics', {
      name: 'api-orders',
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '3600000' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const listed = await fx.call('GET', '/clusters/local/topics');
    assert.deepEqual(
      (listed.json.topics as { name: string }[]).find((t) => t.name === 'api-orders'),
      {
        name: 'api-orders',
        internal: false,
        partitions: 2,
        replicationFactor: 1,
        underReplicated: 0,
        offline: 0,
        size: '0',
        messagesPerSec: null,
      },
    );
    assert.equal(
      (await fx.call('POST', '/clusters/local/topics/api-orders/partitions', { totalCount: 3 })).status,
      200,
    );

    const produced = await fx.call('POST', '/clusters/local/topics/api-orders/messages', {
      key: 'k1',
      value: '{"id":1}',
      headers: { source: 'test' },
      partition: 1,
    });
    assert.deepEqual(produced, { status: 201, json: { topic: 'api-orders', partition: 1, offset: '0' } });
    const huge = 'x'.repeat(10000);
    await fx.call('POST', '/clusters/local/topics/api-orders/messages', { value: huge, partition: 1 });

    const topic = await fx.call('GET', '/clusters/local/topics/api-orders');
    const partitions = topic.json.partitions as { partition: number; logEndOffset: string; leader: number }[];
    assert.equal(partitions.length, 3);
    assert.equal(partitions[1]?.logEndOffset, '2');
    const configs = topic.json.configs as { name: string; value: string; isDefault: boolean }[];
    assert.equal(configs.find((c) => c.name === 'retention.ms')?.value, '3600000');

    const browsed = await fx.call(
      'GET',
      '/clusters/local/topics/api-orders/partitions/1/messages?offset=0&encoding=json',
    );
    const records = browsed.json.records as {
      offset: string;
      key: string;
      value: string;
      truncated: boolean;
      valueBytes: number;
      headers: unknown;
    }[];
    assert.equal(records.length, 2);
    assert.equal(records[0]?.value, '{\n  "id": 1\n}');
    assert.deepEqual(records[0]?.headers, [{ key: 'source', value: 'test' }]);
    assert.equal(records[1]?.truncated, true);
    assert.equal(records[1]?.valueBytes, 10000);
    const latest = await fx.call('GET', '/clusters/local/topics/api-orders/partitions/1/messages?limit=1&encoding=hex');
    assert.deepEqual(
      (latest.json.records as { offset: string }[]).map((r) => r.offset),
      ['1'],
    );
    const download = await fetch(`${fx.server.url}/api/clusters/local/topics/api-orders/partitions/1/messages/1/value`);
    assert.equal(download.status, 200);
    assert.equal(await download.text(), huge);

    assert.equal((await fx.call('DELETE', '/clusters/local/topics/api-orders')).status, 204);
    assert.equal((await fx.call('GET', '/clusters/local/topics/api-orders')).status, 404);
  });

  test('group lag, reset refused while active, dry run then execute, delete', async () => {
    await fx.call('POST', '/clusters/local/topics', { name: 'api-lag', partitions: 1, replicationFactor: 1 });
    for (let i = 0; i < 5; i++) await fx.call('POST', '/clusters/local/topics/api-lag/messages', { value: `m${i}` });
    const consumer = new Consumer({
      'bootstrap.servers': fx.broker.bootstrap,
      'group.id': 'api-group',
      'auto.offset.reset': 'earliest',
      // Only the commit below: closing would otherwise commit the positions.
      'enable.auto.commit': false,
    });
    try {
      consumer.subscribe(['api-lag']);
      let seen = 0;
      while (seen < 5) seen += (await consumer.poll({ timeoutMs: 1000 })).length;
      await consumer.commitSync([{ topic: 'api-lag', partition: 0, offset: 2n }]);
      const groups = await fx.call('GET', '/clusters/local/groups');
      assert.deepEqual(
        (groups.json.groups as { groupId: string }[]).find((g) => g.groupId === 'api-group'),
        { groupId: 'api-group', state: 'Stable', protocolType: 'consumer', members: 1, totalLag: '3' },
      );
      const refused = await fx.call('POST', '/clusters/local/groups/api-group/reset-offsets', {
        topic: 'api-lag',
        to: 'earliest',
        execute: true,
      });
      assert.equal(refused.status, 409);
      assert.equal(refused.json.error, 'GROUP_ACTIVE');
    } finally {
      await consumer.close();
    }
    const preview = await fx.call('POST', '/clusters/local/groups/api-group/reset-offsets', {
      topic: 'api-lag',
      to: 'offset',
      offset: '4',
    });
    assert.deepEqual(preview.json, {
      groupId: 'api-group',
      topic: 'api-lag',
      dryRun: true,
      offsets: [{ partition: 0, newOffset: '4' }],
    });
    // --shift-by from the committed offset 2, kept within the log (0..5).
    for (const [by, expected] of [
      ['2', '4'],
      [-1, '1'],
      ['-9', '0'],
      [9, '5'],
    ] as const) {
      const shifted = await fx.call('POST', '/clusters/local/groups/api-group/reset-offsets', {
        topic: 'api-lag',
        to: 'shift',
        shift: by,
      });
      assert.deepEqual(shifted.json.offsets, [{ partition: 0, newOffset: expected }], `shift by ${by}`);
    }
    const noCommit = await fx.call('POST', '/clusters/local/groups/never-committed/reset-offsets', {
      topic: 'api-lag',
      to: 'shift',
      shift: 1,
    });
    assert.equal(noCommit.status, 400);
    assert.match(
      String(noCommit.json.message),
      /Cannot shift offset for partition api-lag-0 since there is no current committed offset/,
    );
    // The dry runs wrote nothing.
    const unchanged = (await fx.call('GET', '/clusters/local/groups/api-group')).json.offsets as {
      committedOffset: string;
    }[];
    assert.equal(unchanged[0]?.committedOffset, '2');
    const executed = await fx.call('POST', '/clusters/local/groups/api-group/reset-offsets', {
      topic: 'api-lag',
      to: 'timestamp',
      timestamp: '0',
      execute: true,
    });
    assert.equal(executed.status, 200, JSON.stringify(executed.json));
    const group = await fx.call('GET', '/clusters/local/groups/api-group');
    assert.deepEqual(group.json.offsets, [
      { topic: 'api-lag', partition: 0, committedOffset: '0', logEndOffset: '5', lag: '5' },
    ]);
    assert.equal((await fx.call('DELETE', '/clusters/local/groups/api-group')).status, 204);
    assert.equal((await fx.call('GET', '/clusters/local/groups/api-group')).status, 404);
  });

  test('invalid names and values get a 4xx with a JSON message, never a stack trace', async () => {
    const cases: [string, string, unknown, number][] = [
      ['POST', '/clusters/local/topics', { name: 'bad name!' }, 400],
      ['POST', '/clusters/local/topics', { name: 'ok', partitions: 0 }, 400],
      ['POST', '/clusters/local/topics', { name: 'ok', partitions: 'many' }, 400],
      ['POST', '/clusters/local/topics', '[1,2]', 400],
      ['POST', '/clusters/local/topics', '{not json', 400],
      ['GET', '/clusters/local/topics/no-such-topic', undefined, 404],
      ['GET', '/clusters/nowhere/topics', undefined, 404],
      ['GET', '/clusters/local/topics/x/partitions/-1/messages', undefined, 400],
      ['GET', '/clusters/local/topics/x/partitions/0/messages?encoding=base64', undefined, 400],
      ['GET', '/clusters/local/topics/x/partitions/0/messages?offset=abc', undefined, 400],
      ['POST', '/clusters/local/groups/g/reset-offsets', { topic: 'x', to: 'yesterday' }, 400],
      ['POST', '/clusters/local/groups/g/reset-offsets', { topic: 'x', to: 'shift', shift: '1.5' }, 400],
      ['POST', '/clusters/local/topics/x/messages', { value: 42 }, 400],
      ['GET', '/nothing-here', undefined, 404],
    ];
    for (const [method, path, body, expected] of cases) {
      const { status, json } = await fx.call(method, path, body);
      assert.equal(status, expected, `${method} ${path}: ${JSON.stringify(json)}`);
      assert.equal(typeof json.message, 'string', `${method} ${path}`);
      assert.doesNotMatch(JSON.stringify(json), /at .*\.js:\d+/, `${method} ${path} leaks a stack trace`);
    }
    const created = await fx.call('POST', '/clusters/local/topics', {
      name: 'api-dup',
      partitions: 1,
      replicationFactor: 1,
    });
    assert.equal(created.status, 201);
    const again = await fx.call('POST', '/clusters/local/topics', {
      name: 'api-dup',
      partitions: 1,
      replicationFactor: 1,
    });
    assert.deepEqual([again.status, again.json.error], [409, 'TOPIC_ALREADY_EXISTS']);
  });
});
