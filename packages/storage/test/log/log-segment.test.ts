import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readBatchHeader } from '@samsa/protocol';
import type { AppendedBatch } from '../../src/log/log-segment.js';
import { LogSegment } from '../../src/log/log-segment.js';
import { defaultFdatasync } from '../../src/util/file-ops.js';
import { batchesIn, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { T0 } from '../support/log-helpers.js';

function segment(dir: string, create = true, baseOffset = 100): LogSegment {
  return LogSegment.open({
    dir,
    baseOffset,
    indexIntervalBytes: 200,
    maxIndexSize: 1024,
    rollJitterMs: 0,
    nowMs: T0,
    create,
    fsync: defaultFdatasync,
  });
}

/** Appends `n` batches of 2 records starting at `offset`, as the log would. */
function appendBatches(seg: LogSegment, offset: number, n: number, ts = T0): number {
  for (let i = 0; i < n; i++) {
    const b = simpleBatch(2, { baseOffset: offset, timestamp: ts + i, valueSize: 40 });
    const h = readBatchHeader(b);
    const batch: AppendedBatch = { position: 0, size: b.length, lastOffset: offset + 1, maxTimestamp: h.maxTimestamp };
    seg.append(offset + 1, b, [batch], T0);
    offset += 2;
  }
  return offset;
}

describe('LogSegment', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });
  afterEach(() => rmDir(dir));

  it('indexes every indexIntervalBytes and translates offsets to batch positions', async () => {
    const seg = segment(dir);
    const end = appendBatches(seg, 100, 20);
    assert.equal(seg.readNextOffset(), end);
    assert.ok(seg.offsetIndex.entries >= 5, `entries ${seg.offsetIndex.entries}`);
    for (let o = 100; o < end; o++) {
      const loc = seg.translateOffset(o, seg.lookupPosition(o));
      assert.ok(loc && loc.baseOffset <= o && loc.lastOffset >= o);
    }
    assert.equal(seg.translateOffset(end), undefined);
    const r = await seg.read(111, 10_000, Number.MAX_SAFE_INTEGER, false);
    assert.equal(r?.firstOffset, 110);
    assert.equal(batchesIn(r?.records ?? Buffer.alloc(0))[0]?.baseOffset, 110);
    assert.equal(seg.maxTimestamp, T0 + 19);
    assert.equal(seg.offsetOfMaxTimestamp, end - 1);
    seg.close();
  });

  it('truncates to an offset, indexes included', () => {
    const seg = segment(dir);
    appendBatches(seg, 100, 20);
    const removed = seg.truncateTo(120);
    assert.ok(removed > 0);
    assert.equal(seg.readNextOffset(), 120);
    assert.ok(seg.offsetIndex.lastOffset < 120);
    assert.ok(seg.timeIndex.lastEntry().offset < 120);
    assert.equal(seg.maxTimestamp, T0 + 9);
    seg.close();
  });

  it('recovers: rebuilds indexes and cuts a torn tail', async () => {
    const seg = segment(dir);
    appendBatches(seg, 100, 10);
    const entries = seg.offsetIndex.entries;
    seg.close();
    fs.truncateSync(seg.logPath, seg.size - 7);
    fs.unlinkSync(seg.offsetIndex.path);
    const again = segment(dir, false);
    assert.equal(again.indexFilesExist(), false);
    const truncated = await again.recover();
    assert.ok(truncated > 0);
    assert.equal(again.readNextOffset(), 118);
    assert.equal(again.offsetIndex.entries, entries);
    assert.ok(fs.existsSync(again.offsetIndex.path));
    again.close();
  });

  it('rolls by size, by time (batch timestamps) and when the index is full', () => {
    const seg = segment(dir);
    const p = {
      segmentBytes: 10_000,
      segmentMs: 1000,
      messagesSize: 100,
      maxTimestampInMessages: T0,
      maxOffsetInMessages: 101,
      nowMs: T0,
    };
    assert.equal(seg.shouldRoll(p), false);
    appendBatches(seg, 100, 1);
    assert.equal(seg.shouldRoll({ ...p, messagesSize: 10_000 }), true);
    assert.equal(seg.shouldRoll({ ...p, maxTimestampInMessages: T0 + 1001 }), true);
    assert.equal(seg.shouldRoll({ ...p, maxOffsetInMessages: 100 + 2 ** 31 }), true);
    seg.close();
  });
});
