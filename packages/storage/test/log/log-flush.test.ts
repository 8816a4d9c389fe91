import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { defaultFdatasync, type FsyncFn } from '../../src/util/file-ops.js';
import { batchesIn, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

/** An fsync that counts calls and completes only when released. */
function gatedFsync() {
  const state = { armed: false, calls: 0, completed: 0, gates: [] as (() => void)[] };
  const fsync: FsyncFn = async (fd) => {
    if (!state.armed) return defaultFdatasync(fd);
    state.calls++;
    await new Promise<void>((resolve) => state.gates.push(resolve));
    await defaultFdatasync(fd);
    state.completed++;
  };
  const releaseAll = () => {
    for (const g of state.gates.splice(0)) g();
  };
  return { state, fsync, releaseAll };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Log.flush (group commit)', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('shares one fdatasync among concurrent callers and resolves only after it completes', async () => {
    const g = gatedFsync();
    const { log } = await openLog(dir, {}, { fsync: g.fsync });
    await log.flush();
    g.state.armed = true;
    log.appendAsLeader(simpleBatch(5, { timestamp: T0 }), 0);
    // Each caller records how many syncs had completed when its flush resolved.
    const seen: number[] = [];
    const flushes = Array.from({ length: 50 }, () => log.flush().then(() => seen.push(g.state.completed)));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(g.state.calls, 1, 'one sync for 50 callers');
    assert.equal(seen.length, 0, 'nobody resolves before the sync completes');
    // An append and more flushes while the sync is running: they need a second sync.
    log.appendAsLeader(simpleBatch(5, { timestamp: T0 }), 0);
    const seenLater: number[] = [];
    const later = Array.from({ length: 20 }, () => log.flush().then(() => seenLater.push(g.state.completed)));
    g.releaseAll();
    await Promise.all(flushes);
    assert.ok(
      seen.every((c) => c >= 1),
      'every first-round caller resolved after the first sync completed',
    );
    for (let i = 0; i < 20 && g.state.gates.length === 0; i++) await tick();
    assert.equal(g.state.calls, 2, 'the waiting callers share a second sync');
    assert.equal(seenLater.length, 0);
    g.releaseAll();
    await Promise.all(later);
    assert.ok(
      seenLater.every((c) => c >= 2),
      'second-round callers resolved after the second sync',
    );
    assert.equal(g.state.completed, 2);
    assert.equal(log.recoveryPoint, 10);
    g.state.armed = false;
    await log.close();
  });

  it('flushes in the background after flushMessages', async () => {
    let calls = 0;
    const fsync: FsyncFn = async (fd) => {
      calls++;
      await defaultFdatasync(fd);
    };
    const { log } = await openLog(dir, { flushMessages: 10 }, { fsync });
    log.appendAsLeader(simpleBatch(5, { timestamp: T0 }), 0);
    await tick();
    assert.equal(calls, 0);
    log.appendAsLeader(simpleBatch(5, { timestamp: T0 }), 0);
    await log.flush();
    assert.ok(calls >= 1);
    assert.equal(log.unflushedMessageCount, 0);
    await log.close();
  });
});

describe('Log truncation (replication)', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('truncateTo removes later batches, segments, epochs and producer state', async () => {
    const { log } = await openLog(dir, { segmentBytes: 400 });
    for (let i = 0; i < 10; i++) {
      log.appendAsLeader(
        simpleBatch(2, { producerId: 7, producerEpoch: 0, baseSequence: i * 2, timestamp: T0 }),
        i < 5 ? 1 : 2,
      );
    }
    log.updateHighWatermark(20);
    assert.ok(log.numberOfSegments > 2);
    assert.equal(log.truncateTo(8), true);
    assert.equal(log.logEndOffset, 8);
    assert.equal(log.highWatermark, 8);
    assert.equal(log.leaderEpochCache.latestEpoch, 1);
    const r = await log.read(0, { maxBytes: 1 << 20 });
    assert.deepEqual(
      batchesIn(r.records).map((b) => b.baseOffset),
      [0, 2, 4, 6],
    );
    assert.equal(log.activeProducers()[0]?.lastSequence, 7);
    const next = log.appendAsLeader(
      simpleBatch(1, { producerId: 7, producerEpoch: 0, baseSequence: 8, timestamp: T0 }),
      3,
    );
    assert.equal(next.firstOffset, 8);
    assert.equal(log.truncateTo(100), false);
    await log.completePendingDeletes();
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.log')).length, log.numberOfSegments);
    log.truncateFullyAndStartAt(50);
    assert.equal(log.logStartOffset, 50);
    assert.equal(log.logEndOffset, 50);
    assert.deepEqual(log.segmentBaseOffsets(), [50]);
    assert.equal(log.activeProducers().length, 0);
    await log.close();
  });
});
