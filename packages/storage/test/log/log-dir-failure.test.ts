import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { logConfig } from '../../src/log/log-config.js';
import { type LogDirFailure, LogManager } from '../../src/log/log-manager.js';
import { MockTime } from '../../src/util/time.js';
import { rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { T0 } from '../support/log-helpers.js';

/**
 * Kafka's log dir failure handling: an I/O error in one log takes its whole log dir offline, the
 * other dirs keep working. The failure here is the dir vanishing under the broker (the next file
 * it creates fails with ENOENT); the broker tests fill a real tmpfs instead.
 */
describe('log dir failure', () => {
  let root: string;
  let dirs: string[];
  beforeEach(() => {
    root = tmpDir();
    dirs = [join(root, 'd1'), join(root, 'd2')];
  });
  afterEach(() => rmDir(root));

  function manager() {
    return new LogManager({
      logDirs: dirs,
      defaultConfig: logConfig({ segmentBytes: 1000, fileDeleteDelayMs: 0 }),
      time: new MockTime(T0),
    });
  }

  const isStorageError = (pattern: RegExp) => (err: unknown) =>
    err instanceof KafkaError && err.errorCode === ErrorCode.KAFKA_STORAGE_ERROR && pattern.test(err.message);

  it('an I/O error takes only its dir offline, once; the logs there fail with KAFKA_STORAGE_ERROR', async () => {
    const lm = manager();
    await lm.startup();
    const failures: LogDirFailure[] = [];
    lm.onLogDirFailure((f) => failures.push(f));
    const a = await lm.getOrCreateLog('orders', 0);
    const b = await lm.getOrCreateLog('orders', 1);
    const c = await lm.getOrCreateLog('orders', 2);
    const failingDir = lm.logDirOf(b);
    assert.equal(lm.logDirOf(c), lm.logDirOf(a), 'orders-2 shares a dir with orders-0');
    a.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 0);
    b.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 0);

    fs.rmSync(failingDir, { recursive: true, force: true });
    assert.throws(
      () => b.roll(),
      isStorageError(/Error while rolling a new segment of orders-1 in dir .*d[12]: ENOENT/),
    );
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.logDir, failingDir);
    assert.deepEqual(failures[0]?.partitions, [{ topic: 'orders', partition: 1 }]);
    assert.deepEqual(failures[0]?.onlineLogDirs, [lm.logDirOf(a)]);
    assert.equal(b.isOffline, true);
    assert.equal(lm.getLog('orders', 1), undefined);
    assert.throws(() => b.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0), isStorageError(/is offline/));
    await assert.rejects(b.read(0, { maxBytes: 1000 }), isStorageError(/is offline/));

    // The other dir goes on: appends, new logs, checkpoints.
    a.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 0);
    const d = await lm.getOrCreateLog('orders', 3);
    assert.equal(lm.logDirOf(d), lm.logDirOf(a));
    await lm.writeCheckpoints();
    assert.equal(failures.length, 1, 'reported once');
    assert.match(lm.offlineReason(failingDir)?.message ?? '', /ENOENT/);
    await lm.shutdown();
    assert.ok(fs.existsSync(join(lm.logDirOf(a), '.kafka_cleanshutdown')));
    assert.equal(fs.existsSync(failingDir), false, 'nothing written into the failed dir');
  });

  it('with every dir offline no log can be created', async () => {
    const lm = manager();
    await lm.startup();
    const failures: LogDirFailure[] = [];
    lm.onLogDirFailure((f) => failures.push(f));
    const a = await lm.getOrCreateLog('t', 0);
    const b = await lm.getOrCreateLog('t', 1);
    a.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    b.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    assert.throws(() => a.roll(), isStorageError(/ENOENT/));
    assert.throws(() => b.roll(), isStorageError(/ENOENT/));
    assert.deepEqual(failures.at(-1)?.onlineLogDirs, []);
    await assert.rejects(lm.getOrCreateLog('t', 2), isStorageError(/No log dir is online/));
    await lm.shutdown();
  });

  it('a dir that cannot be loaded starts offline; the broker runs on the others', async () => {
    fs.mkdirSync(dirs[0] as string, { recursive: true });
    // A file where the log dir should be: reading it as a directory fails.
    fs.writeFileSync(dirs[1] as string, 'not a directory');
    const lm = manager();
    await lm.startup();
    assert.deepEqual(lm.onlineLogDirs, [dirs[0]]);
    assert.ok(lm.offlineReason(dirs[1] as string));
    const log = await lm.getOrCreateLog('t', 0);
    assert.equal(lm.logDirOf(log), dirs[0]);
    await lm.shutdown();
  });
});
