/**
 * SIGTERM stops a KafkaApplication gracefully: a child process (support/graceful-shutdown-app)
 * gets the signal while its listener is in the middle of a record; the record must finish, its
 * offset must be committed, the member must leave its group, and the process must exit with 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Admin } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  committedOffsets,
  createTopics,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

const fixture = fileURLToPath(new URL('../support/graceful-shutdown-app.js', import.meta.url));

describe('graceful shutdown of a KafkaApplication', () => {
  let broker: BrokerProcess;

  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker?.stop();
  });

  it('on SIGTERM finishes the record in flight, commits it, leaves the group and exits with 0', async () => {
    const topic = uniqueName('shutdown');
    const group = uniqueName('g');
    await createTopics(broker.bootstrap, { [topic]: 1 });
    const producer = stringProducer(broker.bootstrap);
    try {
      await producer.sendBatch(Array.from({ length: 10 }, (_, i) => ({ topic, value: `v${i}` })));
    } finally {
      await producer.close();
    }

    const child = spawn(process.execPath, [fixture, broker.bootstrap, topic, group], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((e) => {
      exit = e;
    });

    try {
      await waitFor(() => lines.includes('start 1') || exit !== undefined, 'the second record in flight');
      assert.equal(exit, undefined, `the child exited early: ${stderr}`);
      child.kill('SIGTERM');
      const signalledAt = Date.now();
      await waitFor(() => exit !== undefined, 'the child to exit', 15_000);
      assert.deepEqual(exit, { code: 0, signal: null }, `exit status (stderr: ${stderr})`);
      assert.ok(Date.now() - signalledAt < 10_000);
    } finally {
      if (exit === undefined) child.kill('SIGKILL');
    }

    assert.deepEqual(lines.slice(0, 5), ['started', 'start 0', 'done 0', 'start 1', 'done 1']);
    assert.ok(!lines.includes('start 2'), `no record started after the signal: ${lines.join(', ')}`);
    const committed = (await committedOffsets(broker.bootstrap, group)).get(`${topic}-0`);
    assert.equal(committed, 2n, 'the record in flight was committed');

    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const [description] = await admin.describeGroups([group]);
      assert.equal(description?.members.length, 0, 'the member left the group');
      assert.equal(description?.state, 'Empty');
    } finally {
      await admin.close();
    }
  });
});
