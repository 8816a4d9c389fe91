import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BatchHeader, ErrorCode, KafkaError } from '@samsa/protocol';
import { RecordValidationError } from '../../src/log/record-validation-error.js';
import { batchesIn, buildBatch, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

function code(err: unknown): number {
  assert.ok(err instanceof KafkaError, `expected KafkaError, got ${String(err)}`);
  return err.errorCode;
}

describe('Log append and read', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('assigns offsets and epochs in place and reads back identical bytes', async () => {
    const { log } = await openLog(dir);
    const b1 = simpleBatch(3, { timestamp: T0 });
    const b2 = simpleBatch(2, { timestamp: T0 });
    const original1 = Buffer.from(b1);
    const info1 = log.appendAsLeader(b1, 7);
    assert.equal(info1.firstOffset, 0);
    assert.equal(info1.lastOffset, 2);
    assert.equal(info1.recordCount, 3);
    assert.equal(info1.logAppendTimeMs, -1);
    // Patched in place: base offset stays 0, epoch becomes 7.
    assert.equal(b1.readInt32BE(BatchHeader.PARTITION_LEADER_EPOCH), 7);
    const info2 = log.appendAsLeader(b2, 7);
    assert.equal(info2.firstOffset, 3);
    assert.equal(info2.lastOffset, 4);
    assert.equal(log.logEndOffset, 5);
    assert.equal(b2.readUInt32BE(4), 3);

    const read = await log.read(0, { maxBytes: 1 << 20 });
    assert.deepEqual(read.records, Buffer.concat([b1, b2]));
    // Apart from baseOffset and epoch, identical to what the producer sent.
    const sent = Buffer.from(read.records.subarray(0, b1.length));
    sent.fill(0, 0, 8);
    sent.fill(0xff, 12, 16);
    assert.deepEqual(sent, original1);
    assert.equal(log.leaderEpochCache.latestEpoch, 7);
    await log.close();
  });

  it('starts at the batch containing the offset and honours maxBytes, minOneMessage and maxOffset', async () => {
    const { log } = await openLog(dir);
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const b = simpleBatch(2, { valueSize: 100, timestamp: T0 });
      sizes.push(b.length);
      log.appendAsLeader(b, 0);
    }
    log.updateHighWatermark(10);
    let r = await log.read(3, { maxBytes: 1 << 20 });
    assert.equal(r.firstOffset, 2);
    assert.deepEqual(
      batchesIn(r.records).map((b) => b.baseOffset),
      [2, 4, 6, 8],
    );
    r = await log.read(0, { maxBytes: (sizes[0] as number) * 2 + 10 });
    assert.deepEqual(
      batchesIn(r.records).map((b) => b.baseOffset),
      [0, 2],
    );
    r = await log.read(0, { maxBytes: 10 });
    assert.equal(r.records.length, 0);
    assert.equal(r.firstEntryIncomplete, true);
    r = await log.read(0, { maxBytes: 10, minOneMessage: true });
    assert.deepEqual(
      batchesIn(r.records).map((b) => b.baseOffset),
      [0],
    );
    r = await log.read(0, { maxBytes: 1 << 20, maxOffset: 6 });
    assert.deepEqual(
      batchesIn(r.records).map((b) => b.baseOffset),
      [0, 2, 4],
    );
    r = await log.read(6, { maxBytes: 1 << 20, maxOffset: 6 });
    assert.equal(r.records.length, 0);
    r = await log.read(10, { maxBytes: 1 << 20 });
    assert.equal(r.records.length, 0);
    await assert.rejects(log.read(11, { maxBytes: 100 }), (e) => code(e) === ErrorCode.OFFSET_OUT_OF_RANGE);
    await log.close();
  });

  it('reads across segments and rolls by size', async () => {
    const { log } = await openLog(dir, { segmentBytes: 1000 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(1, { valueSize: 200, timestamp: T0 }), 0);
    assert.ok(log.numberOfSegments >= 3, `segments: ${log.numberOfSegments}`);
    for (const s of log.logSegments()) assert.ok(s.size <= 1000);
    for (let o = 0; o < 10; o++) {
      const r = await log.read(o, { maxBytes: 1 << 20 });
      assert.equal(batchesIn(r.records)[0]?.baseOffset, o);
    }
    await log.close();
  });

  it('rolls by time using the batch timestamps', async () => {
    const { log, time } = await openLog(dir, { segmentMs: 1000 });
    log.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    time.sleep(500);
    log.appendAsLeader(simpleBatch(1, { timestamp: T0 + 500 }), 0);
    assert.equal(log.numberOfSegments, 1);
    time.sleep(600);
    log.appendAsLeader(simpleBatch(1, { timestamp: T0 + 1100 }), 0);
    assert.equal(log.numberOfSegments, 2);
    assert.deepEqual(log.segmentBaseOffsets(), [0, 2]);
    await log.close();
  });

  it('rolls when the offset index is full', async () => {
    const { log } = await openLog(dir, { indexIntervalBytes: 1, segmentIndexBytes: 8 * 3 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(1, { timestamp: T0 }), 0);
    assert.ok(log.numberOfSegments >= 3);
    for (const s of log.logSegments()) assert.ok(s.offsetIndex.entries <= 3);
    await log.close();
  });

  it('rejects oversized batches and corrupt batches and leaves the log unchanged', async () => {
    const { log } = await openLog(dir, { maxMessageBytes: 200, segmentBytes: 500 });
    assert.throws(
      () => log.appendAsLeader(simpleBatch(1, { valueSize: 300, timestamp: T0 }), 0),
      (e) => code(e) === ErrorCode.MESSAGE_TOO_LARGE,
    );
    const many = Buffer.concat([0, 1, 2, 3, 4].map(() => simpleBatch(1, { valueSize: 50, timestamp: T0 })));
    assert.throws(
      () => log.appendAsLeader(many, 0),
      (e) => code(e) === ErrorCode.RECORD_LIST_TOO_LARGE,
    );
    const corrupt = simpleBatch(1, { timestamp: T0 });
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
    assert.throws(
      () => log.appendAsLeader(corrupt, 0),
      (e) => code(e) === ErrorCode.CORRUPT_MESSAGE,
    );
    const control = buildBatch([{ key: 'k', value: 'v' }], { control: true, timestamp: T0 } as never);
    assert.throws(
      () => log.appendAsLeader(control, 0),
      (e) => code(e) === ErrorCode.INVALID_RECORD,
    );
    assert.equal(log.logEndOffset, 0);
    assert.equal(log.size, 0);
    await log.close();
  });

  it('applies LogAppendTime: maxTimestamp, attribute and CRC', async () => {
    const { log, time } = await openLog(dir, { messageTimestampType: 'LogAppendTime' });
    time.sleep(1234);
    const b = simpleBatch(2, { timestamp: T0 - 100_000_000 });
    const info = log.appendAsLeader(b, 0);
    assert.equal(info.logAppendTimeMs, T0 + 1234);
    const r = await log.read(0, { maxBytes: 1 << 20 });
    assert.equal(r.records.readInt16BE(BatchHeader.ATTRIBUTES) & 0x08, 0x08);
    assert.equal(r.records.readUInt32BE(BatchHeader.MAX_TIMESTAMP + 4), (T0 + 1234) % 2 ** 32);
    // The CRC still validates: appending the bytes to another log succeeds.
    const { validateBatch } = await import('@samsa/protocol');
    validateBatch(r.records, 0);
    await log.close();
  });

  it('rejects CreateTime timestamps too far in the future', async () => {
    const { log } = await openLog(dir, { messageTimestampAfterMaxMs: 1000 });
    assert.throws(
      () => log.appendAsLeader(simpleBatch(1, { timestamp: T0 + 5000 }), 0),
      (e) => code(e) === ErrorCode.INVALID_TIMESTAMP,
    );
    await log.close();
  });

  it('rejects null keys on compacted topics', async () => {
    const { log } = await openLog(dir, { cleanupPolicy: ['compact'] });
    assert.throws(
      () => log.appendAsLeader(buildBatch([{ key: null, value: 'v', timestamp: T0 }]), 0),
      (e) => code(e) === ErrorCode.INVALID_RECORD,
    );
    log.appendAsLeader(buildBatch([{ key: 'k', value: 'v', timestamp: T0 }]), 0);
    assert.equal(log.logEndOffset, 1);
    await log.close();
  });

  it('names every keyless record of a batch on a compacted topic by its index (KIP-467)', async () => {
    const { log } = await openLog(dir, { cleanupPolicy: ['compact'] });
    const keys = ['a', null, 'b', 'c', null];
    const batch = buildBatch(keys.map((key) => ({ key, value: 'v', timestamp: T0 })));
    assert.throws(
      () => log.appendAsLeader(batch, 0),
      (e) => {
        assert.ok(e instanceof RecordValidationError);
        assert.equal(e.errorCode, ErrorCode.INVALID_RECORD);
        assert.deepEqual(
          e.recordErrors.map((r) => r.batchIndex),
          [1, 4],
        );
        assert.match(e.recordErrors[0]?.message ?? '', /without key/);
        assert.match(e.message, /2 record errors/);
        return true;
      },
    );
    assert.equal(log.logEndOffset, 0, 'nothing of the batch is appended');
    await log.close();
  });

  it('appends as follower keeping offsets, rejecting going backwards', async () => {
    const { log } = await openLog(dir);
    const b = simpleBatch(3, { baseOffset: 10, partitionLeaderEpoch: 4, timestamp: T0 });
    const info = log.appendAsFollower(b);
    assert.equal(info.firstOffset, 10);
    assert.equal(log.logEndOffset, 13);
    assert.equal(log.leaderEpochCache.latestEpoch, 4);
    assert.throws(
      () => log.appendAsFollower(simpleBatch(1, { baseOffset: 5, timestamp: T0 })),
      (e) => e instanceof KafkaError,
    );
    await log.close();
  });

  it('writes partition.metadata with the topic id', async () => {
    const { log } = await openLog(dir, {}, { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' });
    assert.equal(
      fs.readFileSync(join(dir, 'partition.metadata'), 'utf8'),
      'version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAQ',
    );
    await log.close();
    await assert.rejects(
      openLog(dir, {}, { topicId: 'AAAAAAAAAAAAAAAAAAAAAg', hadCleanShutdown: true }),
      (e) => code(e) === ErrorCode.INCONSISTENT_TOPIC_ID,
    );
  });
});
