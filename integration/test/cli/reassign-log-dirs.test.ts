/**
 * Moving a replica between a broker's log dirs (JBOD) with Kafka's tool, as Kafka does it: a single
 * broker with two `log.dirs`, an idempotent acks=all producer writing all along, and
 * `kafka-reassign-partitions.sh --execute` with `log_dirs` and `--replica-alter-log-dirs-throttle`,
 * then `--verify` until the move completes. DescribeLogDirs shows the future replica in the
 * destination while it copies and the partition there afterwards; every acknowledged record is
 * read back once, in order, also after a restart — and after a crash in the middle of a second
 * move, which resumes at the next start and completes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, type LogDirDescription, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import {
  type AckedRecord,
  assertNoLossNoDuplicates,
  readAllPartitions,
  startSamsaProducer,
} from '../cluster/fault-support.js';
import { script } from './cli-support.js';

const TOPIC = 'jbod-move';
const PADDING = 'x'.repeat(1000);

describe('moving a replica between log dirs (single broker, two log.dirs)', () => {
  let root: string;
  let dirs: [string, string];
  let broker: BrokerProcess;
  const acked: AckedRecord[] = [];

  // Rates measured over two 1-second windows, so that a throttle shows within a few seconds.
  const start = () =>
    BrokerProcess.start({
      dataDir: root,
      properties: {
        'log.dirs': dirs.join(','),
        'replication.quota.window.num': 2,
        'replication.quota.window.size.seconds': 1,
        'replica.fetch.backoff.ms': 200,
      },
    });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'samsa-jbod-'));
    dirs = [join(root, 'd1'), join(root, 'd2')];
    for (const d of dirs) mkdirSync(d);
    broker = await start();
  });
  after(async () => {
    await broker?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function logDirs(): Promise<LogDirDescription[]> {
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      return await admin.describeLogDirs([0]);
    } finally {
      await admin.close();
    }
  }

  /** Where the partition is: its current dir and, while it moves, its future one. */
  async function placement(): Promise<{ current?: string; future?: string; futureSize?: bigint }> {
    const out: { current?: string; future?: string; futureSize?: bigint } = {};
    for (const d of await logDirs()) {
      for (const p of d.partitions) {
        if (p.topic !== TOPIC) continue;
        if (p.isFuture) {
          out.future = d.logDir;
          out.futureSize = p.size;
        } else out.current = d.logDir;
      }
    }
    return out;
  }

  /** `--execute` of a move of partition 0 to `logDir`, with a throttle; its output. */
  async function executeMove(logDir: string, throttle: number): Promise<string> {
    const file = join(root, `move-${Date.now()}.json`);
    writeFileSync(
      file,
      JSON.stringify({ version: 1, partitions: [{ topic: TOPIC, partition: 0, replicas: [0], log_dirs: [logDir] }] }),
    );
    const r = await script('kafka-reassign-partitions.sh', [
      '--bootstrap-server',
      broker.bootstrap,
      '--execute',
      '--reassignment-json-file',
      file,
      '--replica-alter-log-dirs-throttle',
      String(throttle),
    ]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  }

  async function verify(logDir: string): Promise<string> {
    const file = join(root, 'verify.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, partitions: [{ topic: TOPIC, partition: 0, replicas: [0], log_dirs: [logDir] }] }),
    );
    const r = await script('kafka-reassign-partitions.sh', [
      '--bootstrap-server',
      broker.bootstrap,
      '--verify',
      '--reassignment-json-file',
      file,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  }

  async function fill(records: number): Promise<void> {
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      valueSerializer: 'string',
      acks: 'all',
      'linger.ms': 5,
    });
    const prefix = `fill${acked.length}`;
    const sends = Array.from({ length: records }, (_, i) => {
      const value = `${PADDING}${prefix}-${i}`;
      return producer.send({ topic: TOPIC, partition: 0, value }).then((meta) => {
        acked.push({ partition: 0, offset: Number(meta.offset), value });
      });
    });
    await Promise.all(sends);
    await producer.close();
  }

  async function checkEverything(): Promise<void> {
    assertNoLossNoDuplicates(acked, await readAllPartitions(broker.bootstrap, TOPIC, 1, 20_000));
  }

  test('kafka-reassign-partitions.sh moves the replica while a producer writes; it stays moved after a restart', async () => {
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    await admin.createTopics([{ name: TOPIC, numPartitions: 1, replicationFactor: 1 }]);
    await admin.close();
    await fill(3000); // ~3 MB: seconds to copy at 1 MB/s
    const from = (await placement()).current as string;
    const to = dirs.find((d) => d !== from) as string;
    assert.ok(dirs.includes(from), `partition in ${from}`);

    const producer = startSamsaProducer(broker.bootstrap, TOPIC, { acks: 'all', partitions: 1, prefix: 'live' });
    let live: AckedRecord[] = [];
    try {
      await new Promise((r) => setTimeout(r, 200));
      const executed = await executeMove(to, 1_000_000);
      assert.match(executed, /^The replica-alter-dir throttle limit was set to 1000000 B\/s$/m);
      assert.match(executed, /^Successfully started partition reassignment for jbod-move-0$/m);
      assert.match(executed, /^Successfully started log directory move for: jbod-move-0-0$/m);

      const moving = await placement();
      assert.deepEqual([moving.current, moving.future], [from, to], 'the future replica is in the destination');
      assert.match(await verify(to), /^Reassignment of replica jbod-move-0-0 is still in progress\.$/m);

      let verified = '';
      const deadline = Date.now() + 20_000;
      while (!/completed successfully/.test(verified)) {
        assert.ok(Date.now() < deadline, `not complete in time: ${verified}`);
        await new Promise((r) => setTimeout(r, 500));
        verified = await verify(to);
      }
      assert.match(verified, /^Reassignment of replica jbod-move-0-0 completed successfully\.$/m);
      assert.match(verified, /^Clearing broker-level throttles on broker 0$/m);
      assert.deepEqual(await placement(), { current: to });
    } finally {
      await producer.stop();
      live = producer.acked;
    }
    assert.equal(producer.failed(), 0);
    assert.ok(live.length > 200, `${live.length} records acknowledged during the move`);
    acked.push(...live);
    await checkEverything();
    assert.deepEqual(
      readdirSync(from).filter((n) => n.startsWith(TOPIC)),
      [],
      'nothing left in the old dir',
    );

    await broker.stop();
    broker = await start();
    assert.deepEqual(await placement(), { current: to });
    await checkEverything();
  });

  test('a move interrupted by a crash resumes at the next start and completes', async () => {
    const from = (await placement()).current as string;
    const to = dirs.find((d) => d !== from) as string;
    await fill(500);
    // 200 KB/s: a few hundred KB are copied at once, then the copy waits for the throttle.
    await executeMove(to, 200_000);
    const deadline = Date.now() + 10_000;
    let moving = await placement();
    while (moving.future === undefined || (moving.futureSize ?? 0n) === 0n) {
      assert.ok(Date.now() < deadline, 'the copy never started');
      await new Promise((r) => setTimeout(r, 50));
      moving = await placement();
    }
    await broker.kill();
    assert.ok(readdirSync(to).some((n) => n.startsWith(`${TOPIC}-0.`) && n.endsWith('-future')));

    broker = await start();
    const resumed = await placement();
    assert.equal(resumed.current, from, 'the current log serves after the crash');
    assert.equal(resumed.future, to, 'the future log was reloaded to resume');
    // The throttle is a dynamic broker config: it survived too. Lift it.
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    await admin.incrementalAlterConfigs([
      {
        type: 'broker',
        name: '0',
        ops: [{ name: 'replica.alter.log.dirs.io.max.bytes.per.second', op: 'delete' }],
      },
    ]);
    await admin.close();
    const until = Date.now() + 15_000;
    while ((await placement()).future !== undefined) {
      assert.ok(Date.now() < until, 'the resumed move did not complete');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(await placement(), { current: to });
    await checkEverything();
  });
});
