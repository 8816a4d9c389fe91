import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { buildRecordBatch, type RecordBatchInput, type RecordInput } from '../../src/records/build-record-batch.js';
import { ControlRecordType, decodeControlRecordKey } from '../../src/records/control-record.js';
import {
  buildEndTransactionMarkerBatch,
  decodeEndTransactionMarker,
} from '../../src/records/end-transaction-marker.js';
import {
  CompressionType,
  computeBatchCrc,
  isControl,
  isTransactional,
  patchBaseOffset,
  patchPartitionLeaderEpoch,
  TimestampType,
  validateBatch,
} from '../../src/records/record-batch-header.js';
import { decodeRecordBatch, RecordBatchIterator } from '../../src/records/record-batch-iterator.js';

function hasCode(name: string): (error: unknown) => boolean {
  return (error) => error instanceof KafkaError && error.errorName === name;
}

/**
 * A batch written by hand from the format description (record-batch-header.ts, record.ts), and
 * checked against KafkaJS's decoder when it was written: offsets 5-6, leader epoch 3, two records.
 * The CRC-32C was computed with a bit-by-bit implementation independent of @node-rs/crc32.
 */
const GOLDEN_BATCH =
  '0000000000000005' + // baseOffset 5
  '0000004f' + // batchLength 79 = 61 - 12 + 30 bytes of records
  '00000003' + // partitionLeaderEpoch 3
  '02' + // magic
  '4bf42f08' + // crc
  '0000' + // attributes: no compression, CreateTime, not transactional, not control
  '00000001' + // lastOffsetDelta
  '0000018bcfe56800' + // baseTimestamp 1700000000000
  '0000018bcfe56805' + // maxTimestamp 1700000000005
  'ffffffffffffffff' + // producerId -1
  'ffff' + // producerEpoch -1
  'ffffffff' + // baseSequence -1
  '00000002' + // recordsCount
  // record 0: length 17, attributes 0, timestampDelta 0, offsetDelta 0, key "k1", value "hello",
  // one header "h" = "v" (varints are zig-zag: 2 -> 04, 5 -> 0a, 1 -> 02)
  '22' +
  '00' +
  '00' +
  '00' +
  '04' +
  '6b31' +
  '0a' +
  '68656c6c6f' +
  '02' +
  '02' +
  '68' +
  '02' +
  '76' +
  // record 1: length 11, timestampDelta 5, offsetDelta 1, null key (-1 -> 01), value "world", no headers
  '16' +
  '00' +
  '0a' +
  '02' +
  '01' +
  '0a' +
  '776f726c64' +
  '00';

/** A COMMIT marker from producer 42 epoch 7, coordinator epoch 9, at offset 100. */
const GOLDEN_COMMIT_MARKER =
  '0000000000000064' + // baseOffset 100
  '00000042' + // batchLength 66
  'ffffffff' + // partitionLeaderEpoch -1
  '02' +
  '8b842882' + // crc
  '0030' + // attributes: transactional (0x10) | control (0x20)
  '00000000' + // lastOffsetDelta
  '0000018bcfe56800' +
  '0000018bcfe56800' +
  '000000000000002a' + // producerId 42
  '0007' + // producerEpoch 7
  'ffffffff' + // baseSequence -1
  '00000001' +
  '20' + // record length 16
  '000000' + // attributes, timestampDelta, offsetDelta
  '08' + // key of 4 bytes: version 0, type 1 (COMMIT)
  '00000001' +
  '0c' + // value of 6 bytes: version 0, coordinatorEpoch 9
  '000000000009' +
  '00'; // no headers

