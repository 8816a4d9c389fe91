/**
 * Other clients against a 3-broker cluster (kcat's metadata, KafkaJS following a leader change),
 * and the cluster's behaviour around ZooKeeper: unreachable at a broker's start (a clear error
 * after zookeeper.connection.timeout.ms), and lost while running (brokers keep serving, and after
 * their sessions expired they register again and the cluster heals).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess, freePort, KafkaCluster, requireCommand, run } from '@samsa/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from '../client/client-support.js';
import { bootstrapOf, controllerId, describeTopic, eventually, zkClient } from './cluster-support.js';
import { readAllPartitions } from './fault-support.js';

const KCAT = requireCommand('kcat', 'kcat');

describe('clients and ZooKeeper around a 3-broker cluster', () => {
  let cluster: KafkaCluster;

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 3, properties: { 'zookeeper.session.timeout.ms': 4000 } });
  });

  after(async () => {
    await cluster?.close();
  });

  test('kcat -L lists the three brokers, the controller and spread leaders', async () => {
    const topic = uniqueName('kcat');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    await admin.createTopics([{ name: topic, numPartitions: 3, replicationFactor: 3 }]);
    await admin.close();
    const listing = await eventually(
      async () => {
        const r = await run(KCAT, ['-b', cluster.bootstrap, '-L', '-t', topic], { timeoutMs: 20000 });
        return r.code === 0 && /3 partitions/.test(r.stdout) && !/Leader -1|leader -1/.test(r.stdout)
          ? r.stdout
          : undefined;
      },
      20000,
      'kcat metadata',
    );
    assert.match(listing, /3 brokers:/);
    for (const [id, port] of cluster.ports)
      assert.match(listing, new RegExp(`broker ${id} at 127\\.0\\.0\\.1:${port}`));
    assert.match(listing, /\(controller\)/);
    const leaders = [...listing.matchAll(/partition \d+, leader (\d+), replicas: ([\d,]+), isrs: ([\d,]+)/g)];
    assert.equal(leaders.length, 3);
    assert.equal(new Set(leaders.map((m) => m[1])).size, 3, 'leaders spread over the brokers');
  });

  test('KafkaJS produces and consumes across a leader kill without losing an acknowledged record', async () => {
    const topic = uniqueName('kafkajs');
    const kafka = new Kafka({
      clientId: 'kafkajs-cluster',
      brokers: cluster.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acked: { offset: number; value: string }[] = [];
    const send = async (i: number) => {
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ value: `k-${i}` }] });
      acked.push({ offset: Number(meta?.baseOffset), value: `k-${i}` });
    };
    for (let i = 0; i < 50; i++) await send(i);
    const leader = (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.leader ?? 0;
    await cluster.kill(leader);
    for (let i = 50; i < 100; i++) await send(i);
    await producer.disconnect();
    await cluster.startBroker(leader);
    const stored = (await readAllPartitions(cluster.bootstrap, topic, 1)).get(0) ?? [];
    for (const a of acked) assert.equal(stored[a.offset]?.value, a.value, `acknowledged offset ${a.offset}`);
    assert.equal(new Set(stored.map((s) => s.value)).size, stored.length, 'no duplicates');
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.isr.length === 3,
      30000,
      'all in sync',
    );
  });

  test('ZooKeeper paused past the session timeout: brokers keep serving, then register again and heal', async () => {
    const topic = uniqueName('zk-outage');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 3 }]);
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.isr.length === 3,
      20000,
      'in sync',
    );
    const zk = await zkClient(cluster);
    const controllerBefore = await controllerId(zk);
    zk.close();
    cluster.zookeeper.child.kill('SIGSTOP');
    try {
      // Without ZooKeeper the data path still works: the leader takes writes and serves reads.
      const { Producer } = await import('@samsa/client');
      const producer = new Producer<string, string>({
        'bootstrap.servers': cluster.bootstrap,
        valueSerializer: 'string',
        acks: 'all',
      });
      const meta = await producer.send({ topic, value: 'during-outage' });
      await producer.close();
      assert.equal(Number(meta.offset), 0);
      await new Promise((r) => setTimeout(r, 6000));
    } finally {
      cluster.zookeeper.child.kill('SIGCONT');
    }
    // Sessions that lapsed are renewed; every broker registers again, a controller is elected.
    const zk2 = await zkClient(cluster);
    try {
      await eventually(
        async () => ((await zk2.getChildren('/brokers/ids')) ?? []).length === 3,
        30000,
        'three registrations again',
      );
      await eventually(async () => (await controllerId(zk2)) >= 0, 30000, 'a controller');
      console.log(`# ZooKeeper outage: controller ${controllerBefore} before, ${await controllerId(zk2)} after`);
    } finally {
      zk2.close();
    }
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.isr.length === 3,
      30000,
      'in sync after the outage',
    );
    const stored = (await readAllPartitions(cluster.bootstrap, topic, 1)).get(0) ?? [];
    assert.deepEqual(
      stored.map((s) => s.value),
      ['during-outage'],
    );
    await admin.createTopics([{ name: `${topic}-after`, numPartitions: 1, replicationFactor: 3 }]);
    await admin.close();
  });

  test('ZooKeeper unreachable at startup: a clear error after zookeeper.connection.timeout.ms', async () => {
    const nobody = await freePort();
    const startedAt = Date.now();
    await assert.rejects(
      BrokerProcess.start({
        properties: { 'zookeeper.connect': `127.0.0.1:${nobody}`, 'zookeeper.connection.timeout.ms': 2000 },
        startTimeoutMs: 20000,
      }),
      /Timed out waiting for connection to ZooKeeper at 127\.0\.0\.1:\d+ after 2000 ms/,
    );
    assert.ok(Date.now() - startedAt < 15000);
  });

  test('describe through each broker agrees on the leaders', async () => {
    const topic = uniqueName('agree');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    await admin.createTopics([{ name: topic, numPartitions: 4, replicationFactor: 2 }]);
    await admin.close();
    const seen = [];
    for (const id of cluster.brokerIds) {
      seen.push(
        await eventually(
          async () => {
            const d = await describeTopic(bootstrapOf(cluster, id), topic);
            return d?.partitions.length === 4 && d.partitions.every((p) => p.leader >= 0)
              ? d.partitions.map((p) => p.leader)
              : undefined;
          },
          15000,
          `metadata of broker ${id}`,
        ),
      );
    }
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
  });
});
