import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { crc32c, ErrorCode, KafkaError } from '@samsa/protocol';
import { ProducerStateEntry } from '../../src/producer/producer-state-entry.js';
import {
  CorruptSnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  ProducerStateManager,
} from '../../src/producer/producer-state-manager.js';
import { producerSnapshotFile } from '../../src/util/log-file-utils.js';
import { MockTime } from '../../src/util/time.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('ProducerStateManager', () => {
  let dir: string;
  let time: MockTime;
  beforeEach(() => {
    dir = tmpDir();
    time = new MockTime(1_000_000);
  });
  afterEach(() => rmDir(dir));

  it('computes CRC-32C like Kafka', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  });

  it('encodes Kafka’s snapshot layout (version 1, crc32c, 46-byte entries)', () => {
    const e = new ProducerStateEntry(7, 2, 5, 12345, 40, [
      { lastSeq: 9, lastOffset: 44, offsetDelta: 4, timestamp: 12345 },
    ]);
    const buf = encodeSnapshot([e]);
    // The whole file, CRC included (0xa5a9c8e4, as java.util.zip.CRC32C computes over bytes 6..end).
    assert.equal(
      buf.toString('hex'),
      '0001a5a9c8e4000000010000000000000007000200000009000000000000002c000000040000000000003039000000050000000000000028',
    );
    assert.equal(buf.length, 2 + 4 + 4 + 46);
    assert.equal(buf.readInt16BE(0), 1);
    assert.equal(buf.readUInt32BE(2), crc32c(buf, 6));
    assert.equal(buf.readInt32BE(6), 1);
    // producerId, epoch, lastSequence, lastOffset, offsetDelta, timestamp, coordinatorEpoch, txn first offset
    assert.equal(buf.readBigInt64BE(10), 7n);
    assert.equal(buf.readInt16BE(18), 2);
    assert.equal(buf.readInt32BE(20), 9);
    assert.equal(buf.readBigInt64BE(24), 44n);
    assert.equal(buf.readInt32BE(32), 4);
    assert.equal(buf.readBigInt64BE(36), 12345n);
    assert.equal(buf.readInt32BE(44), 5);
    assert.equal(buf.readBigInt64BE(48), 40n);
    const [back] = decodeSnapshot(buf);
    assert.ok(back);
    assert.equal(back.lastSeq, 9);
    assert.equal(back.firstSeq, 5);
    assert.equal(back.currentTxnFirstOffset, 40);
    buf.writeUInt8(buf.readUInt8(20) ^ 1, 20);
    assert.throws(() => decodeSnapshot(buf), CorruptSnapshotError);
  });

  it('validates sequences and epochs, and detects duplicates of the last 5 batches', () => {
    const psm = new ProducerStateManager({ dir, time });
    let offset = 0;
    const append = (epoch: number, firstSeq: number, count: number) => {
      const info = psm.prepareUpdate(1, 'client');
      info.appendDataBatch(
        epoch,
        firstSeq,
        firstSeq + count - 1,
        time.milliseconds(),
        offset,
        offset + count - 1,
        false,
      );
      psm.update(info);
      offset += count;
    };
    append(0, 0, 2);
    append(0, 2, 3);
    const err = (fn: () => void, code: number) =>
      assert.throws(fn, (e) => e instanceof KafkaError && e.errorCode === code);
    err(() => append(0, 7, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    err(() => append(1, 5, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER); // new epoch must start at 0
    append(1, 0, 1);
    err(() => append(0, 1, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
    for (let s = 1; s <= 6; s++) append(1, s, 1);
    const entry = psm.lastEntry(1);
    assert.ok(entry);
    assert.equal(entry.batchMetadata.length, 5);
    assert.ok(entry.findDuplicateBatch(1, 6, 6));
    assert.equal(entry.findDuplicateBatch(1, 1, 1), undefined); // evicted
    assert.equal(entry.findDuplicateBatch(0, 6, 6), undefined);
  });

  it('accepts any sequence from an unknown producer (Kafka ≥ 2.5, KIP-360) and wraps at Int32.MAX', () => {
    const psm = new ProducerStateManager({ dir, time });
    const info = psm.prepareUpdate(9, 'client');
    info.appendDataBatch(0, 2147483646, 2147483647, 1, 0, 1, false);
    psm.update(info);
    const next = psm.prepareUpdate(9, 'client');
    next.appendDataBatch(0, 0, 0, 1, 2, 2, false);
    psm.update(next);
    assert.equal(psm.lastEntry(9)?.lastSeq, 0);
  });

  it('snapshots, reloads, and expires idle producers', () => {
    const psm = new ProducerStateManager({ dir, time, producerIdExpirationMs: 1000 });
    const info = psm.prepareUpdate(5, 'client');
    info.appendDataBatch(3, 0, 9, time.milliseconds(), 0, 9, false);
    psm.update(info);
    psm.updateMapEndOffset(10);
    psm.takeSnapshot();
    assert.ok(fs.existsSync(producerSnapshotFile(dir, 10)));
    const reloaded = new ProducerStateManager({ dir, time, producerIdExpirationMs: 1000 });
    reloaded.truncateAndReload(0, 10);
    assert.equal(reloaded.mapEndOffset, 10);
    assert.equal(reloaded.lastEntry(5)?.producerEpoch, 3);
    assert.equal(reloaded.lastEntry(5)?.lastSeq, 9);
    time.sleep(1000);
    assert.equal(reloaded.removeExpiredProducers(), 1);
    assert.equal(reloaded.lastEntry(5), undefined);
  });
});
