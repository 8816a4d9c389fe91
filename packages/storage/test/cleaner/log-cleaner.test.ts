import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildRecordBatch, CompressionType, decodeRecordBatch } from '@samsa/protocol';
import { LogCleaner } from '../../src/cleaner/log-cleaner.js';
import type { Log } from '../../src/log/log.js';
import { buildBatch, rmDir, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

async function contents(log: Log): Promise<{ offset: number; key: string; value: string | null }[]> {
  const out: { offset: number; key: string; value: string | null }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = await log.read(offset, { maxBytes: 1 << 20 });
    if (r.records.length === 0) break;
    let pos = 0;
    let last = offset;
    while (pos < r.records.length) {
      const batch = decodeRecordBatch(r.records, pos);
      for (const rec of batch.records) {
        if (rec.offset >= offset)
          out.push({ offset: rec.offset, key: String(rec.key), value: rec.value?.toString() ?? null });
      }
      last = batch.header.baseOffset + batch.header.lastOffsetDelta;
      pos += batch.header.sizeInBytes;
    }
    offset = last + 1;
  }
  return out;
}

describe('LogCleaner', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  const config = {
    cleanupPolicy: ['compact' as const],
    segmentBytes: 400,
    minCleanableDirtyRatio: 0.1,
    deleteRetentionMs: 10_000,
  };

  async function fill(log: Log, puts: [string, string | null][]): Promise<void> {
    for (const [k, v] of puts) log.appendAsLeader(buildBatch([{ key: k, value: v, timestamp: T0 }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
  }

  it('keeps only the latest record per key, preserving offsets', async () => {
    const { log, time } = await openLog(dir, config);
    const puts: [string, string | null][] = [];
    for (let i = 0; i < 30; i++) puts.push([`k${i % 5}`, `v${i}`]);
    await fill(log, puts);
    const cleaner = new LogCleaner({ time });
    assert.ok((cleaner.cleanableLog(log)?.dirtyRatio ?? 0) > 0.9);
    assert.equal(await cleaner.cleanOnce([log]), 1);
    const after = await contents(log);
    assert.deepEqual(
      after.map((r) => [r.offset, r.key, r.value]),
      [25, 26, 27, 28, 29].map((o) => [o, `k${o % 5}`, `v${o}`]),
    );
    assert.equal(log.logEndOffset, 30);
    assert.equal(fs.readFileSync(join(dir, '..', 'cleaner-offset-checkpoint'), 'utf8'), '0\n1\ntopic 0 30\n');
    // Nothing left to clean.
    assert.equal(await cleaner.cleanOnce([log]), 0);
    // Appends continue after cleaning.
    assert.equal(log.appendAsLeader(buildBatch([{ key: 'k0', value: 'x', timestamp: T0 }]), 0).firstOffset, 30);
    await log.completePendingDeletes();
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.deleted') || n.endsWith('.cleaned')).length, 0);
    await log.close();
    const { log: again } = await openLog(dir, config, { hadCleanShutdown: true });
    assert.deepEqual(
      (await contents(again)).map((r) => r.offset),
      [25, 26, 27, 28, 29, 30],
    );
    await again.close();
  });

  it('keeps tombstones through the first cleaning and drops them after deleteRetentionMs', async () => {
    const { log, time } = await openLog(dir, config);
    await fill(log, [
      ['a', '1'],
      ['b', '1'],
      ['a', null],
      ['c', '1'],
    ]);
    const cleaner = new LogCleaner({ time });
    await cleaner.clean(log);
    assert.deepEqual(
      (await contents(log)).map((r) => [r.key, r.value]),
      [
        ['b', '1'],
        ['a', null],
        ['c', '1'],
      ],
    );
    // New dirty data so the cleaned section is cleaned again.
    time.sleep(5_000);
    await fill(log, [['d', '1']]);
    await cleaner.clean(log);
    assert.ok(
      (await contents(log)).some((r) => r.key === 'a' && r.value === null),
      'still within deleteRetentionMs',
    );
    time.sleep(20_000);
    await fill(log, [['e', '1']]);
    await cleaner.clean(log);
    assert.deepEqual(
      (await contents(log)).map((r) => r.key),
      ['b', 'c', 'd', 'e'],
    );
    await log.close();
  });

  it('does not clean at or beyond the last stable offset', async () => {
    const { log, time } = await openLog(dir, config);
    await fill(log, [
      ['a', '1'],
      ['a', '2'],
    ]);
    log.appendAsLeader(
      buildBatch([{ key: 'a', value: '3', timestamp: T0 }], {
        producerId: 5,
        producerEpoch: 0,
        baseSequence: 0,
        transactional: true,
      }),
      0,
    );
    log.roll();
    log.appendAsLeader(buildBatch([{ key: 'a', value: '4', timestamp: T0 }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    assert.equal(log.lastStableOffset, 2);
    const cleaner = new LogCleaner({ time });
    const c = cleaner.cleanableLog(log);
    assert.equal(c?.firstUncleanableOffset, 2);
    await cleaner.clean(log);
    assert.deepEqual(
      (await contents(log)).map((r) => r.value),
      ['2', '3', '4'],
    );
    await log.close();
  });

  it('rebuilds compressed batches with their codec, keeping the batch offsets', async () => {
    const { log, time } = await openLog(dir, config);
    const batch = buildRecordBatch({
      compression: CompressionType.GZIP,
      defaultTimestamp: T0,
      records: [
        { key: Buffer.from('x'), value: Buffer.from('1') },
        { key: Buffer.from('y'), value: Buffer.from('1') },
        { key: Buffer.from('x'), value: Buffer.from('2') },
      ],
    });
    log.appendAsLeader(batch, 0);
    log.appendAsLeader(buildBatch([{ key: 'y', value: '2', timestamp: T0 }]), 0);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    await new LogCleaner({ time }).clean(log);
    const r = await log.read(0, { maxBytes: 1 << 20 });
    const first = decodeRecordBatch(r.records, 0);
    assert.equal(first.header.attributes & 7, CompressionType.GZIP);
    assert.equal(first.header.lastOffsetDelta, 2);
    assert.deepEqual(
      first.records.map((x) => [x.offset, String(x.key), String(x.value)]),
      [[2, 'x', '2']],
    );
    await log.close();
  });

  it('recovers from a crash between .cleaned and the swap, and completes a .swap', async () => {
    const { log, time } = await openLog(dir, config);
    const puts: [string, string | null][] = [];
    for (let i = 0; i < 20; i++) puts.push([`k${i % 3}`, `v${i}`]);
    await fill(log, puts);
    const original = await contents(log);
    await log.close();
    // Crash 1: a half-written .cleaned file is discarded.
    fs.writeFileSync(join(dir, '00000000000000000000.log.cleaned'), Buffer.alloc(50, 1));
    fs.writeFileSync(join(dir, '00000000000000000000.index.cleaned'), Buffer.alloc(8));
    let { log: reopened } = await openLog(dir, config, { hadCleanShutdown: true });
    assert.deepEqual(await contents(reopened), original);
    assert.equal(
      fs.readdirSync(dir).some((n) => n.endsWith('.cleaned')),
      false,
    );

    // Crash 2: clean for real, then put the pre-clean segments back next to a .swap of the result.
    const backup = join(dir, '..', 'backup');
    fs.mkdirSync(backup);
    for (const n of fs.readdirSync(dir))
      if (/\.(log|index|timeindex)$/.test(n)) fs.copyFileSync(join(dir, n), join(backup, n));
    await new LogCleaner({ time }).clean(reopened);
    const cleaned = await contents(reopened);
    await reopened.completePendingDeletes();
    await reopened.close();
    const cleanedFirst = reopened.logSegments()[0];
    assert.ok(cleanedFirst);
    const swapSource = join(dir, '00000000000000000000.log');
    fs.renameSync(swapSource, `${swapSource}.swap`);
    for (const n of fs.readdirSync(backup))
      if (!n.startsWith(String(reopened.activeSegment.baseOffset).padStart(20, '0')))
        fs.copyFileSync(join(backup, n), join(dir, n));
    ({ log: reopened } = await openLog(dir, config, { hadCleanShutdown: true }));
    assert.deepEqual(await contents(reopened), cleaned);
    assert.equal(
      fs.readdirSync(dir).some((n) => n.endsWith('.swap')),
      false,
    );
    await reopened.close();
  });
});
