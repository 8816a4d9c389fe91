/**
 * Starting and stopping the broker: a bad config value stops startup naming the key and value,
 * unknown keys are warned about, Ctrl-C (SIGINT) shuts down cleanly, and a log dir that belongs
 * to another broker id is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Consumer } from '@samsa/client';
import { BROKER_MAIN, BrokerProcess, run } from '@samsa/testkit';

function propertiesFile(dir: string, lines: string[]): string {
  const path = join(dir, 'server.properties');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('broker startup and shutdown', () => {
  test('a bad value stops startup with a message naming the key and the value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-startup-'));
    try {
      const config = propertiesFile(dir, [
        'listeners=PLAINTEXT://127.0.0.1:0',
        `log.dirs=${dir}/logs`,
        'num.partitions=three',
      ]);
      const result = await run(process.execPath, [BROKER_MAIN, config], { timeoutMs: 20000 });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Invalid value three for configuration num\.partitions/);
      const listener = await run(
        process.execPath,
        [BROKER_MAIN, config, '--override', 'num.partitions=1', '--override', 'listeners=KERBEROS://x:1'],
        {
          timeoutMs: 20000,
        },
      );
      assert.equal(listener.code, 1);
      assert.match(listener.stderr, /configuration listeners: unknown security protocol KERBEROS/);
      // An SSL listener without a keystore names the key to set.
      const ssl = await run(
        process.execPath,
        [
          BROKER_MAIN,
          config,
          '--override',
          'num.partitions=1',
          '--override',
          'listeners=PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
        ],
        { timeoutMs: 20000 },
      );
      assert.equal(ssl.code, 1);
      assert.match(ssl.stderr, /ssl\.keystore\.location/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unknown keys are warned about, and SIGINT shuts down cleanly', async () => {
    const broker = await BrokerProcess.start({ properties: { 'no.such.setting': 'x', 'num.network.threads': 3 } });
    try {
      assert.match(broker.logs, /WARN The configuration 'no\.such\.setting' was supplied but isn't a known config\./);
      assert.match(broker.logs, /num\.network\.threads' is accepted but has no effect/);
      broker.child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => broker.child.once('exit', resolve));
      assert.equal(code, 0);
      assert.match(broker.logs, /shut down completed/);
      const again = await BrokerProcess.start({ dataDir: broker.dataDir });
      assert.match(again.logs, /\(clean shutdown\)/);
      await again.stop();
    } finally {
      await broker.close();
    }
  });

  test('an offsets topic that needs more brokers than are alive is named in the log, as Kafka does', async () => {
    // Kafka's default offsets.topic.replication.factor is 3: a lone broker cannot create
    // __consumer_offsets, and group members only ever see COORDINATOR_NOT_AVAILABLE.
    const broker = await BrokerProcess.start({ properties: { 'offsets.topic.replication.factor': 3 } });
    const consumer = new Consumer({ 'bootstrap.servers': broker.bootstrap, 'group.id': 'short-of-brokers' });
    try {
      consumer.subscribe(['short-of-brokers']);
      const running = consumer.run({ eachMessage: async () => {} }).catch(() => {});
      const wanted =
        /ERROR Number of alive brokers '1' does not meet the required replication factor '3' for the offsets topic \(configured via 'offsets\.topic\.replication\.factor'\)/;
      const deadline = Date.now() + 15000;
      while (!wanted.test(broker.logs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(broker.logs, wanted);
      // The member is still looking for its coordinator: close (and the run) must end all the same.
      await consumer.close();
      await running;
    } finally {
      await broker.close();
    }
  });

  test('a log dir written by another broker id is refused', async () => {
    const broker = await BrokerProcess.start();
    await broker.stop();
    try {
      await assert.rejects(
        BrokerProcess.start({ dataDir: broker.dataDir, properties: { 'broker.id': 7 } }),
        /Configured broker\.id 7 doesn't match stored broker\.id 0/,
      );
    } finally {
      await broker.close();
    }
  });
});