describe('record batch golden bytes', () => {
  test('a hand-built batch decodes to the expected records', () => {
    const buf = Buffer.from(GOLDEN_BATCH, 'hex');
    const header = validateBatch(buf, 0);
    assert.equal(header.crc, 0x4bf42f08);
    assert.equal(computeBatchCrc(buf, 0, buf.length), 0x4bf42f08);
    const { records } = decodeRecordBatch(buf);
    assert.deepEqual(
      records.map((r) => ({
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key?.toString() ?? null,
        value: r.value?.toString() ?? null,
        headers: r.headers.map((h) => [h.key, h.value?.toString() ?? null]),
      })),
      [
        { offset: 5, timestamp: 1700000000000, key: 'k1', value: 'hello', headers: [['h', 'v']] },
        { offset: 6, timestamp: 1700000000005, key: null, value: 'world', headers: [] },
      ],
    );
  });

  test('buildRecordBatch writes the hand-built bytes exactly', () => {
    const built = buildRecordBatch({
      baseOffset: 5,
      partitionLeaderEpoch: 3,
      records: [
        {
          key: Buffer.from('k1'),
          value: Buffer.from('hello'),
          headers: [{ key: 'h', value: Buffer.from('v') }],
          timestamp: 1700000000000,
        },
        { key: null, value: Buffer.from('world'), timestamp: 1700000000005 },
      ],
    });
    assert.equal(built.toString('hex'), GOLDEN_BATCH);
  });

  test('a hand-built COMMIT marker batch, parsed and rebuilt', () => {
    const buf = Buffer.from(GOLDEN_COMMIT_MARKER, 'hex');
    const { header, records } = decodeRecordBatch(buf);
    assert.ok(isControl(header.attributes) && isTransactional(header.attributes));
    assert.equal(records.length, 1);
    const record = records[0]!;
    assert.deepEqual(decodeControlRecordKey(record.key), { version: 0, type: ControlRecordType.COMMIT });
    assert.deepEqual(decodeEndTransactionMarker(record), { type: ControlRecordType.COMMIT, coordinatorEpoch: 9 });
    const rebuilt = buildEndTransactionMarkerBatch({
      marker: { type: ControlRecordType.COMMIT, coordinatorEpoch: 9 },
      producerId: 42,
      producerEpoch: 7,
      baseOffset: 100,
      timestamp: 1700000000000,
    });
    assert.equal(rebuilt.toString('hex'), GOLDEN_COMMIT_MARKER);
  });
});

describe('record batch CRC', () => {
  test('flipping any byte covered by the CRC makes validateBatch throw CORRUPT_MESSAGE', () => {
    const batch = buildRecordBatch({
      records: [{ key: Buffer.from('key'), value: Buffer.alloc(40, 1), headers: [{ key: 'x', value: null }] }],
      defaultTimestamp: 1,
    });
    for (let i = 21; i < batch.length; i++) {
      const copy = Buffer.from(batch);
      copy[i] = (copy[i] as number) ^ 0x01;
      assert.throws(() => validateBatch(copy, 0), hasCode('CORRUPT_MESSAGE'), `byte ${i}`);
    }
    const stored = Buffer.from(batch);
    stored[17] = (stored[17] as number) ^ 0x80; // the stored CRC itself
    assert.throws(() => validateBatch(stored, 0), hasCode('CORRUPT_MESSAGE'));
  });

  test('patching baseOffset and partitionLeaderEpoch keeps the CRC valid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 0x7fffffff }),
        fc.integer({ min: -1, max: 0x7fffffff }),
        (baseOffset, epoch) => {
          const batch = buildRecordBatch({
            records: [{ value: Buffer.from('a') }, { value: Buffer.from('b') }],
            defaultTimestamp: 1000,
          });
          patchBaseOffset(batch, 0, baseOffset);
          patchPartitionLeaderEpoch(batch, 0, epoch);
          const header = validateBatch(batch, 0);
          assert.equal(header.baseOffset, baseOffset);
          assert.equal(header.partitionLeaderEpoch, epoch);
          assert.deepEqual(
            decodeRecordBatch(batch).records.map((r) => r.offset),
            [baseOffset, baseOffset + 1],
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  test('verifyCrc: false skips only the CRC', () => {
    const batch = Buffer.from(GOLDEN_BATCH, 'hex');
    batch[17] = 0;
    assert.throws(() => decodeRecordBatch(batch), hasCode('CORRUPT_MESSAGE'));
    assert.equal(decodeRecordBatch(batch, 0, { verifyCrc: false }).records.length, 2);
  });
});

// -------------------------------------------------------------------------------------------------
// Property-based round trip

const BASE_TIME = 1_700_000_000_000;
const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const recordArb: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.option(bytes, { nil: null }),
  value: fc.option(bytes, { nil: null }),
  headers: fc.array(
    fc.record({ key: fc.string({ maxLength: 8, unit: 'grapheme' }), value: fc.option(bytes, { nil: null }) }),
    { maxLength: 3 },
  ),
  timestamp: fc.integer({ min: BASE_TIME - 10_000_000_000, max: BASE_TIME + 10_000_000_000 }),
});

const batchArb: fc.Arbitrary<RecordBatchInput> = fc
  .record({
    baseOffset: fc.integer({ min: 0, max: 2 ** 52 }),
    partitionLeaderEpoch: fc.integer({ min: -1, max: 0x7fffffff }),
    compression: fc.constantFrom(
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ),
    snappyFraming: fc.constantFrom('xerial' as const, 'raw' as const),
    timestampType: fc.constantFrom(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME),
    logAppendTime: fc.integer({ min: 0, max: 2 ** 45 }),
    producerId: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
    producerEpoch: fc.integer({ min: -1, max: 0x7fff }),
    baseSequence: fc.integer({ min: -1, max: 0x7fffffff }),
    isTransactional: fc.boolean(),
    records: fc.array(recordArb, { minLength: 1, maxLength: 12 }),
    gaps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ gaps, snappyFraming, records, ...rest }) => {
    // Offset deltas with gaps, as a compacted batch has.
    let delta = -1;
    const withDeltas = records.map((r, i) => {
      delta += 1 + (gaps[i] ?? 0);
      return { ...r, offsetDelta: delta };
    });
    return { ...rest, compressOptions: { snappyFraming }, records: withDeltas };
  });

