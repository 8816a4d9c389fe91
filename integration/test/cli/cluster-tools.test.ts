/**
 * The tools against a 3-broker ZooKeeper cluster (KafkaCluster: real ZooKeeper, three broker
 * processes): a topic created through ZooKeeper is served by the brokers and described in the same
 * lines through either path; every broker answers broker-api-versions and log-dirs; leadership
 * moved away by a restart comes back through kafka-leader-election (ElectLeaders to the
 * controller) and through kafka-preferred-replica-election --zookeeper (the controller's watch on
 * /admin/preferred_replica_election); a stopped broker shows in --under-replicated-partitions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type KafkaZkClient, ZkData } from '@samsa/broker';
import { KafkaCluster } from '@samsa/testkit';
import { describeTopic, eventually, zkClient } from '../cluster/cluster-support.js';
import { script } from './cli-support.js';

describe('tools against a 3-broker ZooKeeper cluster', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  const dir = mkdtempSync(join(tmpdir(), 'samsa-cluster-tools-'));
  const topics = (...args: string[]) => script('kafka-topics.sh', args);
  const leaderOf = async (topic: string) => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.leader;
  /** Until every partition of `topic` has a leader and all `replicas` in its ISR. */
  const inSync = (topic: string, partitions: number, replicas = 3) =>
    eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, topic);
        return (
          d !== undefined &&
          d.partitions.length === partitions &&
          d.partitions.every((p) => p.leader >= 0 && p.isr.length === replicas)
        );
      },
      20000,
      `${topic} in sync`,
    );

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 3 });
    zk = await zkClient(cluster);
  });
  after(async () => {
    zk?.close();
    await cluster?.close();
  });

  test('a topic created with --zookeeper is served, and both paths describe it in the same lines', async () => {
    const created = await topics(
      '--zookeeper',
      cluster.zookeeperConnect,
      '--create',
      '--topic',
      'spread',
      '--partitions',
      '3',
      '--replication-factor',
      '3',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created topic spread.\n');
    await inSync('spread', 3);
    const [viaZooKeeper, viaBroker] = await Promise.all([
      topics('--zookeeper', cluster.zookeeperConnect, '--describe', '--topic', 'spread'),
      topics('--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'spread'),
    ]);
    assert.equal(viaZooKeeper.code, 0, viaZooKeeper.stderr);
    assert.equal(viaBroker.code, 0, viaBroker.stderr);
    assert.equal(viaZooKeeper.stdout, viaBroker.stdout);
    const lines = viaZooKeeper.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^Topic: spread\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: $/,
    );
    for (const [p, line] of lines.slice(1).entries()) {
      assert.match(
        line,
        new RegExp(
          `^\\tTopic: spread\\tPartition: ${p}\\tLeader: (\\d)\\tReplicas: \\1,\\d,\\d\\tIsr: \\d,\\d,\\d\\tElr: N/A\\tLastKnownElr: N/A$`,
        ),
      );
    }
  });

  test('kafka-broker-api-versions.sh and kafka-log-dirs.sh answer for every broker', async () => {
    const [versions, dirs] = await Promise.all([
      script('kafka-broker-api-versions.sh', ['--bootstrap-server', cluster.bootstrap]),
      script('kafka-log-dirs.sh', ['--bootstrap-server', cluster.bootstrap, '--describe', '--topic-list', 'spread']),
    ]);
    assert.equal(versions.code, 0, versions.stderr);
    const heads = versions.stdout.split('\n').filter((l) => l.endsWith('-> ('));
    assert.deepEqual(
      heads,
      cluster.brokerIds.map((id) => `127.0.0.1:${cluster.ports.get(id)} (id: ${id} rack: null) -> (`),
    );
    assert.match(versions.stdout, /\tElectLeaders\(43\): \d+ to \d+ \[usable: \d+\],\n/);
    assert.equal(dirs.code, 0, dirs.stderr);
    const [querying, received, json] = dirs.stdout.split('\n');
    assert.deepEqual(
      [querying, received],
      ['Querying brokers for log directories information', 'Received log directory information from brokers 0,1,2'],
    );
    const parsed = JSON.parse(json ?? '') as {
      brokers: { broker: number; logDirs: { partitions: { partition: string }[] }[] }[];
    };
    assert.deepEqual(
      parsed.brokers.map((b) => [b.broker, b.logDirs.flatMap((d) => d.partitions.map((p) => p.partition))]),
      [0, 1, 2].map((id) => [id, ['spread-0', 'spread-1', 'spread-2']]),
    );
  });

  test('leadership moved by a restart comes back: kafka-leader-election and preferred-replica-election --zookeeper', async () => {
    const assign = (topic: string, replicas: string) =>
      topics('--bootstrap-server', cluster.bootstrap, '--create', '--topic', topic, '--replica-assignment', replicas);
    assert.equal((await assign('elect', '0:1:2')).code, 0);
    assert.equal((await assign('prefer', '0:2:1')).code, 0);
    await inSync('elect', 1);
    await inSync('prefer', 1);
    assert.equal(await leaderOf('elect'), 0);
    // Broker 0 goes away (controlled shutdown) and comes back: it is a follower now.
    await cluster.stop(0);
    await cluster.startBroker(0);
    await inSync('elect', 1);
    await inSync('prefer', 1);
    assert.notEqual(await leaderOf('elect'), 0);
    assert.notEqual(await leaderOf('prefer'), 0);

    const elect = (...args: string[]) =>
      script('kafka-leader-election.sh', [
        '--bootstrap-server',
        cluster.bootstrap,
        '--election-type',
        'preferred',
        ...args,
      ]);
    const moved = await elect('--topic', 'elect', '--partition', '0');
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(moved.stdout, 'Successfully completed leader election (PREFERRED) for partitions elect-0\n');
    await eventually(async () => (await leaderOf('elect')) === 0, 10000, 'broker 0 leading elect-0');
    const again = await elect('--topic', 'elect', '--partition', '0');
    assert.equal(again.stdout, 'Valid replica already elected for partitions elect-0\n');

    const file = join(dir, 'prefer.json');
    writeFileSync(file, JSON.stringify({ partitions: [{ topic: 'prefer', partition: 0 }] }));
    const started = await script('kafka-preferred-replica-election.sh', [
      '--zookeeper',
      cluster.zookeeperConnect,
      '--path-to-json-file',
      file,
    ]);
    assert.equal(started.code, 0, started.stderr);
    assert.deepEqual(started.stdout.split('\n').slice(3), [
      'Created preferred replica election path with prefer-0',
      'Successfully started preferred replica election for partitions Set(prefer-0)',
      '',
    ]);
    await eventually(async () => (await leaderOf('prefer')) === 0, 10000, 'broker 0 leading prefer-0');
    await eventually(
      async () => (await zk.exists(ZkData.PreferredReplicaElectionZNode.path)) === undefined,
      10000,
      'the controller to remove /admin/preferred_replica_election',
    );
  });

  test('a stopped broker: the same under-replicated partitions through ZooKeeper and through a broker', async () => {
    await cluster.stop(2);
    const bootstrap = `127.0.0.1:${cluster.ports.get(0)}`;
    const report = (flag: string) =>
      Promise.all([
        topics('--zookeeper', cluster.zookeeperConnect, '--describe', '--topic', 'spread', flag),
        topics('--bootstrap-server', bootstrap, '--describe', '--topic', 'spread', flag),
      ]);
    const [viaZooKeeper, viaBroker] = await eventually(
      async () => {
        const both = await report('--under-replicated-partitions');
        // Until the brokers' metadata has caught up with the ISR change.
        return both[0].stdout === both[1].stdout && both[0].stdout.split('\n').length === 4 ? both : undefined;
      },
      15000,
      'both paths to report the three partitions under-replicated',
    );
    for (const line of viaZooKeeper.stdout.trimEnd().split('\n')) {
      assert.match(line, /^\tTopic: spread\tPartition: \d\tLeader: [01]\tReplicas: \d,\d,\d\tIsr: [01],[01]\t/);
    }
    assert.equal(viaBroker.code, 0, viaBroker.stderr);
    const unavailable = await report('--unavailable-partitions');
    assert.deepEqual(
      unavailable.map((r) => r.stdout),
      ['', ''],
    );
  });
});
