/**
 * `kafka-consumer-groups.sh --describe` of a KIP-848 consumer group (two Samsa consumers with
 * `group.protocol=consumer`, each in its own process), compared with what Kafka 4.0's
 * ConsumerGroupCommand prints for such a group (KIP-1099; the column sets below are those of
 * Kafka's DescribeConsumerGroupTest): `--members --verbose` adds CURRENT-EPOCH,
 * CURRENT-ASSIGNMENT (`topic:0,1`), TARGET-EPOCH and TARGET-ASSIGNMENT; `--state --verbose` adds
 * GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH and names the server assignor; `--offsets --verbose`
 * adds LEADER-EPOCH; `--list --type` says Consumer.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { balanced, describeAssignments, FIXTURES, MemberProcess, waitUntil } from '../support/member-process.js';
import { samsa } from './cli-support.js';

const TOPIC = 'kip848-cli';
const GROUP = 'kip848-cli-group';
const PARTITIONS = 3;

/** A table's lines as whitespace-separated cells (Kafka's tests compare them so). */
const cellsOf = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));

describe('kafka-consumer-groups.sh --describe of a consumer-protocol group', () => {
  let broker: BrokerProcess;
  const members: MemberProcess[] = [];

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'group.consumer.heartbeat.interval.ms': 500 } });
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await admin.createTopics([{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }]);
    } finally {
      await admin.close();
    }
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      await producer.sendBatch(
        Array.from({ length: PARTITIONS * 4 }, (_, i) => ({ topic: TOPIC, partition: i % PARTITIONS, value: `v${i}` })),
      );
    } finally {
      await producer.close();
    }
    for (const name of ['a', 'b']) {
      members.push(
        MemberProcess.spawn(
          name,
          process.execPath,
          [join(FIXTURES, 'samsa_member.mjs')],
          { BOOTSTRAP: broker.bootstrap, GROUP, TOPIC, GROUP_PROTOCOL: 'consumer' },
          true,
        ),
      );
    }
    await waitUntil(
      () => balanced(members, PARTITIONS),
      30000,
      () => describeAssignments(members),
    );
  });
  after(async () => {
    for (const m of members) await m.kill();
    await broker?.close();
  });

  const describeGroup = (...args: string[]) =>
    samsa(['consumer-groups', '--bootstrap-server', broker.bootstrap, '--describe', '--group', GROUP, ...args]);

  test('--members --verbose: epochs and current/target assignments as Kafka 4.0 prints them', async () => {
    // The members commit as they consume; wait until the group has settled (every member at the
    // target epoch, owning its target) before comparing.
    let rows: string[][] = [];
    for (let i = 0; i < 100; i++) {
      const out = await describeGroup('--members', '--verbose');
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stderr, '');
      rows = cellsOf(out.stdout);
      if (rows.slice(1).every((r) => r[5] === r[7] && r[6] === r[8])) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(rows[0], [
      'GROUP',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
      '#PARTITIONS',
      'CURRENT-EPOCH',
      'CURRENT-ASSIGNMENT',
      'TARGET-EPOCH',
      'TARGET-ASSIGNMENT',
    ]);
    const data = rows.slice(1);
    assert.equal(data.length, 2);
    const printed = data.map((r) => r[6]).sort();
    const expected = members.map((m) => `${TOPIC}:${[...m.assignment].sort().join(',')}`).sort();
    assert.deepEqual(printed, expected);
    for (const r of data) {
      assert.equal(r[0], GROUP);
      assert.match(r[1] as string, /^\S{22}$/, 'a KIP-848 member id is a 22-character Uuid string');
      assert.equal(r[4], String((r[6] as string).split(':')[1]?.split(',').length));
      assert.match(r[5] as string, /^\d+$/);
      assert.equal(r[5], r[7], 'a reconciled member is at the target assignment epoch');
      assert.equal(r[6], r[8]);
    }

    const plain = await describeGroup('--members');
    assert.deepEqual(cellsOf(plain.stdout)[0], ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS']);
  });

  test('--state (--verbose): the server assignor, the state and the epochs', async () => {
    const state = await describeGroup('--state');
    assert.equal(state.code, 0, state.stderr);
    const rows = cellsOf(state.stdout);
    assert.deepEqual(rows[0], ['GROUP', 'COORDINATOR', '(ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS']);
    assert.deepEqual(rows[1], [GROUP, `127.0.0.1:${broker.port}`, '(0)', 'uniform', 'Stable', '2']);

    const verbose = await describeGroup('--state', '--verbose');
    const v = cellsOf(verbose.stdout);
    assert.deepEqual(v[0], [
      'GROUP',
      'COORDINATOR',
      '(ID)',
      'ASSIGNMENT-STRATEGY',
      'STATE',
      'GROUP-EPOCH',
      'TARGET-ASSIGNMENT-EPOCH',
      '#MEMBERS',
    ]);
    const row = v[1] as string[];
    assert.deepEqual([row[0], row[3], row[4], row[7]], [GROUP, 'uniform', 'Stable', '2']);
    assert.match(row[5] as string, /^[1-9]\d*$/);
    assert.equal(row[6], row[5], 'a stable group has computed the assignment of its epoch');
  });

  test('--offsets (--verbose): each partition with its owner, and the committed leader epoch', async () => {
    const ids = new Set(
      cellsOf((await describeGroup('--members')).stdout)
        .slice(1)
        .map((r) => r[1]),
    );
    let rows: string[][] = [];
    for (let i = 0; i < 100; i++) {
      const out = await describeGroup('--offsets', '--verbose');
      assert.equal(out.code, 0, out.stderr);
      rows = cellsOf(out.stdout);
      // Every partition's four records consumed and committed (LAG 0).
      if (rows.length === PARTITIONS + 1 && rows.slice(1).every((r) => r[6] === '0')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(rows[0], [
      'GROUP',
      'TOPIC',
      'PARTITION',
      'LEADER-EPOCH',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]);
    const data = rows.slice(1);
    assert.deepEqual(data.map((r) => r[2]).sort(), ['0', '1', '2']);
    for (const r of data) {
      assert.deepEqual([r[0], r[1], r[4], r[5], r[6]], [GROUP, TOPIC, '4', '4', '0']);
      assert.match(r[3] as string, /^(\d+|-)$/);
      assert.ok(ids.has(r[7]), `${r[7]} is a member`);
    }
  });

  test('--list --type and --state: the group is of type Consumer', async () => {
    const out = await samsa(['consumer-groups', '--bootstrap-server', broker.bootstrap, '--list', '--type', '--state']);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(cellsOf(out.stdout), [
      ['GROUP', 'TYPE', 'STATE'],
      [GROUP, 'Consumer', 'Stable'],
    ]);
    const classicOnly = await samsa([
      'consumer-groups',
      '--bootstrap-server',
      broker.bootstrap,
      '--list',
      '--type',
      'classic',
    ]);
    assert.deepEqual(cellsOf(classicOnly.stdout), [['GROUP', 'TYPE']]);
  });
});
