/**
 * Replication throttles (KIP-73) on a real cluster: a replica being added by a reassignment copies
 * no faster than `follower.replication.throttled.rate` / `leader.replication.throttled.rate`
 * allow, on the partitions the topic's `*.replication.throttled.replicas` name; removing the
 * throttle lets it finish.
 *
 * The assertion is an upper bound on the bytes copied by each moment the test observes (a slow
 * machine only copies less), plus progress: throttled, not stopped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { describeTopic, eventually } from './cluster-support.js';

const RATE_BYTES_PER_SEC = 400_000;
const FETCH_MAX_BYTES = 65_536;
const WINDOW_MS = 1000;

describe('replication throttles (2 brokers, ZooKeeper)', () => {
  let cluster: KafkaCluster;
  let admin: Admin;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 2,
      properties: {
        'replica.fetch.max.bytes': FETCH_MAX_BYTES,
        'replication.quota.window.num': 2,
        'replication.quota.window.size.seconds': WINDOW_MS / 1000,
        'replica.fetch.backoff.ms': 200,
      },
    });
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });

  after(async () => {
    await admin?.close();
    await cluster?.close();
  });

  async function bytesOn(brokerId: number, topic: string): Promise<number> {
    const [dir] = await admin.describeLogDirs([brokerId]);
    return Number(dir?.partitions.find((p) => p.topic === topic)?.size ?? 0n);
  }

  test('a replica catching up is held to the throttled rate, and finishes once the throttle goes', async () => {
    const topic = uniqueName('throttle');
    await admin.createTopics([{ name: topic, assignments: { 0: [0] } }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const producer = new Producer({ 'bootstrap.servers': cluster.bootstrap, 'linger.ms': 5 });
    const value = Buffer.alloc(1000, 'x');
    for (let i = 0; i < 6; i++) {
      await Promise.all(Array.from({ length: 1000 }, () => producer.send({ topic, partition: 0, value })));
    }
    await producer.close();
    const total = await bytesOn(0, topic);
    assert.ok(total > 5_000_000, `${total} bytes written`);

    await admin.incrementalAlterConfigs([
      {
        type: 'topic',
        name: topic,
        ops: [
          { name: 'leader.replication.throttled.replicas', op: 'set', value: '0:0' },
          { name: 'follower.replication.throttled.replicas', op: 'set', value: '0:1' },
        ],
      },
      {
        type: 'broker',
        name: '0',
        ops: [{ name: 'leader.replication.throttled.rate', op: 'set', value: String(RATE_BYTES_PER_SEC) }],
      },
      {
        type: 'broker',
        name: '1',
        ops: [{ name: 'follower.replication.throttled.rate', op: 'set', value: String(RATE_BYTES_PER_SEC) }],
      },
    ]);
    // The brokers apply config changes from ZooKeeper's notifications: wait until both report them.
    for (const [id, key] of [
      [0, 'leader.replication.throttled.rate'],
      [1, 'follower.replication.throttled.rate'],
    ] as const) {
      await eventually(
        async () => {
          const [d] = await admin.describeConfigs([{ type: 'broker', name: String(id), keys: [key] }]);
          return d?.configs.find((e) => e.name === key)?.value === String(RATE_BYTES_PER_SEC);
        },
        10000,
        `${key} on broker ${id}`,
      );
    }

    const started = Date.now();
    const [result] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [0, 1] }]);
    assert.equal(result?.error, null);
    let copied = 0;
    while (Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 250));
      copied = await bytesOn(1, topic);
      const elapsedSec = (Date.now() - started) / 1000;
      // The rate over the windows, plus one window's allowance and a fetch in flight on each side.
      const allowed = RATE_BYTES_PER_SEC * (elapsedSec + WINDOW_MS / 1000) + 2 * FETCH_MAX_BYTES;
      assert.ok(copied <= allowed, `${copied} bytes copied after ${elapsedSec.toFixed(2)} s (at most ${allowed})`);
    }
    assert.ok(copied > 0, 'the throttled replica still makes progress');
    assert.ok(copied < total, 'the throttled replica has not caught up');
    assert.equal((await admin.listPartitionReassignments()).length, 1);

    await admin.incrementalAlterConfigs([
      { type: 'broker', name: '0', ops: [{ name: 'leader.replication.throttled.rate', op: 'delete' }] },
      { type: 'broker', name: '1', ops: [{ name: 'follower.replication.throttled.rate', op: 'delete' }] },
    ]);
    await eventually(
      async () => (await admin.listPartitionReassignments()).length === 0,
      30000,
      'the reassignment to complete',
    );
    const description = await describeTopic(cluster.bootstrap, topic);
    assert.deepEqual([...(description?.partitions[0]?.isr ?? [])].sort(), [0, 1]);
    assert.equal(await bytesOn(1, topic), total);
  });

  test('a throttle list that is not partition:broker pairs or * is refused', async () => {
    const topic = uniqueName('badthrottle');
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
    await assert.rejects(
      admin.incrementalAlterConfigs([
        {
          type: 'topic',
          name: topic,
          ops: [{ name: 'leader.replication.throttled.replicas', op: 'set', value: '0-1' }],
        },
      ]),
      (err: Error & { errorName?: string }) =>
        err.errorName === 'INVALID_CONFIG' && err.message.includes('leader.replication.throttled.replicas'),
    );
  });
});
