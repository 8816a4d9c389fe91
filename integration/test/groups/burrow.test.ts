/**
 * Burrow (Debian's `burrow`, the consumer-lag monitor) reads Samsa's `__consumer_offsets`: the
 * records must be Kafka's own format for it to see the group and compute its lag. Burrow needs a
 * ZooKeeper for its own coordination, so the test starts one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, freePort, requireCommand, run, ZooKeeperProcess } from '@samsa/testkit';
import { waitUntil } from '../support/member-process.js';

const BURROW = requireCommand('Burrow', 'burrow');
const KCAT = requireCommand('kcat', 'kcat');

describe('Burrow reads the group offsets', () => {
  let zookeeper: ZooKeeperProcess;
  let broker: BrokerProcess;
  let workDir: string;
  const stops: (() => void)[] = [];

  before(async () => {
    zookeeper = await ZooKeeperProcess.start();
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    workDir = mkdtempSync(join(tmpdir(), 'samsa-burrow-'));
  });
  after(async () => {
    for (const stop of stops) stop();
    await broker?.close();
    await zookeeper?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('Burrow reports the lag of a group that committed 40 of 100 records', async () => {
    const input = `${Array.from({ length: 100 }, (_, i) => `m${i}`).join('\n')}\n`;
    assert.equal((await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', 'lagged'], { input })).code, 0);
    const consumed = await run(KCAT, [
      '-b',
      broker.bootstrap,
      '-G',
      'lag-group',
      'lagged',
      '-c',
      '40',
      '-X',
      'auto.offset.reset=earliest',
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);

    const httpPort = await freePort();
    writeFileSync(
      join(workDir, 'burrow.toml'),
      `[general]
pidfile="${join(workDir, 'burrow.pid')}"
[logging]
filename="${join(workDir, 'burrow.log')}"
level="info"
[zookeeper]
servers=["${zookeeper.connectString}"]
timeout=6
root-path="/burrow"
[client-profile.samsa]
client-id="burrow"
kafka-version="2.0.0"
[cluster.local]
class-name="kafka"
servers=["${broker.bootstrap}"]
client-profile="samsa"
topic-refresh=2
offset-refresh=1
[consumer.local]
class-name="kafka"
cluster="local"
servers=["${broker.bootstrap}"]
client-profile="samsa"
start-latest=false
[httpserver.default]
address="127.0.0.1:${httpPort}"
[storage.default]
class-name="inmemory"
workers=2
intervals=10
expire-group=604800
min-distance=1
`,
    );
    const burrow = spawn(BURROW, ['--config-dir', workDir], { stdio: 'ignore' });
    stops.push(() => burrow.kill('SIGKILL'));
    let lag: { totallag?: number; partitions?: { topic: string; current_lag: number }[] } = {};
    await waitUntil(
      () => {
        void fetch(`http://127.0.0.1:${httpPort}/v3/kafka/local/consumer/lag-group/lag`)
          .then((r) => r.json() as Promise<{ status?: typeof lag }>)
          .then((body) => {
            lag = body.status ?? {};
          })
          .catch(() => {});
        return lag.totallag === 60;
      },
      30000,
      () => `Burrow's lag report: ${JSON.stringify(lag)}`,
    );
    assert.deepEqual(
      lag.partitions?.map((p) => [p.topic, p.current_lag]),
      [['lagged', 60]],
    );
  });
});
