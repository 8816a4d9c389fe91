import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { logConfig } from '../../src/log/log-config.js';
import { LogManager } from '../../src/log/log-manager.js';
import { MockTime } from '../../src/util/time.js';
import { rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { T0 } from '../support/log-helpers.js';

describe('LogManager', () => {
  let root: string;
  let dirs: string[];
  beforeEach(() => {
    root = tmpDir();
    dirs = [join(root, 'd1'), join(root, 'd2')];
  });
  afterEach(() => rmDir(root));

  function manager(time = new MockTime(T0)) {
    return new LogManager({
      logDirs: dirs,
      defaultConfig: logConfig({ segmentBytes: 1000, fileDeleteDelayMs: 0 }),
      time,
      recoveryThreadsPerDataDir: 2,
    });
  }

  it('checkpoint writes that overlap (two background tasks on one tick) are serialised per file', async () => {
    const lm = manager();
    await lm.startup();
    const a = await lm.getOrCreateLog('orders', 0);
    a.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 5);
    a.updateHighWatermark(2);
    // Both would write <file>.tmp at once; the second rename used to fail with ENOENT.
    await Promise.all([lm.writeCheckpoints(), lm.writeCheckpoints(), lm.writeCheckpoints()]);
    const d = join(a.dir, '..');
    assert.equal(fs.readFileSync(join(d, 'replication-offset-checkpoint'), 'utf8'), '0\n1\norders 0 2\n');
    assert.equal(fs.existsSync(join(d, 'replication-offset-checkpoint.tmp')), false);
    await lm.shutdown();
  });

  it('creates logs across dirs, checkpoints them and reloads after a clean shutdown', async () => {
    const lm = manager();
    await lm.startup();
    const a = await lm.getOrCreateLog('orders', 0);
    const b = await lm.getOrCreateLog('orders', 1, undefined, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.equal(await lm.getOrCreateLog('orders', 0), a);
    assert.notEqual(join(a.dir, '..'), join(b.dir, '..'), 'spread over the two dirs');
    for (let i = 0; i < 10; i++) a.appendAsLeader(simpleBatch(2, { valueSize: 100, timestamp: T0 }), 5);
    b.appendAsLeader(simpleBatch(3, { timestamp: T0 }), 5);
    a.updateHighWatermark(15);
    b.updateHighWatermark(3);
    await a.deleteRecordsBefore(4);
    await lm.shutdown();
    const d1 = join(a.dir, '..');
    assert.ok(fs.existsSync(join(d1, '.kafka_cleanshutdown')));
    assert.equal(fs.readFileSync(join(d1, 'recovery-point-offset-checkpoint'), 'utf8'), '0\n1\norders 0 20\n');
    assert.equal(fs.readFileSync(join(d1, 'replication-offset-checkpoint'), 'utf8'), '0\n1\norders 0 15\n');
    const lso = fs.readFileSync(join(d1, 'log-start-offset-checkpoint'), 'utf8');
    assert.ok(lso === '0\n1\norders 0 4\n' || lso === '0\n0\n', lso);

    const again = manager();
    await again.startup();
    assert.equal(fs.existsSync(join(d1, '.kafka_cleanshutdown')), false, 'marker removed after startup');
    const a2 = again.getLog('orders', 0);
    assert.ok(a2);
    assert.equal(a2.logEndOffset, 20);
    assert.equal(a2.highWatermark, 15);
    assert.equal(a2.logStartOffset, 4);
    assert.equal(a2.recoveryPoint, 20);
    assert.equal(again.getLog('orders', 1)?.topicId, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.equal(again.allLogs().length, 2);
    await again.shutdown();
  });

  it('recovers after an unclean shutdown (no marker)', async () => {
    const lm = manager();
    await lm.startup();
    const log = await lm.getOrCreateLog('t', 0);
    for (let i = 0; i < 5; i++) log.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    await lm.writeCheckpoints();
    // "Crash": no shutdown. Tear the tail.
    const seg = log.activeSegment;
    fs.truncateSync(seg.logPath, seg.size - 5);
    const again = manager();
    await again.startup();
    assert.equal(again.getLog('t', 0)?.logEndOffset, 4);
    await again.shutdown();
    await lm.shutdown().catch(() => {});
  });

  it('deletes a log by renaming its dir and removing it asynchronously', async () => {
    const lm = manager();
    await lm.startup();
    const log = await lm.getOrCreateLog('gone', 3);
    log.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    const parent = join(log.dir, '..');
    await lm.deleteLog('gone', 3);
    assert.equal(lm.getLog('gone', 3), undefined);
    assert.equal(fs.existsSync(log.dir), false);
    await lm.shutdown();
    assert.deepEqual(
      fs.readdirSync(parent).filter((n) => n.startsWith('gone')),
      [],
    );
  });

  it('applies retention through cleanupLogs and flushes by flushMs', async () => {
    const time = new MockTime(T0);
    const lm = new LogManager({
      logDirs: dirs,
      defaultConfig: logConfig({ segmentBytes: 300, retentionMs: 1000, fileDeleteDelayMs: 0, flushMs: 500 }),
      time,
    });
    await lm.startup();
    const log = await lm.getOrCreateLog('r', 0);
    for (let i = 0; i < 6; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 100, timestamp: T0 }), 0);
    log.updateHighWatermark(log.logEndOffset);
    time.sleep(2000);
    assert.ok((await lm.cleanupLogs()) > 0);
    assert.equal(log.logStartOffset, log.logSegments()[0]?.baseOffset);
    const before = log.lastFlushTimeMs;
    await lm.flushDirtyLogs();
    assert.ok(log.lastFlushTimeMs > before);
    await lm.shutdown();
  });
});
