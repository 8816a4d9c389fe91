import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { ListOffsetsTimestamp } from '../../src/log/log.js';
import { deleteOldSegments } from '../../src/log/log-retention.js';
import { buildBatch, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

describe('Log retention and DeleteRecords', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('deletes segments older than retentionMs, only below the high watermark', async () => {
    const { log, time } = await openLog(dir, { segmentBytes: 500, retentionMs: 10_000 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 150, timestamp: T0 + i * 1000 }), 0);
    const before = log.numberOfSegments;
    assert.ok(before >= 4);
    time.setMilliseconds(T0 + 13_500);
    assert.equal(await deleteOldSegments(log, time.milliseconds()), 0, 'nothing below the HW yet');
    log.updateHighWatermark(log.logEndOffset);
    const deleted = await deleteOldSegments(log, time.milliseconds());
    assert.ok(deleted >= 1);
    const first = log.logSegments()[0];
    assert.ok(first);
    assert.equal(log.logStartOffset, first.baseOffset);
    for (const s of log.logSegments().slice(0, -1)) assert.ok(T0 + 13_500 - s.largestTimestamp <= 10_000);
    await log.completePendingDeletes();
    const snapshots = fs.readdirSync(dir).filter((n) => n.endsWith('.snapshot'));
    assert.ok(snapshots.length > 0);
    for (const n of snapshots) assert.ok(Number(n.slice(0, 20)) >= first.baseOffset, `stale snapshot ${n}`);
    const logFiles = fs.readdirSync(dir).filter((n) => n.endsWith('.log'));
    assert.equal(logFiles.length, log.numberOfSegments);
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.deleted')).length, 0);
    await assert.rejects(
      log.read(0, { maxBytes: 100 }),
      (e) => e instanceof KafkaError && e.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    await log.close();
  });

  it('closes a deleted segment before renaming its files to .deleted', async () => {
    const { log, time } = await openLog(dir, { segmentBytes: 500, retentionMs: 1000, fileDeleteDelayMs: 60_000 });
    for (let i = 0; i < 6; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 150, timestamp: T0 }), 0);
    log.updateHighWatermark(log.logEndOffset);
    time.sleep(5000);
    assert.ok((await deleteOldSegments(log, time.milliseconds())) > 0);
    const renamed = fs.readdirSync(dir).filter((n) => n.endsWith('.log.deleted'));
    assert.ok(renamed.length > 0, 'segments wait as .deleted for file.delete.delay.ms');
    // No descriptor of this process still points at a renamed file.
    const open = fs.readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [fs.readlinkSync(join('/proc/self/fd', fd))];
      } catch {
        return [];
      }
    });
    for (const name of renamed) assert.ok(!open.some((target) => target.endsWith(name)), `${name} is still open`);
    await log.close();
  });

  it('does not close a segment under an in-flight read', async () => {
    const { log, time } = await openLog(dir, { segmentBytes: 500, retentionMs: 1000 });
    for (let i = 0; i < 6; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 150, timestamp: T0 }), 0);
    log.updateHighWatermark(log.logEndOffset);
    const expected = (await log.read(0, { maxBytes: 1 << 20 })).records;
    const inFlight = log.read(0, { maxBytes: 1 << 20 });
    time.sleep(5000);
    assert.ok((await deleteOldSegments(log, time.milliseconds())) > 0);
    const deleting = log.completePendingDeletes();
    const r = await inFlight;
    await deleting;
    assert.deepEqual(r.records, expected);
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.deleted')).length, 0);
    await log.close();
  });

  it('rolls and deletes the active segment when it is entirely expired', async () => {
    const { log, time } = await openLog(dir, { retentionMs: 1000 });
    log.appendAsLeader(simpleBatch(3, { timestamp: T0 }), 0);
    log.updateHighWatermark(3);
    time.sleep(5000);
    assert.equal(await deleteOldSegments(log, time.milliseconds()), 1);
    assert.equal(log.numberOfSegments, 1);
    assert.equal(log.activeSegment.baseOffset, 3);
    assert.equal(log.logStartOffset, 3);
    assert.equal(log.activeSegment.size, 0);
    assert.equal(await deleteOldSegments(log, time.milliseconds()), 0, 'an empty active segment is never deleted');
    await log.close();
  });

  it('deletes oldest segments while the log exceeds retentionBytes', async () => {
    const { log, time } = await openLog(dir, { segmentBytes: 500, retentionBytes: 1000, retentionMs: -1 });
    for (let i = 0; i < 12; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 150, timestamp: T0 }), 0);
    log.updateHighWatermark(log.logEndOffset);
    const sizeBefore = log.size;
    assert.ok(sizeBefore > 1000);
    await deleteOldSegments(log, time.milliseconds());
    assert.ok(log.size <= 1000 + 500, `size ${log.size}`);
    assert.ok(log.size < sizeBefore);
    assert.ok(log.size + (log.logSegments()[0]?.size ?? 0) > 1000 || log.numberOfSegments === 1);
    await log.close();
  });

  it('skips time and size retention without the delete policy', async () => {
    const { log, time } = await openLog(dir, { retentionMs: 1, cleanupPolicy: ['compact'] });
    log.appendAsLeader(buildBatch([{ key: 'a', value: 'b', timestamp: T0 }]), 0);
    log.updateHighWatermark(1);
    time.sleep(10_000);
    assert.equal(await deleteOldSegments(log, time.milliseconds()), 0);
    await log.close();
  });

  it('DeleteRecords advances the log start offset up to the HW and drops whole segments below it', async () => {
    const { log } = await openLog(dir, { segmentBytes: 500 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 150, timestamp: T0 }), 3);
    log.updateHighWatermark(6);
    await assert.rejects(
      log.deleteRecordsBefore(7),
      (e) => e instanceof KafkaError && e.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    const segmentsBefore = log.numberOfSegments;
    assert.equal(await log.deleteRecordsBefore(5), 5);
    assert.equal(log.logStartOffset, 5);
    assert.ok(log.numberOfSegments < segmentsBefore);
    assert.ok((log.logSegments()[0]?.baseOffset ?? 99) <= 5);
    await assert.rejects(
      log.read(4, { maxBytes: 100 }),
      (e) => e instanceof KafkaError && e.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    const r = await log.read(5, { maxBytes: 10_000 });
    assert.ok(r.records.length > 0);
    assert.deepEqual(log.fetchOffsetByTimestamp(ListOffsetsTimestamp.EARLIEST), {
      offset: 5,
      timestamp: -1,
      leaderEpoch: 3,
    });
    assert.equal(log.leaderEpochCache.entries()[0]?.startOffset, 5);
    await log.close();
    const { log: again } = await openLog(dir, { segmentBytes: 500 }, { hadCleanShutdown: true, logStartOffset: 5 });
    assert.equal(again.logStartOffset, 5);
    await again.close();
  });
});

