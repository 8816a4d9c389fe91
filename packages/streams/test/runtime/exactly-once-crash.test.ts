import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';

// exactly_once_v2 through a SIGKILL: the first instance dies mid-input with a transaction open
// (the broker aborts it after transaction.timeout.ms); a second instance takes over once the
// dead member's session expires, rebuilds the counts from committed changelog records and
// finishes. Every word's counts in the output, read_committed, are exactly 1, 2, …, n.

const APP = 'eos-crash';
const WORDS = ['north', 'south', 'east', 'west'];
const APP_SCRIPT = new URL('../support/word-count-app.js', import.meta.url).pathname;
let broker: BrokerProcess;
let stateDir: string;
const children: ChildProcess[] = [];

before(async () => {
  broker = await BrokerProcess.start({
    properties: { 'num.partitions': 1, 'transaction.abort.timed.out.transaction.cleanup.interval.ms': 500 },
  });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-eos-crash-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'crash-in', numPartitions: 2, replicationFactor: 1 },
    { name: 'crash-out', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

function startApp(): ChildProcess {
  const child = spawn(process.execPath, [APP_SCRIPT], {
    env: {
      ...process.env,
      INPUT: 'crash-in',
      OUTPUT: 'crash-out',
      APP,
      BOOTSTRAP: broker.bootstrap,
      STATE_DIR: stateDir,
      GUARANTEE: 'exactly_once_v2',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

async function read(
  isolation: 'read_committed' | 'read_uncommitted',
  until: (seen: Map<string, bigint[]>, total: number) => boolean,
): Promise<Map<string, bigint[]>> {
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': isolation,
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic: 'crash-out', partition: 0 }]);
  consumer.seekToBeginning();
  const seen = new Map<string, bigint[]>();
  let total = 0;
  try {
    while (!until(seen, total)) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) {
        seen.set(r.key as string, [...(seen.get(r.key as string) ?? []), r.value as bigint]);
        total++;
      }
    }
    return seen;
  } finally {
    await consumer.close();
  }
}

test('exactly_once_v2: a SIGKILLed instance leaves no duplicate or missing count', async () => {
  const expected = new Map<string, bigint>();
  const lines = Array.from({ length: 4000 }, (_, i) => `${WORDS[i % 4]} ${WORDS[(i * 3 + 1) % 4]}`);
  for (const line of lines) for (const w of line.split(' ')) expected.set(w, (expected.get(w) ?? 0n) + 1n);
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(lines.map((value, i) => ({ topic: 'crash-in', key: `k${i % 16}`, value })));
  await producer.close();

  const first = startApp();
  // Let it commit some transactions (visible to read_committed), then kill it mid-input.
  await read('read_committed', (_seen, total) => total >= 300);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));

  const second = startApp();
  const seen = await read(
    'read_committed',
    (s) => s.size === expected.size && [...expected].every(([w, n]) => s.get(w)?.at(-1) === n),
  );
  second.kill('SIGTERM');
  await new Promise((resolve) => second.once('exit', resolve));
  for (const [word, counts] of seen) {
    const n = Number(expected.get(word));
    assert.deepEqual(
      counts,
      Array.from({ length: n }, (_, i) => BigInt(i + 1)),
      `${word}: every count exactly once`,
    );
  }
});
