/**
 * Exactly-once consume-transform-produce through crashes, on a 3-broker cluster: two instances
 * of `support/exactly-once-app.ts` (ExactlyOnceProcessor) turn 100,000 input records into
 * `out-<value>` while the test
 * - kills an app instance with SIGKILL four times, mid-stream, and starts it again in its slot
 *   (its successor's initTransactions aborts the open transaction of the dead one);
 * - kills the group coordinator's broker with SIGKILL once, and starts it again;
 * - freezes an instance with SIGSTOP, starts a replacement in its slot (same transactional.id,
 *   same group.instance.id), and once the replacement has committed, lets the frozen zombie run
 *   again with SIGCONT: it must be fenced and stop, having committed nothing more.
 * A read_committed consumer then finds every input's output exactly once: nothing lost, nothing
 * duplicated. Besides, the transform throws once on a few records in each process, so the
 * processor aborts and retries transactions too. The faults are placed by progress (records committed), not by time, so they land
 * mid-stream however fast the machine is; the app is throttled so the run lasts some seconds.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Admin, Consumer, Producer } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { eventually } from '../cluster/cluster-support.js';
import { MemberProcess } from '../support/member-process.js';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'exactly-once-app.js');
const INPUT = 'eos-input';
const OUTPUT = 'eos-output';
const GROUP = 'eos-app';
const PARTITIONS = 6;
const RECORDS = 100_000;
/** A pause of this many ms per 100 input records in the app: ~10 s of work split over two instances. */
const THROTTLE_MS = 10;
const MAX_RECORDS_PER_TXN = 500;
/** Inputs whose transform fails the first time an app process meets them. */
const FAIL_VALUES = 'v5000,v47000,v90000';

describe('exactly-once processing through faults', () => {
  let cluster: KafkaCluster;
  const apps: MemberProcess[] = [];
  const killAll = () => {
    for (const app of apps) app.child.kill('SIGKILL');
  };
  before(async () => {
    process.once('exit', killAll);
    cluster = await KafkaCluster.start({
      properties: {
        'transaction.state.log.num.partitions': 3,
        'offsets.topic.num.partitions': 3,
        'min.insync.replicas': 2,
        'group.initial.rebalance.delay.ms': 0,
        'group.min.session.timeout.ms': 500,
        'transaction.abort.timed.out.transaction.cleanup.interval.ms': 1000,
      },
    });
  });
  after(async () => {
    killAll();
    await Promise.all(apps.map((app) => app.exited));
    await cluster?.close();
  });

  it('every input record is in the output exactly once after 4 app kills, a broker kill and a zombie', async () => {
    const startedMs = Date.now();
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      await admin.createTopics([
        { name: INPUT, numPartitions: PARTITIONS, replicationFactor: 3 },
        { name: OUTPUT, numPartitions: PARTITIONS, replicationFactor: 3 },
      ]);
      await produceInput(cluster.bootstrap);
      const producedMs = Date.now();

      const start = (slot: number) => {
        const app = MemberProcess.spawn(`slot-${slot}`, process.execPath, [APP], {
          BOOTSTRAP: cluster.bootstrap,
          INPUT,
          OUTPUT,
          GROUP,
          SLOT: String(slot),
          THROTTLE_MS: String(THROTTLE_MS),
          MAX_RECORDS_PER_TXN: String(MAX_RECORDS_PER_TXN),
          FAIL_VALUES,
        });
        apps.push(app);
        return app;
      };
      /** Input records committed so far, as the group's committed offsets say. */
      const committedRecords = async () => {
        const offsets = await admin.listConsumerGroupOffsets(GROUP).catch(() => []);
        return offsets.filter((o) => o.topic === INPUT).reduce((sum, o) => sum + Number(o.offset), 0);
      };
      /** Each app process's state and last events, for failure messages. */
      const describeApps = () =>
        apps
          .map((a) => {
            const state = a.child.exitCode ?? a.child.signalCode ?? 'running';
            const last = a.events.slice(-3).map((e) => JSON.stringify(e));
            const fatal = a.events.filter((e) => e.ev === 'fatal' || e.ev === 'abort').map((e) => JSON.stringify(e));
            return `${a.name} pid ${a.child.pid} (${state}): ${[...fatal, ...last].join(' ')} ${a.logs}`;
          })
          .join('\n');
      const progressAtLeast = async (records: number, what: string) => {
        try {
          await eventually(async () => (await committedRecords()) >= records, 30_000, `${records} records (${what})`);
        } catch (error) {
          throw new Error(`${(error as Error).message} at ${await committedRecords()}; apps:\n${describeApps()}`);
        }
      };
      const faults: string[] = [];
      const killApp = async (slot: number) => {
        const app = current.get(slot) as MemberProcess;
        faults.push(`kill -9 app slot ${slot} at ${await committedRecords()}`);
        await app.kill();
        current.set(slot, start(slot));
      };

      const current = new Map<number, MemberProcess>([
        [0, start(0)],
        [1, start(1)],
      ]);

      await progressAtLeast(10_000, 'first app kill');
      await killApp(0);

      await progressAtLeast(22_000, 'second app kill');
      await killApp(1);

      await progressAtLeast(34_000, 'broker kill');
      const [description] = await admin.describeGroups([GROUP]);
      const victim = description?.coordinator ?? 0;
      faults.push(`kill -9 broker ${victim} (group coordinator) at ${await committedRecords()}`);
      await cluster.kill(victim);
      const brokerKilledAt = await committedRecords();
      // The group, its offsets and the transactions go on with two brokers of three.
      await progressAtLeast(brokerKilledAt + 8_000, 'processing without the broker');
      await cluster.startBroker(victim);
      faults.push(`broker ${victim} restarted at ${await committedRecords()}`);

      await progressAtLeast(55_000, 'third app kill');
      await killApp(0);

      await progressAtLeast(65_000, 'zombie');
      const zombie = current.get(1) as MemberProcess;
      zombie.child.kill('SIGSTOP');
      const frozenAt = await committedRecords();
      faults.push(`SIGSTOP app slot 1 (pid ${zombie.child.pid}) at ${frozenAt}`);
      // Lines the zombie wrote before it stopped may still be in the pipe: read them first.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const zombieCommitsBefore = zombie.count('commit');
      const replacement = start(1);
      current.set(1, replacement);
      // The replacement fenced the zombie (initTransactions) and took its membership over: it commits.
      await eventually(() => replacement.count('commit') > 0, 30_000, 'the replacement to commit');
      zombie.child.kill('SIGCONT');
      const zombieExit = await Promise.race([
        zombie.exited,
        new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 15_000)),
      ]);
      const fatal = zombie.events.find((e) => e.ev === 'fatal') as { error?: string; code?: string } | undefined;
      assert.equal(zombieExit, 3, `the zombie stops on a fatal error; apps:\n${describeApps()}`);
      assert.match(
        fatal?.code ?? '',
        /^(PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|FENCED_INSTANCE_ID)$/,
        `fenced: ${fatal?.error}`,
      );
      // A commit whose EndTxn the coordinator had already completed when the zombie stopped is
      // reported once it resumes (the answer was waiting in its socket); any later one would
      // mean the fencing failed. Exactly-once of every record is checked at the end.
      assert.ok(
        zombie.count('commit') - zombieCommitsBefore <= 1,
        `the zombie committed at most its in-flight transaction after SIGCONT (${zombie.count('commit') - zombieCommitsBefore} commits); apps:\n${describeApps()}`,
      );
      faults.push(`SIGCONT app slot 1: fenced with ${fatal?.code}`);

      await progressAtLeast(80_000, 'fourth app kill');
      await killApp(1);

      await progressAtLeast(RECORDS, 'the end');
      const processedMs = Date.now();
      for (const app of current.values()) await app.stop();
      const aborts = apps.reduce((sum, app) => sum + app.count('abort'), 0);

      const values = await readOutput(cluster.bootstrap, 'read_committed');
      const readMs = Date.now();
      // What read_uncommitted sees beyond that was written by transactions that never committed:
      // the kills and the fencing landed mid-transaction, and their output was aborted.
      const abortedOutputs = (await readOutput(cluster.bootstrap, 'read_uncommitted')).length - values.length;
      const seen = new Map<string, number>();
      for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
      const duplicates = [...seen].filter(([, n]) => n > 1).map(([v]) => v);
      const missing: string[] = [];
      for (let i = 0; i < RECORDS; i++) if (!seen.has(`out-v${i}`)) missing.push(`out-v${i}`);
      assert.deepEqual(duplicates.slice(0, 10), [], `${duplicates.length} duplicated outputs`);
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} inputs without output`);
      assert.equal(values.length, RECORDS);
      assert.equal(faults.filter((f) => f.startsWith('kill -9 app')).length, 4);
      assert.ok(abortedOutputs > 0, 'some fault interrupted a transaction that had sent output');
      assert.ok(aborts > 0, 'transform errors made the processor abort and retry');
      console.log(
        `# ${RECORDS} records exactly once; ${apps.length} app processes; ${aborts} transactions aborted by the ` +
          `processor, ${abortedOutputs} output records of interrupted transactions aborted; ` +
          `produce ${producedMs - startedMs} ms, process ${processedMs - producedMs} ms, read ${readMs - processedMs} ms`,
      );
      for (const fault of faults) console.log(`# ${fault}`);
      for (const app of apps) {
        for (const e of app.events.filter((x) => x.ev === 'abort')) console.log(`# ${app.name} aborted: ${e.error}`);
      }
    } finally {
      await admin.close();
    }
  });
});