describe('Log.fetchOffsetByTimestamp', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('finds the first record at or after a timestamp, and the special targets', async () => {
    const { log } = await openLog(dir, { segmentBytes: 400, indexIntervalBytes: 50 });
    // offsets 0..29, record i has timestamp T0 + 10 * i, except a late record with the max.
    for (let b = 0; b < 10; b++) {
      const recs = [0, 1, 2].map((j) => ({ key: `k${b * 3 + j}`, value: 'v', timestamp: T0 + 10 * (b * 3 + j) }));
      if (b === 4) (recs[1] as { timestamp: number }).timestamp = T0 + 100_000;
      log.appendAsLeader(buildBatch(recs), b < 5 ? 1 : 2);
    }
    assert.ok(log.numberOfSegments > 2);
    assert.deepEqual(log.fetchOffsetByTimestamp(T0), { offset: 0, timestamp: T0, leaderEpoch: 1 });
    assert.deepEqual(log.fetchOffsetByTimestamp(T0 + 55), { offset: 6, timestamp: T0 + 60, leaderEpoch: 1 });
    assert.deepEqual(log.fetchOffsetByTimestamp(T0 + 200), { offset: 13, timestamp: T0 + 100_000, leaderEpoch: 1 });
    // Kafka semantics: the *first offset* whose timestamp is ≥ the target, even an out-of-order one.
    assert.deepEqual(log.fetchOffsetByTimestamp(T0 + 285), { offset: 13, timestamp: T0 + 100_000, leaderEpoch: 1 });
    assert.equal(log.fetchOffsetByTimestamp(T0 + 200_000), undefined);
    assert.deepEqual(log.fetchOffsetByTimestamp(ListOffsetsTimestamp.LATEST), {
      offset: 30,
      timestamp: -1,
      leaderEpoch: 2,
    });
    assert.deepEqual(log.fetchOffsetByTimestamp(ListOffsetsTimestamp.EARLIEST), {
      offset: 0,
      timestamp: -1,
      leaderEpoch: 1,
    });
    assert.deepEqual(log.fetchOffsetByTimestamp(ListOffsetsTimestamp.MAX_TIMESTAMP), {
      offset: 13,
      timestamp: T0 + 100_000,
      leaderEpoch: 1,
    });
    await log.close();
    // Same answers from a reopened log (time index loaded from disk).
    const { log: again } = await openLog(
      dir,
      { segmentBytes: 400, indexIntervalBytes: 50 },
      { hadCleanShutdown: true },
    );
    assert.deepEqual(again.fetchOffsetByTimestamp(T0 + 55), { offset: 6, timestamp: T0 + 60, leaderEpoch: 1 });
    assert.deepEqual(again.fetchOffsetByTimestamp(ListOffsetsTimestamp.MAX_TIMESTAMP)?.offset, 13);
    await again.close();
  });
});
