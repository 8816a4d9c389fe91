/** A share fetch finds record batches by their headers: whole data batches only, control batches left out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchHeader } from '@samsa/protocol';
import { batchesOf } from '../../src/share/share-partition-manager.js';

/** A batch of `count` offsets at `baseOffset` with `extra` bytes of records: only the header fields read matter. */
function batch(
  baseOffset: number,
  count: number,
  options: { control?: boolean; producerId?: number; extra?: number } = {},
): Buffer {
  const buf = Buffer.alloc(BatchHeader.SIZE + (options.extra ?? 10));
  buf.writeBigInt64BE(BigInt(baseOffset), BatchHeader.BASE_OFFSET);
  buf.writeInt32BE(buf.length - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
  buf.writeInt8(2, BatchHeader.MAGIC);
  const transactional = options.producerId !== undefined ? 0x10 : 0;
  buf.writeInt16BE((options.control === true ? 0x20 : 0) | transactional, BatchHeader.ATTRIBUTES);
  buf.writeBigInt64BE(BigInt(options.producerId ?? -1), BatchHeader.PRODUCER_ID);
  buf.writeInt32BE(count - 1, BatchHeader.LAST_OFFSET_DELTA);
  buf.writeInt32BE(count, BatchHeader.RECORDS_COUNT);
  return buf;
}

test('data batches with their offsets; a control batch and a cut last batch are left out', () => {
  const whole = Buffer.concat([batch(0, 5), batch(5, 1, { control: true }), batch(6, 3), batch(9, 4)]);
  const cut = whole.subarray(0, whole.length - 3);
  assert.deepEqual(batchesOf(cut), [
    { baseOffset: 0, lastOffset: 4 },
    { baseOffset: 6, lastOffset: 8 },
  ]);
  assert.deepEqual(batchesOf(whole).at(-1), { baseOffset: 9, lastOffset: 12 });
  assert.deepEqual(batchesOf(Buffer.alloc(0)), []);
});

test('read_committed: batches of aborted transactions are left out until their marker, others stay', () => {
  const log = Buffer.concat([
    batch(0, 2, { producerId: 7 }), // aborted transaction of producer 7
    batch(2, 2, { producerId: 8 }), // committed transaction of producer 8
    batch(4, 1, { producerId: 7 }), // still aborted
    batch(5, 1, { producerId: 7, control: true }), // abort marker
    batch(6, 1, { producerId: 8, control: true }), // commit marker
    batch(7, 3, { producerId: 7 }), // a later transaction of 7, not aborted
    batch(10, 2), // not transactional
  ]);
  assert.deepEqual(batchesOf(log, [{ producerId: 7, firstOffset: 0 }]), [
    { baseOffset: 2, lastOffset: 3 },
    { baseOffset: 7, lastOffset: 9 },
    { baseOffset: 10, lastOffset: 11 },
  ]);
  assert.equal(batchesOf(log).length, 5, 'read_uncommitted keeps every data batch');
});
