/**
 * Partition reassignment (KIP-455) on a real ZooKeeper: replicas move to other brokers while a
 * producer keeps writing with acks=all, the removed copies are deleted, a move held up by a paused
 * broker is listed and can be cancelled, a controller killed mid-move leaves its successor to
 * finish it, and the legacy `/admin/reassign_partitions` znode still works.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type KafkaZkClient, ZkData } from '@samsa/broker';
import { Admin } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { controllerId, describeTopic, eventually, zkClient } from './cluster-support.js';
import { assertNoLossNoDuplicates, readAllPartitions, startSamsaProducer } from './fault-support.js';

describe('partition reassignment (4 brokers, ZooKeeper)', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  let admin: Admin;

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 4, properties: { 'replica.lag.time.max.ms': 3000 } });
    zk = await zkClient(cluster);
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });

  after(async () => {
    await admin?.close();
    zk?.close();
    await cluster?.close();
  });

  const logDirOf = (id: number) => join(cluster.broker(id).dataDir, 'logs');

  async function settled(topic: string, partition: number, replicas: readonly number[]) {
    return eventually(
      async () => {
        const ongoing = await admin.listPartitionReassignments([{ topic, partition }]);
        const p = (await describeTopic(cluster.bootstrap, topic))?.partitions[partition];
        return ongoing.length === 0 &&
          p !== undefined &&
          [...p.replicas].join() === replicas.join() &&
          [...p.isr].sort().join() === [...replicas].sort().join()
          ? p
          : undefined;
      },
      30000,
      `${topic}-${partition} on [${replicas.join(',')}]`,
    );
  }

  test('replicas move to other brokers under acks=all traffic; nothing acknowledged is lost, the old copies go', async () => {
    const topic = uniqueName('move');
    await admin.createTopics([
      {
        name: topic,
        assignments: { 0: [0, 1], 1: [1, 0] },
      },
    ]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const producer = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: 2, prefix: 'm' });
    await eventually(() => producer.acked.length > 2000, 30000, 'records before the move');

    const results = await admin.alterPartitionReassignments([
      { topic, partition: 0, replicas: [2, 3] },
      { topic, partition: 1, replicas: [3, 1] },
    ]);
    assert.deepEqual(
      results.map((r) => r.error),
      [null, null],
    );
    const p0 = await settled(topic, 0, [2, 3]);
    const p1 = await settled(topic, 1, [3, 1]);
    assert.ok([2, 3].includes(p0.leader));
    assert.ok([3, 1].includes(p1.leader));
    const afterMove = producer.acked.length;
    await eventually(() => producer.acked.length > afterMove + 1000, 30000, 'records after the move');
    await producer.stop();
    assert.equal(producer.failed(), 0);

    // The assignment in ZooKeeper is the target, with nothing left adding or removing.
    const znode = await zk.getData(ZkData.TopicZNode.path(topic));
    assert.ok(znode);
    const assignment = ZkData.TopicZNode.decode(topic, znode.data);
    assert.deepEqual(assignment.partitions.get(0), [2, 3]);
    assert.deepEqual(assignment.partitions.get(1), [3, 1]);
    assert.equal(assignment.addingReplicas.size + assignment.removingReplicas.size, 0);
    // Removed replicas delete their copy.
    await eventually(() => !existsSync(join(logDirOf(0), `${topic}-0`)), 15000, `${topic}-0 gone from broker 0`);
    await eventually(() => !existsSync(join(logDirOf(1), `${topic}-0`)), 15000, `${topic}-0 gone from broker 1`);
    await eventually(() => !existsSync(join(logDirOf(0), `${topic}-1`)), 15000, `${topic}-1 gone from broker 0`);
    assert.ok(existsSync(join(logDirOf(3), `${topic}-0`)));

    const stored = await readAllPartitions(cluster.bootstrap, topic, 2);
    assertNoLossNoDuplicates(producer.acked, stored);
  });

  test('a move waiting for a paused broker is listed with its adding and removing replicas, and can be cancelled', async () => {
    const topic = uniqueName('cancel');
    // The paused broker must not be the controller, which has to answer meanwhile.
    const controller = await controllerId(zk);
    const [x, y, z] = cluster.brokerIds.filter((id) => id !== controller) as [number, number, number];
    await admin.createTopics([{ name: topic, assignments: { 0: [x, y] } }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    cluster.pause(z);
    try {
      const [result] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [y, z] }]);
      assert.equal(result?.error, null);
      const [ongoing] = await admin.listPartitionReassignments();
      assert.deepEqual(ongoing, {
        topic,
        partition: 0,
        replicas: [y, z, x],
        addingReplicas: [z],
        removingReplicas: [x],
      });
      const [cancelled] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: null }]);
      assert.equal(cancelled?.error, null);
    } finally {
      // Resumed as soon as the cancel is accepted: a pause longer than the ZooKeeper session would
      // expire the broker, and the controller drops what it queued for a dead broker (the
      // StopReplica that deletes the cancelled copy) — as Kafka's ZooKeeper-mode controller does.
      cluster.resume(z);
    }
    await settled(topic, 0, [x, y]);
    const [again] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: null }]);
    assert.equal(again?.error?.errorName, 'NO_REASSIGNMENT_IN_PROGRESS');
    // The replica that was being added deletes what it had.
    await eventually(() => !existsSync(join(logDirOf(z), `${topic}-0`)), 20000, `${topic}-0 gone from broker ${z}`);
  });

  test('bad targets are refused per partition with Kafka errors', async () => {
    const topic = uniqueName('refuse');
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 2 }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const results = await admin.alterPartitionReassignments([
      { topic, partition: 0, replicas: [1, 1] },
      { topic, partition: 0 + 1, replicas: [1] },
      { topic: uniqueName('missing'), partition: 0, replicas: [1] },
    ]);
    const names = results.map((r) => r.error?.errorName);
    assert.ok(names.includes('INVALID_REPLICA_ASSIGNMENT'), names.join());
    assert.equal(names.filter((n) => n === 'UNKNOWN_TOPIC_OR_PARTITION').length, 2);
    const [unknownBroker] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [0, 9] }]);
    assert.equal(unknownBroker?.error?.errorName, 'INVALID_REPLICA_ASSIGNMENT');
  });

  test("the controller killed during a move: its successor completes it from ZooKeeper's adding/removing replicas", async () => {
    const topic = uniqueName('failover');
    const controller = await controllerId(zk);
    const others = cluster.brokerIds.filter((id) => id !== controller);
    const [a, b, c] = others as [number, number, number];
    await admin.createTopics([{ name: topic, assignments: { 0: [a, b] } }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    cluster.pause(c);
    try {
      const [result] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [b, c] }]);
      assert.equal(result?.error, null);
      const znode = await zk.getData(ZkData.TopicZNode.path(topic));
      assert.ok(znode);
      assert.deepEqual(ZkData.TopicZNode.decode(topic, znode.data).addingReplicas.get(0), [c]);
      await cluster.kill(controller);
      await eventually(
        async () => {
          const id = await controllerId(zk);
          return id >= 0 && id !== controller;
        },
        20000,
        'a new controller',
      );
    } finally {
      cluster.resume(c);
    }
    await settled(topic, 0, [b, c]);
    await cluster.startBroker(controller);
  });

  test('the legacy /admin/reassign_partitions znode starts a move and is removed', async () => {
    const topic = uniqueName('legacy');
    await admin.createTopics([{ name: topic, assignments: { 0: [1] } }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    await zk.create(
      ZkData.ReassignPartitionsZNode.path,
      ZkData.ReassignPartitionsZNode.encode([{ topic, partition: 0, replicas: [2, 1] }]),
      'persistent',
    );
    await settled(topic, 0, [2, 1]);
    await eventually(
      async () => (await zk.exists(ZkData.ReassignPartitionsZNode.path)) === undefined,
      10000,
      'the znode to go',
    );
  });
});
