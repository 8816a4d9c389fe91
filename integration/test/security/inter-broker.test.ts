/**
 * Brokers talking to each other over SASL_SSL (issue 16): three brokers on ZooKeeper whose only
 * inter-broker listener is SASL_SSL with PLAIN (`inter.broker.listener.name=SASL_SSL`), clients on
 * PLAINTEXT. Replica fetchers, the controller's channels and AlterPartition must all log in to
 * reach each other: a topic of replication factor 3 gets every replica in sync, and acks=all
 * records survive the leader's death. With a wrong inter-broker password the followers cannot
 * fetch: they leave the ISR and never come back, and log the broker's SASL refusal.
 *
 * SCRAM between brokers (SASL_PLAINTEXT, SCRAM-SHA-512) with the brokers' credential written to
 * ZooKeeper's /config/users before they start, as `kafka-configs.sh --zookeeper` does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KafkaZkClient, silentLogger, ZkData } from '@samsa/broker';
import { Admin, Producer } from '@samsa/client';
import { createScramCredential, formatScramCredential } from '@samsa/protocol';
import {
  BrokerProcess,
  createTestCertificates,
  KafkaCluster,
  type TestCertificates,
  ZooKeeperProcess,
} from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { bootstrapOf, describeTopic, eventually } from '../cluster/cluster-support.js';
import { readAllPartitions } from '../cluster/fault-support.js';

/** The inter-broker listener's settings; `password` is what this broker logs in with. */
function interBrokerProperties(certs: TestCertificates, password: string): Record<string, string | number> {
  return {
    'inter.broker.listener.name': 'SASL_SSL',
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    'sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="${password}" user_broker="broker-secret";`,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': certs.brokerPem,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': certs.caPem,
    'connection.failed.authentication.delay.ms': 100,
  };
}

describe('inter-broker traffic over SASL_SSL/PLAIN', () => {
  let certs: TestCertificates;
  let cluster: KafkaCluster;

  before(async () => {
    certs = createTestCertificates();
    cluster = await KafkaCluster.start({
      brokers: 3,
      extraListeners: ['SASL_SSL://127.0.0.1:0'],
      properties: interBrokerProperties(certs, 'broker-secret'),
    });
  });
  after(async () => {
    await cluster?.close();
    certs?.remove();
  });

  test('a topic of replication factor 3 created on PLAINTEXT gets all replicas in sync', async () => {
    const topic = uniqueName('sasl-isr');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 3 }]);
    } finally {
      await admin.close();
    }
    const described = await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, topic);
        return d?.partitions.length === 2 && d.partitions.every((p) => p.isr.length === 3) ? d : undefined;
      },
      30000,
      `${topic} fully in sync`,
    );
    for (const p of described.partitions) assert.deepEqual([...p.isr].sort(), [0, 1, 2]);
  });

  test('acks=all records are read from a follower after the leader is killed', async () => {
    const topic = uniqueName('sasl-failover');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      await admin.createTopics([
        { name: topic, assignments: { 0: [1, 2, 0] }, configs: { 'min.insync.replicas': '2' } },
      ]);
    } finally {
      await admin.close();
    }
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.isr.length === 3,
      30000,
      `${topic} in sync`,
    );
    const values = Array.from({ length: 200 }, (_, i) => `v-${i}`);
    const producer = new Producer<string, string>({
      'bootstrap.servers': cluster.bootstrap,
      valueSerializer: 'string',
      acks: 'all',
      'linger.ms': 5,
    });
    try {
      await Promise.all(values.map((value) => producer.send({ topic, partition: 0, value })));
    } finally {
      await producer.close();
    }
    await cluster.kill(1);
    const survivor = bootstrapOf(cluster, 2);
    const leader = await eventually(
      async () => {
        const p = (await describeTopic(survivor, topic))?.partitions[0];
        return p !== undefined && p.leader !== 1 && p.leader >= 0 ? p.leader : undefined;
      },
      30000,
      'a new leader among the followers',
    );
    assert.notEqual(leader, 1);
    // The new leader's high watermark passes the records once the remaining follower fetched from
    // it, over SASL_SSL too.
    const stored = await eventually(
      async () => {
        const records = (await readAllPartitions(survivor, topic, 1, 30000)).get(0) ?? [];
        return records.length >= values.length ? records : undefined;
      },
      30000,
      `${values.length} records readable from broker ${leader}`,
    );
    assert.deepEqual(
      stored.map((r) => r.value),
      values,
      `every acknowledged record, read from broker ${leader}, which had it as a follower`,
    );
  });
});

