import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { buildRecordBatch } from '../../src/records/build-record-batch.js';
import { CompressionType } from '../../src/records/record-batch-header.js';
import { iterateRecordBatches, splitRecordBatches } from '../../src/records/split-record-batches.js';

function batches(): Buffer[] {
  return [
    buildRecordBatch({ baseOffset: 0, records: [{ value: Buffer.from('a') }], defaultTimestamp: 1 }),
    buildRecordBatch({
      baseOffset: 1,
      compression: CompressionType.GZIP,
      records: [{ value: Buffer.from('b') }, { value: Buffer.from('c') }],
      defaultTimestamp: 2,
    }),
    buildRecordBatch({ baseOffset: 3, records: [{ key: Buffer.from('k'), value: null }], defaultTimestamp: 3 }),
  ];
}

describe('splitRecordBatches', () => {
  test('splits concatenated batches and reports no partial bytes', () => {
    const parts = batches();
    const { batches: spans, partialBytes } = splitRecordBatches(Buffer.concat(parts));
    assert.equal(partialBytes, 0);
    assert.deepEqual(
      spans.map((s) => s.header.baseOffset),
      [0, 1, 3],
    );
    assert.deepEqual(
      spans.map((s) => s.position),
      [0, parts[0]!.length, parts[0]!.length + parts[1]!.length],
    );
    for (const [i, s] of spans.entries()) assert.ok(s.bytes.equals(parts[i]!));
  });

  test('a trailing partial batch, cut anywhere, is skipped and reported', () => {
    const parts = batches();
    const whole = Buffer.concat(parts);
    const lastStart = parts[0]!.length + parts[1]!.length;
    for (let cut = lastStart + 1; cut < whole.length; cut++) {
      const { batches: spans, partialBytes } = splitRecordBatches(whole.subarray(0, cut));
      assert.equal(spans.length, 2, `cut at ${cut}`);
      assert.equal(partialBytes, cut - lastStart, `cut at ${cut}`);
    }
  });

  test('a first batch larger than the blob yields no batch and reports the partial bytes', () => {
    const batch = batches()[1]!;
    assert.deepEqual(splitRecordBatches(batch.subarray(0, 30)), { batches: [], partialBytes: 30 });
  });

  test('the iterator form yields batches lazily and returns the partial byte count', () => {
    const parts = batches();
    const whole = Buffer.concat([parts[0]!, parts[1]!.subarray(0, 20)]);
    const walk = iterateRecordBatches(whole);
    const first = walk.next();
    assert.equal(first.done, false);
    const end = walk.next();
    assert.deepEqual(end, { done: true, value: 20 });
  });

  test('a corrupt complete batch throws; older message formats are UNSUPPORTED_FOR_MESSAGE_FORMAT', () => {
    const parts = batches();
    const corrupt = Buffer.concat(parts);
    corrupt[parts[0]!.length + 40] = (corrupt[parts[0]!.length + 40] as number) ^ 0xff;
    assert.throws(
      () => splitRecordBatches(corrupt),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'CORRUPT_MESSAGE',
    );
    const v1 = Buffer.from(parts[0]!);
    v1[16] = 1;
    assert.throws(
      () => splitRecordBatches(v1),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    );
    const tiny = Buffer.from(parts[0]!);
    tiny.writeInt32BE(10, 8); // shorter than any v2 batch
    assert.throws(
      () => splitRecordBatches(tiny),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'CORRUPT_MESSAGE',
    );
  });
});
