/**
 * The ZooKeeper side of the tools against a real ZooKeeper (Debian's package, started by the
 * harness) without brokers: what `kafka-topics.sh --zookeeper` and
 * `kafka-preferred-replica-election.sh --zookeeper` write is read back with KafkaZkClient, the
 * partition states a controller would write are written by the test, and the output is Kafka
 * 2.x's TopicCommand/PreferredReplicaLeaderElectionCommand's:
 * - "Created topic t.", "Topic t is marked for deletion." and "Note: This will have no impact if
 *   delete.topic.enable is not set to true.", `t - marked for deletion` in --list, the alter
 *   warning and "Adding partitions succeeded!";
 * - --describe lines identical to the --bootstrap-server path's (one formatter), "Leader: none"
 *   without a leader, `\tMarkedForDeletion: true` for a topic queued for deletion;
 * - "Created preferred replica election path with t-0,t-1" and "Successfully started preferred
 *   replica election for partitions Set(t-0, t-1)".
 * Also zookeeper-server-start.sh -daemon / zookeeper-server-stop.sh with their own
 * zookeeper.properties, zookeeper-shell.sh, and the one-line errors when Java or the zookeeper
 * package is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KafkaZkClient, silentLogger, ZkData } from '@samsa/broker';
import { freePort, run, ZooKeeperProcess } from '@samsa/testkit';
import { REPO_ROOT, SAMSA_JS, script, scriptWithEnv } from './cli-support.js';

const CHROOT = '/kafka';
const BROKERS = [0, 1, 2];

async function zkSession(connect: string): Promise<KafkaZkClient> {
  return KafkaZkClient.connect({ connect, sessionTimeoutMs: 6000, connectionTimeoutMs: 5000, logger: silentLogger() });
}

/** What a broker registers: `/brokers/ids/<id>` (ephemeral, gone with the session). */
async function registerBroker(zk: KafkaZkClient, brokerId: number): Promise<void> {
  await zk.createRecursive(ZkData.BrokerIdsZNode.path);
  const endpoints = [
    { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 9092 + brokerId },
  ];
  await zk.create(
    ZkData.BrokerIdZNode.path(brokerId),
    ZkData.BrokerIdZNode.encode({ brokerId, endpoints, rack: null }, Date.now()),
    'ephemeral',
  );
}

/** What the controller writes for a partition it elected a leader for. */
async function writeState(zk: KafkaZkClient, topic: string, partition: number, leader: number, isr: number[]) {
  const path = ZkData.TopicPartitionStateZNode.path(topic, partition);
  await zk.createRecursive(ZkData.TopicPartitionZNode.path(topic, partition));
  await zk.create(
    path,
    ZkData.TopicPartitionStateZNode.encode({ leader, leaderEpoch: 0, isr, controllerEpoch: 1 }),
    'persistent',
  );
}

async function assignment(zk: KafkaZkClient, topic: string) {
  const found = await zk.getData(ZkData.TopicZNode.path(topic));
  assert.ok(found !== undefined, `/brokers/topics/${topic} exists`);
  return ZkData.TopicZNode.decode(topic, found.data);
}

