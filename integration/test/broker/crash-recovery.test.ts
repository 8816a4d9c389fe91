/**
 * Crash safety of the log: kill -9 the broker during a produce stream, restart it, and every
 * record a producer got an acknowledgement for must be readable exactly once at its original
 * offset (acks=1 and acks=all). A corrupted tail and a deleted index must be recovered too, and a
 * clean restart must skip recovery.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';

const PYTHON = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
const KCAT = requireCommand('kcat', 'kcat');

/** A producer that prints "offset value" for every acknowledged record, until killed. */
const PRODUCER = `
import os, sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'acks': os.environ['ACKS'], 'linger.ms': 2,
              'message.timeout.ms': 3000, 'retries': 0, 'enable.idempotence': False})
def cb(err, msg):
    if err is None:
        sys.stdout.write('%d %s\\n' % (msg.offset(), msg.value().decode()))
        sys.stdout.flush()
i = 0
while True:
    try:
        p.produce(os.environ['TOPIC'], value=b'record-%d' % i, partition=0, on_delivery=cb)
        i += 1
    except BufferError:
        pass
    p.poll(0.0005 if i % 50 == 0 else 0)
`;

function startProducer(
  bootstrap: string,
  topic: string,
  acks: string,
): { child: ChildProcess; acked: Map<number, string> } {
  const acked = new Map<number, string>();
  const child = spawn(PYTHON, ['-c', PRODUCER], {
    env: { ...process.env, BOOTSTRAP: bootstrap, TOPIC: topic, ACKS: acks },
  });
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const space = line.indexOf(' ');
      acked.set(Number(line.slice(0, space)), line.slice(space + 1));
    }
  });
  return { child, acked };
}

async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readAll(bootstrap: string, topic: string): Promise<string[]> {
  const result = await run(
    KCAT,
    ['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-f', '%o %s\n'],
    {
      timeoutMs: 60000,
    },
  );
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split('\n').filter((l) => l !== '');
}

describe('crash recovery', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const acks of ['1', 'all']) {
    test(`kill -9 during a produce stream (acks=${acks}): every acknowledged record survives exactly once`, async () => {
      const topic = `crash-${acks}`;
      let broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
      const dataDir = broker.dataDir;
      const producer = startProducer(broker.bootstrap, topic, acks);
      cleanups.push(async () => {
        producer.child.kill('SIGKILL');
      });
      await waitFor(() => producer.acked.size >= 3000, 30000, '3000 acknowledged records');
      await broker.kill();
      producer.child.kill('SIGKILL');
      const acked = new Map(producer.acked);

      broker = await BrokerProcess.start({ dataDir, port: broker.port });
      cleanups.push(async () => {
        await broker.close();
        rmSync(dataDir, { recursive: true, force: true });
      });
      assert.match(broker.logs, /unclean shutdown/);
      const lines = await readAll(broker.bootstrap, topic);
      const stored = new Map<number, string>();
      lines.forEach((line, i) => {
        const space = line.indexOf(' ');
        const offset = Number(line.slice(0, space));
        assert.equal(offset, i, 'offsets must be contiguous from 0');
        stored.set(offset, line.slice(space + 1));
      });
      for (const [offset, value] of acked) assert.equal(stored.get(offset), value, `acknowledged offset ${offset}`);
      // Exactly once: no value appears twice in the log.
      const values = [...stored.values()];
      assert.equal(new Set(values).size, values.length);
      assert.ok(stored.size >= acked.size);
    });
  }

  test('a torn active segment and a deleted index are recovered after an unclean shutdown', async () => {
    const topic = 'torn';
    let broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    const dataDir = broker.dataDir;
    cleanups.push(async () => {
      await broker.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const input = `${Array.from({ length: 500 }, (_, i) => `v${i}`).join('\n')}\n`;
    // One batch per record (linger 0, batch of 1), so corrupting the last batch loses one record.
    const produced = await run(
      KCAT,
      ['-b', broker.bootstrap, '-P', '-t', topic, '-X', 'linger.ms=0', '-X', 'batch.num.messages=1'],
      {
        input,
      },
    );
    assert.equal(produced.code, 0, produced.stderr);
    await broker.kill();

    const partitionDir = join(dataDir, 'logs', `${topic}-0`);
    const segment = join(partitionDir, '00000000000000000000.log');
    const size = statSync(segment).size;
    // Tear the last batch (overwrite its final bytes) and append half a batch of garbage.
    const bytes = readFileSync(segment);
    bytes.fill(0xab, size - 5, size);
    writeFileSync(segment, bytes);
    appendFileSync(segment, Buffer.alloc(37, 0x42));
    for (const name of readdirSync(partitionDir)) {
      if (name.endsWith('.index') || name.endsWith('.timeindex')) rmSync(join(partitionDir, name));
    }

    broker = await BrokerProcess.start({ dataDir });
    const lines = await readAll(broker.bootstrap, topic);
    assert.equal(lines.length, 499, 'only the torn last batch is lost');
    lines.forEach((line, i) => {
      assert.equal(line, `${i} v${i}`);
    });
    // The log continues at the recovered end, and the rebuilt index serves offset lookups.
    const more = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic], { input: 'after\n' });
    assert.equal(more.code, 0, more.stderr);
    const tail = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', topic, '-o', '498', '-e', '-f', '%o %s\n']);
    assert.deepEqual(tail.stdout.trim().split('\n'), ['498 v498', '499 after']);
    assert.ok(readdirSync(partitionDir).some((n) => n.endsWith('.index')));
  });

  test('a clean shutdown skips recovery on the next start and keeps everything', async () => {
    let broker = await BrokerProcess.start();
    const dataDir = broker.dataDir;
    cleanups.push(async () => {
      await broker.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', 'clean'], { input: 'a\nb\nc\n' });
    assert.equal(await broker.stop(), 0);
    broker = await BrokerProcess.start({ dataDir });
    assert.match(broker.logs, /\(clean shutdown\)/);
    assert.doesNotMatch(broker.logs, /unclean shutdown/);
    assert.deepEqual(await readAll(broker.bootstrap, 'clean'), ['0 a', '1 b', '2 c']);
  });
});
