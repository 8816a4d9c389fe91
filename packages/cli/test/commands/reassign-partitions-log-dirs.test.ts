import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Admin, ErrorCode, KafkaError, type ReplicaLogDirAssignment } from '@samsa/client';
import { executeMoves, setLogDirThrottle } from '../../src/commands/reassign-partitions/log-dir-moves.js';
import { CommandError } from '../../src/support/command-errors.js';
import type { CommandIo } from '../../src/support/command-io.js';

/** Output captured from `--execute`'s log dir part, against an admin answering from a script. */
function harness(answer: (call: number, a: ReplicaLogDirAssignment) => number) {
  let out = '';
  const calls: ReplicaLogDirAssignment[][] = [];
  const configs: unknown[] = [];
  const admin = {
    async alterReplicaLogDirs(assignments: readonly ReplicaLogDirAssignment[]) {
      calls.push([...assignments]);
      return assignments.map((a) => {
        const code = answer(calls.length, a);
        return { ...a, error: code === ErrorCode.NONE ? null : new KafkaError(code, 'from the broker') };
      });
    },
    async incrementalAlterConfigs(resources: unknown) {
      configs.push(resources);
    },
  } as unknown as Admin;
  const io = { stdout: { write: (t: string) => (out += t) } } as unknown as CommandIo;
  return { admin, io, calls, configs, output: () => out };
}

const moves = [
  { topic: 'b', partition: 0, brokerId: 1, logDir: '/d2' },
  { topic: 'a', partition: 1, brokerId: 2, logDir: '/d1' },
  { topic: 'a', partition: 0, brokerId: 1, logDir: '/d2' },
];

test('--execute moves replicas between log dirs, retrying those their broker does not have yet', async () => {
  // a-1 on broker 2 arrives with the partition reassignment, after two attempts.
  const h = harness((call, a) => (a.brokerId === 2 && call < 3 ? ErrorCode.REPLICA_NOT_AVAILABLE : ErrorCode.NONE));
  await executeMoves(h.admin, moves, 10_000, h.io);
  assert.equal(
    h.output(),
    'Successfully started log directory moves for: a-0-1,b-0-1\nSuccessfully started log directory move for: a-1-2\n',
  );
  assert.deepEqual(
    h.calls.map((c) => c.length),
    [3, 1, 1],
  );
});

test('--execute gives up after --timeout, and fails on any other error, with Kafka words', async () => {
  const waiting = harness(() => ErrorCode.REPLICA_NOT_AVAILABLE);
  await assert.rejects(executeMoves(waiting.admin, moves, 150, waiting.io), (error: unknown) => {
    assert.ok(error instanceof CommandError);
    assert.equal(error.message, 'Timed out before log directory moves could be started for: a-0-1,b-0-1,a-1-2');
    return true;
  });
  const refused = harness((_, a) => (a.topic === 'b' ? ErrorCode.LOG_DIR_NOT_FOUND : ErrorCode.NONE));
  await assert.rejects(executeMoves(refused.admin, moves, 1000, refused.io), (error: unknown) => {
    assert.ok(error instanceof CommandError);
    assert.equal(error.message.split('\n')[0], 'Error: Failed to alter dir for b-0-1');
    assert.match(error.message, /Caused by: org\.apache\.kafka\.common\.errors\.LogDirNotFoundException/);
    return true;
  });
});

test('--replica-alter-log-dirs-throttle sets the rate on each broker moving replicas', async () => {
  const h = harness(() => ErrorCode.NONE);
  await setLogDirThrottle(h.admin, moves, 1048576n, h.io);
  assert.equal(h.output(), 'The replica-alter-dir throttle limit was set to 1048576 B/s\n');
  assert.deepEqual(h.configs, [
    [1, 2].map((b) => ({
      type: 'broker',
      name: String(b),
      ops: [{ name: 'replica.alter.log.dirs.io.max.bytes.per.second', op: 'set', value: '1048576' }],
    })),
  ]);
});
