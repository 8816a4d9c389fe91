/**
 * Log compaction on a user topic (cleanup.policy=compact): after the cleaner runs, a consumer
 * reading from the beginning sees only the latest value of each key, and tombstones disappear
 * once delete.retention.ms has passed. The same cleaner compacts `__consumer_offsets`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';

const KCAT = requireCommand('kcat', 'kcat');
const PYTHON = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');

describe('log compaction', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'log.cleaner.backoff.ms': 200, 'num.partitions': 1 } });
  });
  after(async () => {
    await broker?.close();
  });

  async function createCompacted(topic: string, deleteRetentionMs: number): Promise<void> {
    const r = await run(
      PYTHON,
      [
        '-c',
        `
import os
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': os.environ['BOOTSTRAP']})
for t, f in a.create_topics([NewTopic('${topic}', 1, 1, config={
    'cleanup.policy': 'compact', 'segment.bytes': '2048', 'min.cleanable.dirty.ratio': '0.01',
    'delete.retention.ms': '${deleteRetentionMs}', 'segment.ms': '100'})]).items():
    f.result()
`,
      ],
      { env: { ...process.env, BOOTSTRAP: broker.bootstrap } },
    );
    assert.equal(r.code, 0, r.stderr);
  }

  async function readAll(topic: string): Promise<string[]> {
    const r = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', topic, '-e', '-Z', '-f', '%k=%s\n']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '');
  }

  async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  test('only the latest value of each key survives, and old tombstones are removed', async () => {
    const topic = 'compacted';
    await createCompacted(topic, 500);
    // 10 keys, 20 updates each (one request per round so segments roll), then key0 deleted.
    for (let round = 0; round < 20; round++) {
      const lines = Array.from({ length: 10 }, (_, k) => `key${k}:r${round}-${'x'.repeat(40)}`).join('\n');
      const r = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':'], { input: `${lines}\n` });
      assert.equal(r.code, 0, r.stderr);
    }
    // A tombstone: -Z turns the empty value into a null one.
    assert.equal(
      (await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':', '-Z'], { input: 'key0:\n' })).code,
      0,
    );
    // More writes so the segment with the tombstone is no longer the active one.
    for (let round = 20; round < 24; round++) {
      const lines = Array.from({ length: 9 }, (_, k) => `key${k + 1}:r${round}-${'x'.repeat(40)}`).join('\n');
      await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':'], { input: `${lines}\n` });
    }
    // The active segment is never cleaned (as in Kafka): keep appending a sentinel key so the data
    // segments roll out of it and the log stays dirty enough for further passes — the tombstone
    // is only dropped by a pass after delete.retention.ms has elapsed since it was first cleaned.
    const expected = Array.from({ length: 9 }, (_, k) => `key${k + 1}=r23-${'x'.repeat(40)}`).sort();
    let sentinel = 0;
    let last: string[] = [];
    await eventually(
      async () => {
        await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':'], { input: `sentinel:${sentinel++}\n` });
        last = (await readAll(topic)).filter((r) => !r.startsWith('sentinel='));
        return JSON.stringify([...last].sort()) === JSON.stringify(expected);
      },
      30000,
      'compaction to the latest value per key without the tombstone',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last read: ${last.join(' | ').slice(0, 2000)}`);
    });
  });
});