describe('ZooKeeper tools against a real ZooKeeper', () => {
  let zookeeper: ZooKeeperProcess;
  let zk: KafkaZkClient;
  let connect: string;
  const dir = mkdtempSync(join(tmpdir(), 'samsa-zk-tools-'));
  const topics = (...args: string[]) => script('kafka-topics.sh', ['--zookeeper', connect, ...args]);

  before(async () => {
    zookeeper = await ZooKeeperProcess.start();
    connect = `${zookeeper.connectString}${CHROOT}`;
    zk = await zkSession(connect);
    for (const id of BROKERS) await registerBroker(zk, id);
  });
  after(async () => {
    zk?.close();
    await zookeeper?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('kafka-topics.sh --zookeeper --create writes the config, then the assignment', async () => {
    const created = await topics(
      '--create',
      '--topic',
      'orders',
      '--partitions',
      '3',
      '--replication-factor',
      '2',
      '--config',
      'retention.ms=60000',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created topic orders.\n');
    const config = await zk.getData(ZkData.ConfigEntityZNode.path('topics', 'orders'));
    assert.deepEqual(JSON.parse(config?.data.toString() ?? ''), { version: 1, config: { 'retention.ms': '60000' } });
    const orders = await assignment(zk, 'orders');
    assert.match(orders.topicId ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.equal(orders.partitions.size, 3);
    for (const replicas of orders.partitions.values()) {
      assert.equal(new Set(replicas).size, 2);
      for (const id of replicas) assert.ok(BROKERS.includes(id));
    }
    // Kafka's placement: leaders round-robin over the brokers.
    assert.deepEqual(new Set([...orders.partitions.values()].map((r) => r[0])), new Set(BROKERS));

    const pinned = await topics('--create', '--topic', 'pinned', '--replica-assignment', '0:1,1:2');
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.deepEqual(
      [...(await assignment(zk, 'pinned')).partitions],
      [
        [0, [0, 1]],
        [1, [1, 2]],
      ],
    );

    const results = await Promise.all([
      topics('--create', '--topic', 'orders', '--partitions', '1', '--replication-factor', '1'),
      topics('--create', '--topic', 'orders', '--partitions', '1', '--replication-factor', '1', '--if-not-exists'),
      topics('--create', '--topic', 'wide', '--partitions', '1', '--replication-factor', '4'),
      topics('--create', '--topic', 'a/b', '--partitions', '1', '--replication-factor', '1'),
      topics('--create', '--topic', 'no-rf', '--partitions', '1'),
      script('kafka-topics.sh', ['--list', '--zookeeper', connect, '--bootstrap-server', '127.0.0.1:9092']),
      script('kafka-topics.sh', ['--list', '--zookeeper', connect, '--command-config', '/dev/null']),
    ]);
    const expected: [number, string][] = [
      [1, "Error while executing topic command : Topic 'orders' already exists. (TOPIC_ALREADY_EXISTS)\n"],
      [0, ''],
      [
        1,
        'Error while executing topic command : Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered. (INVALID_REPLICATION_FACTOR)\n',
      ],
      [
        1,
        `Error while executing topic command : Topic name "a/b" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-' (INVALID_TOPIC_EXCEPTION)\n`,
      ],
      [1, 'Missing required argument "[replication-factor]"\n'],
      [1, 'Only one of --bootstrap-server or --zookeeper must be specified\n'],
      [1, 'Option "[zookeeper]" can\'t be used with option "[command-config]"\n'],
    ];
    for (const [i, r] of results.entries()) assert.deepEqual([r.code, r.stderr], expected[i], `case ${i}: ${r.stderr}`);
  });

  test('--describe reads the assignment and each partition state; the filters use /brokers/ids', async () => {
    const orders = await assignment(zk, 'orders');
    const replicas = (p: number) => orders.partitions.get(p) as number[];
    // Partition 0 fully in sync, 1 without a leader yet, 2 led by its second replica alone.
    await writeState(zk, 'orders', 0, replicas(0)[0] as number, replicas(0));
    await writeState(zk, 'orders', 1, -1, []);
    await writeState(zk, 'orders', 2, replicas(2)[1] as number, [replicas(2)[1] as number]);
    const line = (p: number, leader: string, isr: readonly number[]) =>
      `\tTopic: orders\tPartition: ${p}\tLeader: ${leader}\tReplicas: ${replicas(p).join(',')}\tIsr: ${isr.join(',')}\tElr: N/A\tLastKnownElr: N/A`;
    const p0 = line(0, String(replicas(0)[0]), replicas(0));
    const p1 = line(1, 'none', []);
    const p2 = line(2, String(replicas(2)[1]), [replicas(2)[1] as number]);

    const [all, under, unavailable, overrides] = await Promise.all([
      topics('--describe', '--topic', 'orders'),
      topics('--describe', '--under-replicated-partitions'),
      topics('--describe', '--unavailable-partitions'),
      topics('--describe', '--topics-with-overrides'),
    ]);
    assert.equal(all.code, 0, all.stderr);
    const header = `Topic: orders\tTopicId: ${orders.topicId}\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: retention.ms=60000`;
    assert.equal(all.stdout, `${header}\n${p0}\n${p1}\n${p2}\n`);
    // pinned has no state at all yet: both its partitions are under-replicated and unavailable.
    const pinned = (p: number, r: string) =>
      `\tTopic: pinned\tPartition: ${p}\tLeader: none\tReplicas: ${r}\tIsr: \tElr: N/A\tLastKnownElr: N/A`;
    assert.equal(under.stdout, `${p1}\n${p2}\n${pinned(0, '0,1')}\n${pinned(1, '1,2')}\n`);
    assert.equal(unavailable.stdout, `${p1}\n${pinned(0, '0,1')}\n${pinned(1, '1,2')}\n`);
    assert.equal(overrides.stdout, `${header}\n`);

    // A leader whose broker is gone from /brokers/ids is unavailable too.
    const leader = replicas(0)[0] as number;
    await zk.delete(ZkData.BrokerIdZNode.path(leader));
    try {
      const gone = await topics('--describe', '--topic', 'orders', '--unavailable-partitions');
      const p2Gone = replicas(2)[1] === leader ? `${p2}\n` : '';
      assert.equal(gone.stdout, `${p0}\n${p1}\n${p2Gone}`);
    } finally {
      await registerBroker(zk, leader);
    }
    const missing = await topics('--describe', '--topic', 'nope');
    assert.deepEqual(
      [missing.code, missing.stderr],
      [
        1,
        "Error while executing topic command : Topic 'nope' does not exist as expected (UNKNOWN_TOPIC_OR_PARTITION)\n",
      ],
    );
  });

  test('--alter --partitions appends to the assignment, placed like the first partitions', async () => {
    const before = await assignment(zk, 'orders');
    const altered = await topics('--alter', '--topic', 'orders', '--partitions', '5');
    assert.equal(altered.code, 0, altered.stderr);
    assert.equal(
      altered.stdout,
      'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\nAdding partitions succeeded!\n',
    );
    const after5 = await assignment(zk, 'orders');
    assert.equal(after5.topicId, before.topicId);
    assert.equal(after5.partitions.size, 5);
    for (const p of [0, 1, 2]) assert.deepEqual(after5.partitions.get(p), before.partitions.get(p));
    for (const p of [3, 4]) assert.equal(new Set(after5.partitions.get(p)).size, 2);

    const explicit = await topics(
      '--alter',
      '--topic',
      'pinned',
      '--partitions',
      '3',
      '--replica-assignment',
      '0:1,1:2,2:0',
    );
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.deepEqual((await assignment(zk, 'pinned')).partitions.get(2), [2, 0]);

    const shrink = await topics('--alter', '--topic', 'orders', '--partitions', '2');
    assert.equal(shrink.code, 1);
    assert.equal(
      shrink.stderr,
      'Error while executing topic command : The number of partitions for a topic can only be increased. Topic orders currently has 5 partitions, 2 would not be an increase. (INVALID_PARTITIONS)\n',
    );
  });

  test('--delete queues the topic; --list and --describe show it marked for deletion', async () => {
    const deleted = await topics('--delete', '--topic', 'pinned');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(
      deleted.stdout,
      'Topic pinned is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n',
    );
    assert.ok((await zk.exists(ZkData.DeleteTopicsZNode.topicPath('pinned'))) !== undefined);
    const [again, listed, described] = await Promise.all([
      topics('--delete', '--topic', 'pinned'),
      topics('--list'),
      topics('--describe', '--topic', 'pinned'),
    ]);
    assert.equal(again.stdout, 'Topic pinned is already marked for deletion.\n');
    assert.equal(listed.stdout, 'orders\npinned - marked for deletion\n');
    const lines = described.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    for (const l of lines) assert.ok(l.endsWith('\tMarkedForDeletion: true'), l);
  });

  test('kafka-preferred-replica-election.sh --zookeeper writes /admin/preferred_replica_election', async () => {
    const path = ZkData.PreferredReplicaElectionZNode.path;
    const preamble = [
      'This tool is deprecated. Please use kafka-leader-election tool. Tracking issue: KAFKA-8405',
      'Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.',
      'Use --bootstrap-server instead to specify a broker to connect to.',
    ];
    const all = await script('kafka-preferred-replica-election.sh', ['--zookeeper', connect]);
    assert.equal(all.code, 0, all.stderr);
    const names = ['orders-0', 'orders-1', 'orders-2', 'orders-3', 'orders-4', 'pinned-0', 'pinned-1', 'pinned-2'];
    assert.equal(
      all.stdout,
      [
        ...preamble,
        `Created preferred replica election path with ${names.join(',')}`,
        `Successfully started preferred replica election for partitions Set(${names.join(', ')})`,
        '',
      ].join('\n'),
    );
    const written = await zk.getData(path);
    assert.deepEqual(JSON.parse(written?.data.toString() ?? ''), {
      version: 1,
      partitions: names.map((n) => ({ topic: n.slice(0, n.lastIndexOf('-')), partition: Number(n.slice(-1)) })),
    });

    // No controller removes the znode here: an election is still "in progress".
    const busy = await script('kafka-preferred-replica-election.sh', ['--zookeeper', connect]);
    assert.equal(busy.code, 1);
    assert.equal(
      busy.stderr,
      `Admin command failed: Preferred replica leader election currently in progress for ${names.join(',')}. Aborting operation\n`,
    );

    await zk.delete(path);
    const file = join(dir, 'election.json');
    writeFileSync(
      file,
      JSON.stringify({
        partitions: [
          { topic: 'orders', partition: 1 },
          { topic: 'ghost', partition: 0 },
        ],
      }),
    );
    const some = await script('kafka-preferred-replica-election.sh', [
      '--zookeeper',
      connect,
      '--path-to-json-file',
      file,
    ]);
    assert.equal(some.code, 0, some.stderr);
    assert.deepEqual(some.stdout.split('\n').slice(3), [
      'Created preferred replica election path with orders-1',
      'Successfully started preferred replica election for partitions Set(orders-1)',
      "Skipping preferred replica leader election for partition ghost-0 since it doesn't exist.",
      '',
    ]);
    assert.deepEqual(ZkData.PreferredReplicaElectionZNode.decode((await zk.getData(path))?.data as Buffer), [
      { topic: 'orders', partition: 1 },
    ]);
    await zk.delete(path);
  });

  test('an unreachable ZooKeeper or a missing chroot is one line, exit 1', async () => {
    const env = { SAMSA_CONNECT_TIMEOUT_MS: '1000' };
    const [down, noChroot, election] = await Promise.all([
      scriptWithEnv('kafka-topics.sh', ['--zookeeper', '127.0.0.1:1', '--list'], env),
      scriptWithEnv('kafka-topics.sh', ['--zookeeper', `${zookeeper.connectString}/typo`, '--list'], env),
      scriptWithEnv('kafka-preferred-replica-election.sh', ['--zookeeper', '127.0.0.1:1'], env),
    ]);
    assert.deepEqual(
      [down.code, down.stdout, down.stderr],
      [
        1,
        '',
        'Error while executing topic command : Timed out waiting for connection to ZooKeeper at 127.0.0.1:1 after 1000 ms while in state: CONNECTING. Is ZooKeeper running? Check --zookeeper.\n',
      ],
    );
    assert.equal(
      noChroot.stderr,
      `Error while executing topic command : The chroot /typo of --zookeeper ${zookeeper.connectString}/typo does not exist in ZooKeeper\n`,
    );
    assert.equal(election.code, 1);
    assert.match(election.stderr, /^Error: Timed out waiting for connection to ZooKeeper at 127\.0\.0\.1:1 .*\n$/);
  });

  test('zookeeper-shell.sh runs zkCli.sh against the server, one command at a time', async () => {
    const ids = await script('zookeeper-shell.sh', [connect, 'ls', '/brokers/ids']);
    assert.equal(ids.code, 0, ids.stderr);
    assert.equal(
      ids.stdout,
      `Connecting to ${connect}\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n[0, 1, 2]\n`,
    );
    assert.equal(ids.stderr, '', 'no SLF4J noise');
    const missing = await script('zookeeper-shell.sh', [connect, 'get', '/nope']);
    assert.deepEqual([missing.code, missing.stderr], [1, 'Node does not exist: /nope\n']);
    const usage = await script('zookeeper-shell.sh', []);
    assert.deepEqual(
      [usage.code, usage.stdout.replace(/^USAGE: \S*zookeeper-shell\.sh/, 'USAGE: zookeeper-shell.sh')],
      [1, 'USAGE: zookeeper-shell.sh zookeeper_host:port[/path] [args...]\n'],
    );
  });

  test('zookeeper-server-start.sh -daemon and zookeeper-server-stop.sh with their own properties', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'zookeeper-data');
    const properties = join(dir, 'zookeeper.properties');
    // Kafka's config/zookeeper.properties, on a port and in a directory of this test's own.
    const shipped = readFileSync(join(REPO_ROOT, 'config', 'zookeeper.properties'), 'utf8');
    writeFileSync(
      properties,
      shipped.replace('dataDir=/tmp/zookeeper', `dataDir=${dataDir}`).replace('clientPort=2181', `clientPort=${port}`),
    );
    try {
      const started = await script('zookeeper-server-start.sh', ['-daemon', properties]);
      assert.equal(started.code, 0, started.stderr);
      const out = join(dataDir, 'zookeeper.out');
      const pid = Number(readFileSync(join(dataDir, 'zookeeper-server.pid'), 'utf8'));
      assert.equal(started.stdout, `Started ZooKeeper in the background (pid ${pid}); output in ${out}\n`);
      const session = await zkSession(`127.0.0.1:${port}`);
      await session.create('/hello', Buffer.from('world'), 'persistent');
      session.close();
      assert.match(readFileSync(out, 'utf8'), /binding to port .*:\d+/);

      const twice = await script('zookeeper-server-start.sh', ['-daemon', properties]);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, new RegExp(`^ERROR 127\\.0\\.0\\.1:${port} is already in use: .*\\n$`));

      const stopped = await script('zookeeper-server-stop.sh', [properties]);
      assert.deepEqual([stopped.code, stopped.stdout, stopped.stderr], [0, '', '']);
      assert.throws(() => process.kill(pid, 0), /ESRCH/);
      assert.ok(!existsSync(join(dataDir, 'zookeeper-server.pid')));
      const none = await script('zookeeper-server-stop.sh', [properties]);
      assert.deepEqual([none.code, none.stdout], [1, 'No zookeeper server to stop\n']);
    } finally {
      await script('zookeeper-server-stop.sh', [properties]);
    }
  });

  test('a missing Java or zookeeper package is named in one line', async () => {
    const properties = join(dir, 'missing.properties');
    writeFileSync(properties, `dataDir=${join(dir, 'missing-data')}\nclientPort=${await freePort()}\n`);
    const noJar = await scriptWithEnv('zookeeper-server-start.sh', [properties], {
      SAMSA_ZOOKEEPER_JAR: '/nonexistent/zookeeper.jar',
    });
    assert.deepEqual(
      [noJar.code, noJar.stderr],
      [
        1,
        "ERROR ZooKeeper is not installed (/nonexistent/zookeeper.jar not found): install Debian's zookeeper package (sudo apt-get install zookeeper), which brings a Java runtime with it\n",
      ],
    );
    // No java anywhere: a PATH without it (node is run directly, bash is not needed).
    const noJava = await run(process.execPath, [SAMSA_JS, 'zookeeper', 'start', properties], {
      env: { PATH: '/nonexistent' },
    });
    assert.deepEqual(
      [noJava.code, noJava.stderr],
      [
        1,
        "ERROR java not found on the PATH: ZooKeeper needs Java (Debian package default-jre-headless); install Debian's zookeeper package (sudo apt-get install zookeeper), which brings a Java runtime with it\n",
      ],
    );
    const noCli = await scriptWithEnv('zookeeper-shell.sh', [connect, 'ls', '/'], {
      SAMSA_ZKCLI: '/nonexistent/zkCli.sh',
    });
    assert.deepEqual(
      [noCli.code, noCli.stderr],
      [
        1,
        "ERROR ZooKeeper's shell is not installed (/nonexistent/zkCli.sh not found): install Debian's zookeeper package (sudo apt-get install zookeeper), which brings a Java runtime with it\n",
      ],
    );
    const noConfig = await script('zookeeper-server-start.sh', [join(dir, 'absent.properties')]);
    assert.deepEqual(
      [noConfig.code, noConfig.stderr],
      [1, `ERROR Invalid config, exiting abnormally: ${join(dir, 'absent.properties')} (No such file or directory)\n`],
    );
  });
});