describe('a wrong inter-broker password', () => {
  let certs: TestCertificates;
  let zookeeper: ZooKeeperProcess;
  const brokers: BrokerProcess[] = [];

  before(async () => {
    certs = createTestCertificates();
    zookeeper = await ZooKeeperProcess.start();
    // Broker 0 starts alone and becomes the controller, with the right password: the controller's
    // requests reach everyone. Brokers 1 and 2 log in with a wrong one (their listeners still
    // accept the right one), so their replica fetchers are refused by broker 0.
    for (const [id, password] of [
      [0, 'broker-secret'],
      [1, 'wrong-secret'],
      [2, 'wrong-secret'],
    ] as const) {
      brokers.push(
        await BrokerProcess.start({
          properties: {
            'broker.id': id,
            'zookeeper.connect': `${zookeeper.connectString}/samsa`,
            'zookeeper.session.timeout.ms': 6000,
            listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
            'replica.lag.time.max.ms': 2000,
            'controlled.shutdown.enable': false,
            ...interBrokerProperties(certs, password),
          },
          startTimeoutMs: 60000,
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(brokers.map((b) => b.kill()));
    await Promise.all(brokers.map((b) => b.close()));
    await zookeeper?.close();
    certs?.remove();
  });

  test('the followers never join the ISR, and log the SASL refusal', async () => {
    const bootstrap = (brokers[0] as BrokerProcess).bootstrap;
    const topic = uniqueName('sasl-refused');
    const admin = new Admin({ 'bootstrap.servers': bootstrap });
    try {
      await admin.createTopics([{ name: topic, assignments: { 0: [0, 1, 2] } }]);
    } finally {
      await admin.close();
    }
    // Kafka's initial ISR is every replica; the leader drops the followers that do not fetch.
    await eventually(
      async () => {
        const p = (await describeTopic(bootstrap, topic))?.partitions[0];
        return p?.leader === 0 && p.isr.length === 1 && p.isr[0] === 0;
      },
      30000,
      'the ISR shrunk to the leader',
    );
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.deepEqual((await describeTopic(bootstrap, topic))?.partitions[0]?.isr, [0], 'no follower came back');
    const refusal = /SASL\/PLAIN authentication of broker with 127\.0\.0\.1:\d+ failed: Authentication failed/;
    for (const follower of [brokers[1], brokers[2]] as BrokerProcess[]) {
      assert.match(follower.logs, refusal);
      assert.match(follower.logs, /ReplicaFetcher broker=\d leader=0\] Error in fetch/);
    }
  });
});

describe('inter-broker traffic over SASL_PLAINTEXT/SCRAM-SHA-512', () => {
  let zookeeper: ZooKeeperProcess;
  const brokers: BrokerProcess[] = [];

  before(async () => {
    zookeeper = await ZooKeeperProcess.start();
    const connect = `${zookeeper.connectString}/samsa`;
    // The brokers' own credential exists before they start, where `kafka-configs.sh --zookeeper
    // --alter --add-config 'SCRAM-SHA-512=[password=…]' --entity-type users --entity-name broker`
    // puts it: /config/users/broker.
    const zk = await KafkaZkClient.connect({
      connect,
      sessionTimeoutMs: 6000,
      connectionTimeoutMs: 5000,
      logger: silentLogger(),
    });
    try {
      await zk.createRecursive(
        ZkData.ConfigEntityZNode.path('users', 'broker'),
        ZkData.ConfigEntityZNode.encode({
          'SCRAM-SHA-512': formatScramCredential(createScramCredential('SCRAM-SHA-512', 'scram-secret', 4096)),
        }),
      );
    } finally {
      zk.close();
    }
    const started = await Promise.all(
      [0, 1, 2].map((id) =>
        BrokerProcess.start({
          properties: {
            'broker.id': id,
            'zookeeper.connect': connect,
            'zookeeper.session.timeout.ms': 6000,
            listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
            'security.inter.broker.protocol': 'SASL_PLAINTEXT',
            'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
            'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
            'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config':
              'org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="scram-secret";',
          },
          startTimeoutMs: 60000,
        }),
      ),
    );
    brokers.push(...started);
  });
  after(async () => {
    await Promise.all(brokers.map((b) => b.kill()));
    await Promise.all(brokers.map((b) => b.close()));
    await zookeeper?.close();
  });

  test('a topic of replication factor 3 gets all replicas in sync, and acks=all records replicate', async () => {
    const bootstrap = brokers.map((b) => b.bootstrap).join(',');
    const topic = uniqueName('scram-isr');
    const admin = new Admin({ 'bootstrap.servers': bootstrap });
    try {
      await admin.createTopics([
        { name: topic, assignments: { 0: [0, 1, 2] }, configs: { 'min.insync.replicas': '3' } },
      ]);
    } finally {
      await admin.close();
    }
    await eventually(
      async () => (await describeTopic(bootstrap, topic))?.partitions[0]?.isr.length === 3,
      30000,
      `${topic} in sync`,
    );
    const producer = new Producer<string, string>({
      'bootstrap.servers': bootstrap,
      valueSerializer: 'string',
      acks: 'all',
    });
    try {
      const sent = await producer.send({ topic, partition: 0, value: 'over SCRAM' });
      assert.equal(Number(sent.offset), 0);
    } finally {
      await producer.close();
    }
    for (const b of brokers) assert.doesNotMatch(b.logs, /authentication of broker .* failed/);
  });
});
