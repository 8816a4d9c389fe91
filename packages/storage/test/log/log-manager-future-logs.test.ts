import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Log } from '../../src/log/log.js';
import { logConfig } from '../../src/log/log-config.js';
import { LogManager } from '../../src/log/log-manager.js';
import { MockTime } from '../../src/util/time.js';
import { rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { T0 } from '../support/log-helpers.js';

/** Future logs (AlterReplicaLogDirs): creation, the swap, and what a restart makes of them. */
describe('LogManager future logs', () => {
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
      defaultConfig: logConfig({ segmentBytes: 2000, fileDeleteDelayMs: 0 }),
      time: new MockTime(T0),
    });
  }

  /** Copies what `future` lacks from `current`, batches as they are (as a follower appends). */
  async function copy(current: Log, future: Log): Promise<void> {
    while (future.logEndOffset < current.logEndOffset) {
      const data = await current.read(future.logEndOffset, { maxBytes: 700, minOneMessage: true });
      future.appendAsFollower(data.records);
    }
  }

  async function allBytes(log: Log): Promise<Buffer> {
    return (await log.read(log.logStartOffset, { maxBytes: 1 << 20 })).records;
  }

  const entries = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('orders-'));

  it('creates the future in the destination dir, swaps it in, deletes the old copy and reloads it', async () => {
    const lm = manager();
    await lm.startup();
    const current = await lm.getOrCreateLog('orders', 0, undefined, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.equal(lm.logDirOf(current), dirs[0]);
    for (let i = 0; i < 12; i++) current.appendAsLeader(simpleBatch(3, { valueSize: 100, timestamp: T0 }), 4);
    current.updateHighWatermark(30);
    const future = await lm.createFutureLog('orders', 0, dirs[1] as string);
    assert.match(future.dir, /\/d2\/orders-0\.[0-9a-f]{32}-future$/);
    assert.equal(future.topicId, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.equal(await lm.createFutureLog('orders', 0, dirs[1] as string), future, 'one future per partition');
    assert.deepEqual(lm.allFutureLogs(), [future]);
    await copy(current, future);
    // More arrives; the last catch-up reads synchronously.
    current.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 4);
    const tail = current.readSync(future.logEndOffset, 1 << 20);
    assert.equal(tail.firstOffset, 36);
    future.appendAsFollower(tail.records);
    future.updateHighWatermark(current.highWatermark);
    assert.ok(future.numberOfSegments > 1, 'the copy rolled segments of its own');

    const old = lm.replaceCurrentWithFutureLog('orders', 0);
    assert.equal(old, current);
    assert.equal(current.isClosed, true);
    assert.equal(lm.getLog('orders', 0), future);
    assert.equal(lm.getFutureLog('orders', 0), undefined);
    assert.equal(future.dir, join(dirs[1] as string, 'orders-0'));
    assert.equal(lm.logDirOf(future), dirs[1]);
    // The renamed log keeps working: appends, rolls, reads.
    for (let i = 0; i < 8; i++) future.appendAsLeader(simpleBatch(3, { valueSize: 100, timestamp: T0 }), 5);
    const expected = await allBytes(future);
    const leo = future.logEndOffset;
    await lm.shutdown();
    assert.deepEqual(entries(dirs[0] as string), [], 'the old copy is gone');
    assert.deepEqual(entries(dirs[1] as string), ['orders-0']);

    const again = manager();
    await again.startup();
    const reloaded = again.getLog('orders', 0) as Log;
    assert.equal(reloaded.dir, join(dirs[1] as string, 'orders-0'));
    assert.equal(reloaded.logEndOffset, leo);
    assert.equal(reloaded.topicId, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.deepEqual(await allBytes(reloaded), expected);
    assert.deepEqual(
      reloaded.leaderEpochCache.entries().map((e) => e.epoch),
      [4, 5],
    );
    await again.shutdown();
  });

  it('reloads a future log at restart, beside its current log, and resumes from where it was', async () => {
    const lm = manager();
    await lm.startup();
    const current = await lm.getOrCreateLog('orders', 0);
    for (let i = 0; i < 6; i++) current.appendAsLeader(simpleBatch(3, { timestamp: T0 }), 1);
    const future = await lm.createFutureLog('orders', 0, dirs[1] as string);
    future.appendAsFollower((await current.read(0, { maxBytes: 200, minOneMessage: true })).records);
    const copied = future.logEndOffset;
    assert.ok(copied > 0 && copied < current.logEndOffset);
    await lm.shutdown();

    const again = manager();
    await again.startup();
    const resumed = again.getFutureLog('orders', 0) as Log;
    assert.ok(resumed !== undefined);
    assert.equal(again.logDirOf(resumed), dirs[1]);
    assert.equal(resumed.logEndOffset, copied);
    assert.equal(again.logDirOf(again.getLog('orders', 0) as Log), dirs[0]);
    assert.deepEqual(
      again.allLogs().map((l) => l.dir),
      [join(dirs[0] as string, 'orders-0')],
      'the future is not served',
    );
    await again.shutdown();
  });

  it('completes at startup a swap stopped after the old copy was retired', async () => {
    const lm = manager();
    await lm.startup();
    const current = await lm.getOrCreateLog('orders', 0);
    for (let i = 0; i < 4; i++) current.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 1);
    const future = await lm.createFutureLog('orders', 0, dirs[1] as string);
    await copy(current, future);
    const expected = await allBytes(current);
    await lm.shutdown();
    // What a crash between the two renames of replaceCurrentWithFutureLog leaves.
    fs.renameSync(join(dirs[0] as string, 'orders-0'), join(dirs[0] as string, `orders-0.${'c'.repeat(32)}-delete`));

    const again = manager();
    await again.startup();
    const log = again.getLog('orders', 0) as Log;
    assert.equal(log.dir, join(dirs[1] as string, 'orders-0'));
    assert.equal(again.getFutureLog('orders', 0), undefined);
    assert.deepEqual(await allBytes(log), expected);
    await again.shutdown();
    assert.deepEqual(entries(dirs[0] as string), []);
  });

  it('removes an orphaned future log, and the future with its partition', async () => {
    fs.mkdirSync(join(dirs[1] as string, `gone-0.${'d'.repeat(32)}-future`), { recursive: true });
    const lm = manager();
    await lm.startup();
    assert.deepEqual(lm.allFutureLogs(), []);
    await lm.getOrCreateLog('orders', 0);
    await lm.createFutureLog('orders', 0, dirs[1] as string);
    await lm.deleteLog('orders', 0);
    assert.equal(lm.getFutureLog('orders', 0), undefined);
    await lm.shutdown();
    assert.deepEqual(
      fs.readdirSync(dirs[1] as string).filter((n) => n.includes('-0')),
      [],
    );
    assert.deepEqual(entries(dirs[0] as string), []);
  });

  it('drops the future log when its dir fails, and sends a new partition to its preferred dir', async () => {
    const lm = manager();
    await lm.startup();
    await lm.getOrCreateLog('orders', 0);
    await lm.createFutureLog('orders', 0, dirs[1] as string);
    lm.handleLogDirFailure(dirs[1] as string, new Error('disk gone'));
    assert.equal(lm.getFutureLog('orders', 0), undefined);
    assert.ok(lm.getLog('orders', 0) !== undefined, 'the current log keeps serving');
    await lm.shutdown();

    const other = manager();
    await other.startup();
    assert.equal(other.logDirAt(dirs[1] as string), dirs[1]);
    assert.equal(other.logDirAt('/nowhere'), undefined);
    // d1 holds orders-0 (and the future in d2 was resumed): d2 would be next anyway; prefer d1.
    other.setPreferredLogDir('orders', 1, dirs[0] as string);
    assert.equal(other.logDirOf(await other.getOrCreateLog('orders', 1)), dirs[0]);
    await other.shutdown();
  });
});