describe('record batch round trip', () => {
  test('buildRecordBatch → decodeRecordBatch gives back every field, for every codec', () => {
    fc.assert(
      fc.property(batchArb, (input) => {
        const batch = buildRecordBatch(input);
        const { header, records } = decodeRecordBatch(batch);
        const logAppend = input.timestampType === TimestampType.LOG_APPEND_TIME;
        const timestamps = input.records.map((r) => (logAppend ? input.logAppendTime : r.timestamp) as number);
        const deltas = input.records.map((r) => r.offsetDelta as number);
        assert.equal(header.sizeInBytes, batch.length);
        assert.equal(header.baseOffset, input.baseOffset);
        assert.equal(header.partitionLeaderEpoch, input.partitionLeaderEpoch);
        assert.equal(header.attributes & 0x07, input.compression);
        assert.equal(isTransactional(header.attributes), input.isTransactional);
        assert.equal(header.lastOffsetDelta, deltas[deltas.length - 1]);
        assert.equal(header.baseTimestamp, timestamps[0]);
        assert.equal(header.maxTimestamp, Math.max(...timestamps));
        assert.equal(header.producerId, input.producerId);
        assert.equal(header.producerEpoch, input.producerEpoch);
        assert.equal(header.baseSequence, input.baseSequence);
        assert.equal(header.recordsCount, input.records.length);
        assert.equal(records.length, input.records.length);
        input.records.forEach((expected, i) => {
          const actual = records[i]!;
          assert.equal(actual.offset, (input.baseOffset as number) + (deltas[i] as number));
          assert.equal(actual.timestamp, logAppend ? input.logAppendTime : timestamps[i]);
          assert.deepEqual(actual.key, expected.key);
          assert.deepEqual(actual.value, expected.value);
          assert.deepEqual(
            actual.headers,
            // fast-check builds null-prototype objects; compare as plain ones.
            (expected.headers ?? []).map((h) => ({ key: h.key, value: h.value })),
          );
        });
      }),
      { numRuns: 300 },
    );
  });

  test('control batches round trip: ABORT and COMMIT markers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(ControlRecordType.ABORT, ControlRecordType.COMMIT),
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 0x7fff }),
        fc.integer({ min: 0, max: 2 ** 50 }),
        (type, coordinatorEpoch, producerId, producerEpoch, baseOffset) => {
          const batch = buildEndTransactionMarkerBatch({
            marker: { type, coordinatorEpoch },
            producerId,
            producerEpoch,
            baseOffset,
            timestamp: BASE_TIME,
          });
          const { header, records } = decodeRecordBatch(batch);
          assert.ok(isControl(header.attributes));
          assert.ok(isTransactional(header.attributes));
          assert.equal(header.producerId, producerId);
          assert.equal(header.producerEpoch, producerEpoch);
          assert.equal(header.baseSequence, -1);
          assert.equal(records.length, 1);
          assert.equal(records[0]?.offset, baseOffset);
          assert.deepEqual(decodeEndTransactionMarker(records[0]!), { type, coordinatorEpoch });
        },
      ),
      { numRuns: 100 },
    );
  });

  test('an empty compacted batch keeps its lastOffsetDelta', () => {
    const batch = buildRecordBatch({ records: [], lastOffsetDelta: 9, baseOffset: 10 });
    const { header, records } = decodeRecordBatch(batch);
    assert.deepEqual(records, []);
    assert.equal(header.lastOffsetDelta, 9);
    assert.equal(header.baseTimestamp, -1);
    assert.equal(header.maxTimestamp, -1);
  });

  test('builder input errors are RangeErrors', () => {
    assert.throws(() => buildRecordBatch({ records: [{ offsetDelta: 1 }, { offsetDelta: 1 }] }), RangeError);
    assert.throws(() => buildRecordBatch({ baseOffset: 2 ** 53, records: [{}] }), RangeError);
    assert.throws(
      () =>
        buildRecordBatch({
          records: [{ timestamp: Number.MIN_SAFE_INTEGER }, { timestamp: Number.MAX_SAFE_INTEGER }],
        }),
      RangeError,
    );
    assert.throws(() => buildRecordBatch({ producerEpoch: 40000, records: [{}] }), RangeError);
  });
});