/** The input, `v<i>` keyed `k<i>`, with an idempotent producer (no duplicates from its retries). */
async function produceInput(bootstrap: string): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': bootstrap,
    'enable.idempotence': true,
    'linger.ms': 5,
    'batch.size': 65536,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  try {
    const batch = 10_000;
    for (let from = 0; from < RECORDS; from += batch) {
      await producer.sendBatch(
        Array.from({ length: Math.min(batch, RECORDS - from) }, (_, i) => ({
          topic: INPUT,
          key: `k${from + i}`,
          value: `v${from + i}`,
        })),
      );
    }
  } finally {
    await producer.close();
  }
}

/** Every output value a consumer sees at `isolation`, up to the end (read_committed: the last stable offsets). */
async function readOutput(bootstrap: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': bootstrap,
    'isolation.level': isolation,
    'auto.offset.reset': 'earliest',
    'max.poll.records': 5000,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  try {
    const tps = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: OUTPUT, partition }));
    consumer.assign(tps);
    const ends = await eventually(() => consumer.endOffsets(tps), 30_000, 'end offsets');
    const endOf = (partition: number) => ends.find((e) => e.partition === partition)?.offset ?? 0n;
    const out: string[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const positions = await Promise.all(tps.map((tp) => consumer.position(tp)));
      if (positions.every((p, i) => p >= endOf(i))) return out;
      if (Date.now() > deadline) throw new Error(`read ${out.length} records; positions ${positions.join(',')}`);
      for (const record of await consumer.poll({ timeoutMs: 500 })) {
        assert.equal(record.value, `out-v${record.key?.slice(1)}`, 'the output keeps its input key');
        out.push(record.value ?? '');
      }
    }
  } finally {
    await consumer.close();
  }
}
