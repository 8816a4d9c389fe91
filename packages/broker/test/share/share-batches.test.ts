/** A share fetch finds record batches by their headers: whole data batches only, control batches left out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchHeader } from '@samsa/protocol';
import { batchesOf } from '../../src/share/share-partition-manager.js';

/** A batch of `count` offsets at `baseOffset` with `extra` bytes of records: only the header fields read matter. */
function batch(baseOffset: number, count: number, options: { control?: boolean; extra?: number } = {}): Buffer {
  const buf = Buffer.alloc(BatchHeader.SIZE + (options.extra ?? 10));
  buf.writeBigInt64BE(BigInt(baseOffset), BatchHeader.BASE_OFFSET);
  buf.writeInt32BE(buf.length - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
  buf.writeInt8(2, BatchHeader.MAGIC);
  buf.writeInt16BE(options.control === true ? 0x20 : 0, BatchHeader.ATTRIBUTES);
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