describe('record batch decoding rejects malformed batches', () => {
  function rewriteCrc(batch: Buffer): Buffer {
    batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), 17);
    return batch;
  }

  test('the iterator decodes lazily: a corrupt second record fails on the second next()', () => {
    const batch = buildRecordBatch({
      records: [{ value: Buffer.from('fine') }, { value: Buffer.from('broken') }],
      defaultTimestamp: 0,
    });
    // Second record starts after the first (length 1 + 10 bytes): make its length too large.
    const second = 61 + 1 + 10;
    batch[second] = 0x7e;
    rewriteCrc(batch);
    const iterator = new RecordBatchIterator(batch);
    assert.equal(iterator.next().value?.value?.toString(), 'fine');
    assert.throws(() => iterator.next(), hasCode('CORRUPT_MESSAGE'));
  });

  test('2^31 - 1 declared records: CORRUPT_MESSAGE before any record is read, compressed or not', () => {
    for (const compression of [CompressionType.NONE, CompressionType.ZSTD]) {
      const batch = buildRecordBatch({ compression, records: [{ value: Buffer.from('x') }], defaultTimestamp: 0 });
      batch.writeInt32BE(0x7fffffff, 57);
      rewriteCrc(batch);
      assert.throws(() => new RecordBatchIterator(batch), hasCode('CORRUPT_MESSAGE'));
    }
  });

  test('a negative record count (2^31 as int32) is INVALID_RECORD', () => {
    const batch = buildRecordBatch({ records: [{ value: Buffer.from('x') }], defaultTimestamp: 0 });
    batch.writeUInt32BE(0x80000000, 57);
    rewriteCrc(batch);
    assert.throws(() => decodeRecordBatch(batch), hasCode('INVALID_RECORD'));
  });

  test('fewer records than declared, or bytes left after them, are CORRUPT_MESSAGE', () => {
    const batch = buildRecordBatch({
      records: [{ value: Buffer.from('a') }, { value: Buffer.from('b') }],
      defaultTimestamp: 0,
    });
    const tooMany = Buffer.from(batch);
    tooMany.writeInt32BE(3, 57);
    assert.throws(() => decodeRecordBatch(rewriteCrc(tooMany)), hasCode('CORRUPT_MESSAGE'));
    const tooFew = Buffer.from(batch);
    tooFew.writeInt32BE(1, 57);
    assert.throws(() => decodeRecordBatch(rewriteCrc(tooFew)), hasCode('CORRUPT_MESSAGE'));
  });

  test('a header count or header key length beyond the record is CORRUPT_MESSAGE', () => {
    // record: length, attributes, timestampDelta, offsetDelta, key null, value null, headers...
    const make = (tail: string): Buffer => {
      const body = Buffer.from(`00000001 01${tail}`.replace(/ /g, ''), 'hex');
      const record = Buffer.concat([Buffer.from([body.length * 2]), body]);
      const batch = buildRecordBatch({ records: [{ value: null }], defaultTimestamp: 0 });
      const out = Buffer.concat([batch.subarray(0, 61), record]);
      out.writeInt32BE(out.length - 12, 8);
      return rewriteCrc(out);
    };
    assert.equal(decodeRecordBatch(make('00')).records.length, 1); // the well-formed baseline
    assert.throws(() => decodeRecordBatch(make('feffffff0f')), hasCode('CORRUPT_MESSAGE')); // 2^31-1 headers
    assert.throws(() => decodeRecordBatch(make('01')), hasCode('CORRUPT_MESSAGE')); // -1 headers
    assert.throws(() => decodeRecordBatch(make('02' + 'feffffff0f' + '00')), hasCode('CORRUPT_MESSAGE')); // huge key
    assert.throws(() => decodeRecordBatch(make('02' + '01' + '00')), hasCode('CORRUPT_MESSAGE')); // key length -1
  });

  test('a compressed batch whose records inflate beyond the limit is CORRUPT_MESSAGE', () => {
    const batch = buildRecordBatch({
      compression: CompressionType.LZ4,
      records: [{ value: Buffer.alloc(200_000) }],
      defaultTimestamp: 0,
    });
    assert.throws(() => decodeRecordBatch(batch, 0, { maxDecompressedBytes: 100_000 }), hasCode('CORRUPT_MESSAGE'));
    assert.equal(decodeRecordBatch(batch, 0, { maxDecompressedBytes: 300_000 }).records[0]?.value?.length, 200_000);
  });
});
