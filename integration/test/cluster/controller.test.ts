/**
 * The cluster's control plane on a real ZooKeeper: registration, controller election and
 * failover, topic creation with replica placement, leader election after a broker dies, topic
 * deletion and re-creation, config propagation (topic and group configs), controlled shutdown, preferred leader election.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type KafkaZkClient, ZkData } from '@samsa/broker';
import { Admin } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { bootstrapOf, controllerId, describeTopic, eventually, zkClient } from './cluster-support.js';

const SESSION_TIMEOUT_MS = 6000;

describe('cluster control plane (3 brokers, ZooKeeper)', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  let admin: Admin;

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 3, properties: { 'leader.imbalance.check.interval.seconds': 1 } });
    zk = await zkClient(cluster);
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });

  after(async () => {
    await admin?.close();
    zk?.close();
    await cluster?.close();
  });

  test("brokers register in Kafka's layout and one of them is the controller", async () => {
    const ids = await eventually(
      async () => {
        const children = await zk.getChildren(ZkData.BrokerIdsZNode.path);
        return children?.length === 3 ? children : undefined;
      },
      10000,
      'three registrations',
    );
    assert.deepEqual(ids, ['0', '1', '2']);
    const registration = await zk.getData(ZkData.BrokerIdZNode.path(1));
    assert.ok(registration);
    const json = JSON.parse(registration.data.toString('utf8')) as Record<string, unknown>;
    assert.equal(json.version, 5);
    assert.equal(json.port, cluster.ports.get(1));
    assert.deepEqual(json.endpoints, [`PLAINTEXT://127.0.0.1:${cluster.ports.get(1)}`]);
    assert.deepEqual(json.listener_security_protocol_map, { PLAINTEXT: 'PLAINTEXT' });
    assert.ok([0, 1, 2].includes(await controllerId(zk)));
    const epoch = await zk.getData(ZkData.ControllerEpochZNode.path);
    assert.ok(epoch && ZkData.ControllerEpochZNode.decode(epoch.data) >= 1);
    const clusterId = await zk.getData(ZkData.ClusterIdZNode.path);
    assert.ok(clusterId && ZkData.ClusterIdZNode.decode(clusterId.data).length > 0);
    const cluster1 = await admin.describeCluster();
    assert.equal(cluster1.brokers.length, 3);
  });

  test('a topic with replication factor 3 gets spread leaders, ISR of all replicas, and its znodes', async () => {
    const topic = uniqueName('rf3');
    await admin.createTopics([{ name: topic, numPartitions: 6, replicationFactor: 3 }]);
    const description = await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic in metadata');
    assert.equal(description.partitions.length, 6);
    for (const p of description.partitions) {
      assert.equal(p.replicas.length, 3);
      assert.deepEqual([...p.isr].sort(), [0, 1, 2]);
      assert.equal(p.leader, p.replicas[0], 'the preferred replica leads');
    }
    assert.equal(new Set(description.partitions.map((p) => p.leader)).size, 3, 'leaders spread over the brokers');
    const assignment = await zk.getData(ZkData.TopicZNode.path(topic));
    assert.ok(assignment);
    const decoded = ZkData.TopicZNode.decode(topic, assignment.data);
    assert.equal(decoded.topicId, description.topicId);
    const state = await zk.getData(ZkData.TopicPartitionStateZNode.path(topic, 0));
    assert.ok(state);
    const json = JSON.parse(state.data.toString('utf8')) as Record<string, unknown>;
    assert.equal(json.leader, description.partitions[0]?.leader);
    assert.equal(json.leader_epoch, 0);
    // Every broker serves the same metadata.
    for (const id of cluster.brokerIds) {
      const seen = await eventually(
        () => describeTopic(bootstrapOf(cluster, id), topic),
        10000,
        `metadata on broker ${id}`,
      );
      assert.deepEqual(
        seen.partitions.map((p) => p.leader),
        description.partitions.map((p) => p.leader),
      );
    }
  });

  test('config changes reach every broker through /config/changes', async () => {
    const topic = uniqueName('cfg');
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 3 }]);
    await admin.incrementalAlterConfigs([
      { type: 'topic', name: topic, ops: [{ name: 'retention.ms', op: 'set', value: '123456' }] },
    ]);
    for (const id of cluster.brokerIds) {
      const one = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, id) });
      try {
        await eventually(
          async () => {
            const [configs] = await one.describeConfigs([{ type: 'topic', name: topic }]);
            return configs?.configs.find((e) => e.name === 'retention.ms')?.value === '123456';
          },
          10000,
          `retention.ms on broker ${id}`,
        );
      } finally {
        await one.close();
      }
    }
    const stored = await zk.getData(ZkData.ConfigEntityZNode.path('topics', topic));
    assert.ok(stored);
    assert.deepEqual(ZkData.ConfigEntityZNode.decode(stored.data), { 'retention.ms': '123456' });
  });

  test('group configs reach every broker through /config/changes, stored in /config/groups', async () => {
    const group = 'cfg/group one';
    // Sent to one broker; every other broker describes it from its own copy.
    const first = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, cluster.brokerIds[0] as number) });
    try {
      await first.incrementalAlterConfigs([
        { type: 'group', name: group, ops: [{ name: 'share.record.lock.duration.ms', op: 'set', value: '20000' }] },
      ]);
    } finally {
      await first.close();
    }
    for (const id of cluster.brokerIds) {
      const one = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, id) });
      try {
        await eventually(
          async () => {
            const [configs] = await one.describeConfigs([{ type: 'group', name: group }]);
            const entry = configs?.configs.find((e) => e.name === 'share.record.lock.duration.ms');
            return entry?.value === '20000' && entry.source === 'GROUP_CONFIG';
          },
          10000,
          `share.record.lock.duration.ms of ${group} on broker ${id}`,
        );
      } finally {
        await one.close();
      }
    }
    // The group id is sanitized as Kafka sanitizes user and client ids ('/' and ' ' escaped).
    const stored = await zk.getData(ZkData.ConfigEntityZNode.path('groups', 'cfg%2Fgroup%20one'));
    assert.ok(stored);
    assert.deepEqual(ZkData.ConfigEntityZNode.decode(stored.data), { 'share.record.lock.duration.ms': '20000' });
  });

  test('deleting a topic removes its logs on every broker and its znodes; the name can be reused', async () => {
    const topic = uniqueName('del');
    await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 3 }]);
    await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const logDirOf = (id: number) => join(cluster.broker(id).dataDir, 'logs');
    for (const id of cluster.brokerIds) {
      await eventually(
        () => existsSync(join(logDirOf(id), `${topic}-0`)),
        10000,
        `the log of ${topic}-0 on broker ${id}`,
      );
    }
    await admin.deleteTopics([topic]);
    await eventually(
      async () => (await zk.exists(ZkData.TopicZNode.path(topic))) === undefined,
      15000,
      'the topic znode to go',
    );
    assert.equal(await zk.exists(ZkData.DeleteTopicsZNode.topicPath(topic)), undefined);
    assert.equal(await zk.exists(ZkData.ConfigEntityZNode.path('topics', topic)), undefined);
    for (const id of cluster.brokerIds) {
      await eventually(
        () => !readdirSync(logDirOf(id)).some((d) => d.startsWith(`${topic}-`)),
        10000,
        `the logs of ${topic} on broker ${id} to go`,
      );
    }
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 3 }]);
    const again = await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the re-created topic');
    assert.equal(again.partitions.length, 1);
  });

  test('the leader of a partition is killed: a new leader from the ISR, the dead broker leaves the ISR', async () => {
    const topic = uniqueName('failover');
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 3 }]);
    const before = await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const oldLeader = before.partitions[0]?.leader as number;
    const killedAt = Date.now();
    await cluster.kill(oldLeader);
    const survivor = cluster.brokerIds.find((id) => id !== oldLeader) as number;
    const after = await eventually(
      async () => {
        const d = await describeTopic(bootstrapOf(cluster, survivor), topic);
        const p = d?.partitions[0];
        return p !== undefined && p.leader !== oldLeader && p.leader >= 0 && !p.isr.includes(oldLeader) ? p : undefined;
      },
      SESSION_TIMEOUT_MS + 10000,
      'a new leader',
    );
    const electedMs = Date.now() - killedAt;
    assert.ok(before.partitions[0]?.isr.includes(after.leader), 'the new leader was in the ISR');
    assert.equal(after.leaderEpoch, (before.partitions[0]?.leaderEpoch ?? 0) + 1);
    console.log(
      `# leader election after kill -9 of the leader: ${electedMs} ms (session timeout ${SESSION_TIMEOUT_MS} ms)`,
    );
    await cluster.startBroker(oldLeader);
    await eventually(async () => (await admin.describeCluster()).brokers.length === 3, 20000, 'the broker back');
  });

  test('the controller is killed: another broker takes over within the session timeout and keeps working', async () => {
    const old = await controllerId(zk);
    const killedAt = Date.now();
    await cluster.kill(old);
    const next = await eventually(
      async () => {
        const id = await controllerId(zk);
        return id >= 0 && id !== old ? id : undefined;
      },
      SESSION_TIMEOUT_MS + 10000,
      'a new controller',
    );
    const failoverMs = Date.now() - killedAt;
    console.log(`# controller failover after kill -9: ${failoverMs} ms (session timeout ${SESSION_TIMEOUT_MS} ms)`);
    assert.ok(failoverMs < SESSION_TIMEOUT_MS + 3000, `failover took ${failoverMs} ms`);
    const topic = uniqueName('after-failover');
    const survivor = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, next) });
    try {
      await survivor.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 2 }]);
      const d = await eventually(() => describeTopic(bootstrapOf(cluster, next), topic), 10000, 'the topic');
      assert.ok(d.partitions.every((p) => p.leader >= 0 && p.leader !== old));
    } finally {
      await survivor.close();
    }
    await cluster.startBroker(old);
    await eventually(async () => (await admin.describeCluster()).brokers.length === 3, 20000, 'the broker back');
  });

  test('controlled shutdown moves leadership away before the broker stops', async () => {
    const topic = uniqueName('controlled');
    await admin.createTopics([{ name: topic, numPartitions: 3, replicationFactor: 3 }]);
    const before = await eventually(() => describeTopic(cluster.bootstrap, topic), 10000, 'the topic');
    const leaving = before.partitions[0]?.leader as number;
    const code = await cluster.stop(leaving);
    assert.equal(code, 0);
    assert.match(cluster.broker(leaving).logs, /Controlled shutdown request returned successfully/);
    const survivor = cluster.brokerIds.find((id) => id !== leaving) as number;
    // The controller moved everything before the broker stopped; the survivor's metadata may take
    // a moment to hear of it.
    await eventually(
      async () => {
        const after = await describeTopic(bootstrapOf(cluster, survivor), topic);
        return (
          after?.partitions.every((p) => p.leader !== leaving && p.leader >= 0 && !p.isr.includes(leaving)) === true
        );
      },
      10000,
      'leadership and ISR without the stopped broker',
    );
    await cluster.startBroker(leaving);
    await eventually(async () => (await admin.describeCluster()).brokers.length === 3, 20000, 'the broker back');
  });

  test('a second broker with an id in use refuses to start, naming the problem', async () => {
    const { BrokerProcess } = await import('@samsa/testkit');
    await assert.rejects(
      BrokerProcess.start({
        properties: {
          'broker.id': 1,
          'zookeeper.connect': cluster.zookeeperConnect,
          'zookeeper.session.timeout.ms': 2000,
        },
        startTimeoutMs: 30000,
      }),
      /node already exists.*broker\.id=1/s,
    );
  });
});
