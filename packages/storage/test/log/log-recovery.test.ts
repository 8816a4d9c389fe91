import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { logFile, offsetIndexFile, timeIndexFile } from '../../src/util/log-file-utils.js';
import { batchesIn, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

describe('Log recovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  async function fill(overrides = {}, batches = 20) {
    const { log, time } = await openLog(dir, { segmentBytes: 2000, indexIntervalBytes: 100, ...overrides });
    for (let i = 0; i < batches; i++) {
      log.appendAsLeader(simpleBatch(2, { valueSize: 50, timestamp: T0 + i }), 1);
    }
    return { log, time };
  }

  it('reopens cleanly with everything preserved, quickly, trusting the indexes', async () => {
    const { log } = await fill();
    const segments = log.segmentBaseOffsets();
    const all = await log.read(0, { maxBytes: 1 << 20 });
    log.updateHighWatermark(log.logEndOffset);
    await log.flush();
    await log.close();
    const start = process.hrtime.bigint();
    const { log: again } = await openLog(
      dir,
      { segmentBytes: 2000, indexIntervalBytes: 100 },
      { hadCleanShutdown: true },
    );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 500, `clean open took ${ms} ms`);
    assert.deepEqual(again.segmentBaseOffsets(), segments);
    assert.equal(again.logEndOffset, 40);
    assert.equal(again.recoveryPoint, 40);
    assert.equal(again.leaderEpochCache.latestEpoch, 1);
    const reread = await again.read(0, { maxBytes: 1 << 20 });
    assert.deepEqual(reread.records, all.records);
    const r = await again.read(27, { maxBytes: 1 << 20 });
    assert.equal(batchesIn(r.records)[0]?.baseOffset, 26);
    await again.close();
  });

  it('truncates a torn tail of the active segment and rebuilds a deleted index', async () => {
    const { log } = await fill();
    const active = log.activeSegment.baseOffset;
    const first = log.segmentBaseOffsets()[0] as number;
    const lastBatches = batchesIn((await log.read(active, { maxBytes: 1 << 20 })).records);
    await log.flush();
    await log.close();
    // Tear the last batch in half, and delete the first segment's offset index and time index.
    const path = logFile(dir, active);
    const size = fs.statSync(path).size;
    fs.truncateSync(path, size - Math.floor((lastBatches.at(-1)?.size ?? 0) / 2));
    fs.unlinkSync(offsetIndexFile(dir, first));
    fs.unlinkSync(timeIndexFile(dir, first));
    const { log: again } = await openLog(
      dir,
      { segmentBytes: 2000, indexIntervalBytes: 100 },
      { recoveryPoint: active },
    );
    assert.equal(again.logEndOffset, lastBatches.at(-1)?.baseOffset);
    assert.ok(fs.existsSync(offsetIndexFile(dir, first)));
    const seg = again.logSegments()[0];
    assert.ok(seg && seg.offsetIndex.entries > 0);
    for (let o = 0; o < again.logEndOffset; o += 3) {
      const r = await again.read(o, { maxBytes: 1000 });
      const b = batchesIn(r.records)[0];
      assert.ok(b && b.baseOffset <= o && b.lastOffset >= o, `offset ${o}`);
    }
    // The log accepts appends right after the valid prefix.
    const info = again.appendAsLeader(simpleBatch(1, { timestamp: T0 + 100 }), 2);
    assert.equal(info.firstOffset, lastBatches.at(-1)?.baseOffset);
    await again.close();
  });

  it('truncates at a corrupt batch (bad CRC) and drops later segments', async () => {
    const { log } = await fill({}, 40);
    const segments = log.segmentBaseOffsets();
    assert.ok(segments.length >= 3);
    const victim = segments[1] as number;
    await log.close();
    const path = logFile(dir, victim);
    const bytes = fs.readFileSync(path);
    const firstSize = bytes.readInt32BE(8) + 12;
    // Flip a byte inside the second batch's records.
    bytes.writeUInt8(bytes.readUInt8(firstSize + 70) ^ 0xff, firstSize + 70);
    fs.writeFileSync(path, bytes);
    const { log: again } = await openLog(dir, { segmentBytes: 2000, indexIntervalBytes: 100 }, { recoveryPoint: 0 });
    assert.deepEqual(again.segmentBaseOffsets(), [segments[0], victim]);
    assert.equal(again.logEndOffset, victim + 2);
    assert.equal(fs.statSync(path).size, firstSize);
    await again.close();
  });

  it('recovers from garbage appended after the last batch', async () => {
    const { log } = await fill({}, 3);
    await log.close();
    fs.appendFileSync(logFile(dir, 0), Buffer.alloc(100, 7));
    const { log: again } = await openLog(dir, {}, { recoveryPoint: 0 });
    assert.equal(again.logEndOffset, 6);
    assert.equal(again.activeSegment.size, (await again.read(0, { maxBytes: 1 << 20 })).records.length);
    await again.close();
  });

  it('preallocated segments are trimmed and recover', async () => {
    const { log } = await openLog(dir, { preallocate: true, segmentBytes: 100_000 });
    log.appendAsLeader(simpleBatch(3, { timestamp: T0 }), 0);
    assert.equal(fs.statSync(logFile(dir, 0)).size, 100_000);
    await log.close();
    assert.equal(fs.statSync(logFile(dir, 0)).size, log.activeSegment.size);
    // Unclean: an untrimmed preallocated file.
    fs.truncateSync(logFile(dir, 0), 100_000);
    const { log: again } = await openLog(dir, { preallocate: true }, { recoveryPoint: 0 });
    assert.equal(again.logEndOffset, 3);
    await again.close();
  });
});
