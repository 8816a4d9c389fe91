import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';

// Scale-out of the seed's word count over 100,000 lines, each instance its own process
// (test/support/word-count-app.ts, every update of a count sent out: no record cache):
// - at_least_once, a second instance joins mid-run: tasks move to it (with their stores,
//   restored from the changelogs), and every word's final count is exact and never exceeded;
// - exactly_once_v2 with num.standby.replicas=1, one of two instances is SIGKILLed mid-run: the
//   other takes its tasks over once its session expires, restoring their stores from its
//   standbys' checkpoints onwards (not from offset 0), and every word's counts, read_committed,
//   are exactly 1, 2, …, n.
// (A SIGKILL under at_least_once can count a record twice — the changelog holds updates past
// the last committed input offset — in Java as here, so that case is exactly_once_v2.)

const LINES = 100_000;
const WORDS = Array.from({ length: 40 }, (_, i) => `w${i.toString(36)}${'xyz'.slice(0, i % 3)}`);
const APP_SCRIPT = new URL('../support/word-count-app.js', import.meta.url).pathname;
let broker: BrokerProcess;
const dirs: string[] = [];
const children: ChildProcess[] = [];

before(async () => {
  broker = await BrokerProcess.start({
    properties: { 'num.partitions': 1, 'transaction.abort.timed.out.transaction.cleanup.interval.ms': 500 },
  });
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One application: its topics, the 100k lines produced and the counts they make. */
async function scenario(
  name: string,
): Promise<{ app: string; input: string; output: string; expected: Map<string, bigint> }> {
  const scenario = {
    app: `scale-${name}`,
    input: `${name}-lines`,
    output: `${name}-counts`,
    expected: new Map<string, bigint>(),
  };
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: scenario.input, numPartitions: 4, replicationFactor: 1 },
    { name: scenario.output, numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const words = Array.from({ length: 1 + (next() % 3) }, () => WORDS[next() % WORDS.length] as string);
    for (const w of words) scenario.expected.set(w, (scenario.expected.get(w) ?? 0n) + 1n);
    lines.push(words.join(' '));
  }
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
    'linger.ms': 5,
  });
  for (let i = 0; i < LINES; i += 5000) {
    await producer.sendBatch(
      lines.slice(i, i + 5000).map((value, j) => ({ topic: scenario.input, key: `line-${i + j}`, value })),
    );
  }
  await producer.close();
  return scenario;
}

function startApp(
  s: { app: string; input: string; output: string },
  guarantee: string,
  stateDir: string,
  standbys = 0,
): ChildProcess {
  const child = spawn(process.execPath, [APP_SCRIPT], {
    env: {
      ...process.env,
      INPUT: s.input,
      OUTPUT: s.output,
      APP: s.app,
      BOOTSTRAP: broker.bootstrap,
      STATE_DIR: stateDir,
      GUARANTEE: guarantee,
      PAUSE_EVERY: '8',
      NUM_STANDBY_REPLICAS: String(standbys),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.stdout?.setEncoding('utf8');
  child.stdout?.resume();
  return child;
}

/** The app's `RESTORED <partition> <start> <records>` lines from now on. */
function restorations(child: ChildProcess): { partition: number; start: bigint; total: number }[] {
  const out: { partition: number; start: bigint; total: number }[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^RESTORED (\d+) (\d+) (\d+)$/.exec(line);
      if (m !== null) out.push({ partition: Number(m[1]), start: BigInt(m[2] as string), total: Number(m[3]) });
    }
  });
  return out;
}

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-scale-'));
  dirs.push(dir);
  return dir;
}

/** Reads the output from its start, every count of every word in order, until `until` holds. */
async function readCounts(
  output: string,
  isolation: 'read_committed' | 'read_uncommitted',
  until: (seen: Map<string, bigint[]>, total: number) => boolean,
): Promise<Map<string, bigint[]>> {
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': isolation,
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic: output, partition: 0 }]);
  consumer.seekToBeginning();
  const seen = new Map<string, bigint[]>();
  let total = 0;
  try {
    while (!until(seen, total)) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) {
        const counts = seen.get(r.key as string) ?? [];
        counts.push(r.value as bigint);
        seen.set(r.key as string, counts);
        total++;
      }
    }
    return seen;
  } finally {
    await consumer.close();
  }
}

const finished = (expected: Map<string, bigint>) => (seen: Map<string, bigint[]>) =>
  seen.size === expected.size && [...expected].every(([w, n]) => seen.get(w)?.at(-1) === n);

/** Members of the group and how many input partitions each was assigned, once every member has some. */
async function spreadOver(app: string, members: number): Promise<number[]> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    for (;;) {
      const [group] = await admin.describeGroups([app]);
      const sizes = (group?.members ?? []).map((m) => m.assignment.length);
      if (group?.state === 'Stable' && sizes.length === members && sizes.every((n) => n > 0)) return sizes;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.close();
  }
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

test('at_least_once: a second instance joins mid-run, tasks move, every final count exact', {
  timeout: 600_000,
}, async () => {
  const s = await scenario('join');
  const first = startApp(s, 'at_least_once', stateDir());
  // The first instance has all 8 tasks (4 partitions × 2 sub-topologies) and is counting.
  await readCounts(s.output, 'read_uncommitted', (_seen, total) => total >= 5000);
  const second = startApp(s, 'at_least_once', stateDir());
  const sizes = await spreadOver(s.app, 2);
  assert.deepEqual(
    sizes.reduce((a, b) => a + b, 0),
    8,
    'the input and repartition partitions are shared by both instances',
  );
  const seen = await readCounts(s.output, 'read_uncommitted', finished(s.expected));
  await Promise.all([stop(first, 'SIGTERM'), stop(second, 'SIGTERM')]);
  for (const [word, n] of s.expected) {
    const counts = seen.get(word) ?? [];
    assert.equal(counts.at(-1), n, `${word}: final count`);
    assert.ok(
      counts.every((c) => c <= n),
      `${word}: no update counted a record twice`,
    );
  }
});

test('exactly_once_v2: one of two instances is SIGKILLed mid-run, the other finishes with exact counts', {
  timeout: 600_000,
}, async () => {
  const s = await scenario('kill');
  // num.standby.replicas=1: each instance keeps the other's counts warm.
  const first = startApp(s, 'exactly_once_v2', stateDir(), 1);
  const second = startApp(s, 'exactly_once_v2', stateDir(), 1);
  await spreadOver(s.app, 2);
  await readCounts(s.output, 'read_committed', (_seen, total) => total >= 10_000);
  const afterKill = restorations(second);
  await stop(first, 'SIGKILL');
  const seen = await readCounts(s.output, 'read_committed', finished(s.expected));
  // The survivor owns every task again; it restored the dead one's from its standbys'
  // checkpoints (or not at all), not from the changelogs' beginnings.
  assert.deepEqual(await spreadOver(s.app, 1), [8]);
  await stop(second, 'SIGTERM');
  // A standby that had read its changelogs to the end restores nothing at all (no restoration is
  // reported, as in Java): either way, none may start from the beginning of a changelog that
  // holds data (a changelog still empty at the kill has nothing to restore: start 0, total 0).
  assert.ok(
    afterKill.every((r) => r.start > 0n || Number(r.total) === 0),
    `restorations after the kill start past 0: ${JSON.stringify(afterKill, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
  );
  for (const [word, n] of s.expected) {
    assert.deepEqual(
      seen.get(word),
      Array.from({ length: Number(n) }, (_, i) => BigInt(i + 1)),
      `${word}: every count exactly once`,
    );
  }
});
