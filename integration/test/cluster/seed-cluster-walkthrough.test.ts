/**
 * The seeds' "Setting up a multi-broker cluster" section through the repository's scripts:
 * ZooKeeper from config/zookeeper.properties, broker 0 from config/server.properties joining it,
 * brokers 1 and 2 from config/server-1.properties and server-2.properties, a topic with
 * replication factor 3 created and described with `--zookeeper`, messages produced and consumed,
 * the leader killed with SIGKILL, the new leader and ISR described, every message still consumed,
 * the broker restarted and back in the ISR.
 *
 * The shipped config files are used as they are, with only their ports and directories moved to
 * free ones in a temp dir (the tests must not take 2181, 9092-9094 and 9404 from a developer).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, requireCommand } from '@samsa/testkit';
import { REPO_ROOT, script } from '../cli/cli-support.js';
import { eventually } from './cluster-support.js';

const MESSAGES = ['my test message 1', 'my test message 2'];

describe("the seeds' multi-broker walkthrough through bin/*.sh", () => {
  let dir: string;
  let zkPort: number;
  let metricsPort: number;
  const ports: number[] = [];
  const configs: string[] = [];

  before(async () => {
    requireCommand('java', 'default-jre-headless (with zookeeper)');
    dir = mkdtempSync(join(tmpdir(), 'samsa-walkthrough-'));
    zkPort = await freePort();
    const zk = readFileSync(join(REPO_ROOT, 'config', 'zookeeper.properties'), 'utf8')
      .replace(/^dataDir=.*$/m, `dataDir=${join(dir, 'zookeeper')}`)
      .replace(/^clientPort=.*$/m, `clientPort=${zkPort}`);
    writeFileSync(join(dir, 'zookeeper.properties'), zk);
    for (const [i, file] of ['server.properties', 'server-1.properties', 'server-2.properties'].entries()) {
      const port = await freePort();
      ports.push(port);
      let text = readFileSync(join(REPO_ROOT, 'config', file), 'utf8')
        .replace(/^listeners=PLAINTEXT:\/\/([^:]+):\d+$/m, `listeners=PLAINTEXT://127.0.0.1:${port}`)
        .replace(/^log\.dirs?=.*$/m, `log.dir=${join(dir, `kafka-logs-${i}`)}`)
        .replace(/^zookeeper\.connect=.*$/m, `zookeeper.connect=localhost:${zkPort}`)
        .replace(/^zookeeper\.session\.timeout\.ms=.*$/m, 'zookeeper.session.timeout.ms=6000');
      if (i === 0) {
        metricsPort = await freePort();
        text = text.replace(
          /^metrics\.listener=http:\/\/localhost:\d+$/m,
          `metrics.listener=http://127.0.0.1:${metricsPort}`,
        );
        assert.match(text, /^metrics\.listener=http:\/\/127\.0\.0\.1:/m, 'server.properties serves metrics');
      }
      // Broker 0 joins with the overrides the README gives; 1 and 2 as shipped.
      if (i === 0) text += `zookeeper.connect=localhost:${zkPort}\noffsets.topic.replication.factor=3\n`;
      const path = join(dir, file);
      writeFileSync(path, text);
      configs.push(path);
    }
  });

  after(async () => {
    // Only this test's brokers: without a file, the script stops every broker started on the machine.
    for (const config of configs) await script('kafka-server-stop.sh', [config], '', 60000).catch(() => undefined);
    await script('zookeeper-server-stop.sh', [join(dir, 'zookeeper.properties')]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const pidOf = (i: number) => Number(readFileSync(join(dir, `kafka-logs-${i}`, 'samsa-broker.pid'), 'utf8').trim());
  const describeTopic = async () => {
    const r = await script('kafka-topics.sh', [
      '--describe',
      '--zookeeper',
      `localhost:${zkPort}`,
      '--topic',
      'my-replicated-topic',
    ]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const partitionLine = (out: string) => {
    const match = /Partition: 0\tLeader: (\S+)\tReplicas: (\S+)\tIsr: (\S+)/.exec(out);
    assert.ok(match, out);
    return { leader: match[1] as string, replicas: match[2] as string, isr: match[3] as string };
  };

  test('ZooKeeper, three brokers, a replicated topic, a leader killed and back', async () => {
    const zk = await script('zookeeper-server-start.sh', ['-daemon', join(dir, 'zookeeper.properties')]);
    assert.equal(zk.code, 0, zk.stderr);
    for (const config of configs) {
      const started = await script('kafka-server-start.sh', ['-daemon', config], '', 60000);
      assert.equal(started.code, 0, started.stderr);
    }
    const created = await eventually(
      async () => {
        const r = await script('kafka-topics.sh', [
          '--create',
          '--zookeeper',
          `localhost:${zkPort}`,
          '--replication-factor',
          '3',
          '--partitions',
          '1',
          '--topic',
          'my-replicated-topic',
        ]);
        return r.code === 0 ? r.stdout : undefined;
      },
      30000,
      'the three brokers registered',
    );
    assert.equal(created, 'Created topic my-replicated-topic.\n');

    const first = await eventually(
      async () => {
        const out = await describeTopic();
        return /Leader: \d/.test(out) ? out : undefined;
      },
      15000,
      'a leader',
    );
    assert.match(
      first,
      /^Topic: my-replicated-topic\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: /,
    );
    const before = partitionLine(first);
    assert.deepEqual(before.replicas.split(',').sort(), ['0', '1', '2']);
    assert.deepEqual(before.isr.split(',').sort(), ['0', '1', '2']);
    // server.properties turns on /metrics: broker 0 hosts a replica of the topic.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^kafka_log_log_size\{topic="my-replicated-topic",partition="0"\} \d+$/m);

    const bootstrap = `localhost:${ports[0]}`;
    const produced = await script(
      'kafka-console-producer.sh',
      ['--broker-list', bootstrap, '--topic', 'my-replicated-topic'],
      `${MESSAGES.join('\n')}\n`,
    );
    assert.equal(produced.code, 0, produced.stderr);
    const consume = async (servers: string) => {
      const r = await script(
        'kafka-console-consumer.sh',
        [
          '--bootstrap-server',
          servers,
          '--from-beginning',
          '--topic',
          'my-replicated-topic',
          '--max-messages',
          String(MESSAGES.length),
          '--timeout-ms',
          '20000',
        ],
        '',
        40000,
      );
      assert.equal(r.code, 0, r.stderr);
      return { lines: r.stdout.split('\n').filter((l) => l !== ''), stderr: r.stderr };
    };
    const read = await consume(bootstrap);
    assert.deepEqual(read.lines, MESSAGES, read.stderr);

    const leader = Number(before.leader);
    process.kill(pidOf(leader), 'SIGKILL');
    const after = await eventually(
      async () => {
        const p = partitionLine(await describeTopic());
        return p.leader !== String(leader) && p.leader !== 'none' && !p.isr.split(',').includes(String(leader))
          ? p
          : undefined;
      },
      30000,
      'a new leader without the dead broker in the ISR',
    );
    assert.equal(after.replicas, before.replicas, 'the assignment does not change');
    const live = ports
      .filter((_, i) => i !== leader)
      .map((p) => `localhost:${p}`)
      .join(',');
    const readAfter = await consume(live);
    if (readAfter.lines.length !== MESSAGES.length) {
      // What the live brokers logged meanwhile tells whether the group, the leader or the HW held it up.
      const logs = [0, 1, 2]
        .filter((i) => i !== leader)
        .map(
          (i) =>
            `--- broker ${i} ---\n${readFileSync(join(dir, `kafka-logs-${i}`, 'samsa-server.out'), 'utf8')
              .split('\n')
              .slice(-60)
              .join('\n')}`,
        )
        .join('\n');
      console.log(logs);
    }
    assert.deepEqual(readAfter.lines, MESSAGES, `every message is still there; the consumer said: ${readAfter.stderr}`);

    const restarted = await script('kafka-server-start.sh', ['-daemon', configs[leader] as string], '', 60000);
    assert.equal(restarted.code, 0, restarted.stderr);
    await eventually(
      async () => partitionLine(await describeTopic()).isr.split(',').length === 3,
      30000,
      'the broker back in the ISR',
    );
  });
});
