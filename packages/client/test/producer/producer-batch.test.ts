import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchAttributes, CompressionType, decodeRecordBatch } from '@samsa/protocol';
import fc from 'fast-check';
import { BufferPool } from '../../src/producer/buffer-pool.js';
import { type DeliverySink, ProducerBatch } from '../../src/producer/producer-batch.js';
import type { RecordMetadata } from '../../src/producer/producer-record.js';
import { RecordAccumulator } from '../../src/producer/record-accumulator.js';

function sink(): DeliverySink & { results: Map<number, RecordMetadata | Error> } {
  const results = new Map<number, RecordMetadata | Error>();
  return {
    results,
    delivered: (i, m) => results.set(i, m),
    failed: (i, e) => results.set(i, e),
  };
}

describe('ProducerBatch', () => {
  it('encodes records that the protocol package decodes identically, for every codec', () => {
    for (const codec of [
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ]) {
      const batch = new ProducerBatch('t', 0, Buffer.alloc(4096), false, Date.now());
      const s = sink();
      assert.ok(batch.tryAppend(1_700_000_000_000, Buffer.from('k1'), Buffer.from('v1'), [], s, 0));
      assert.ok(
        batch.tryAppend(1_700_000_000_005, null, Buffer.from('v2'), [{ key: 'h', value: Buffer.from('hv') }], s, 1),
      );
      assert.ok(batch.tryAppend(1_699_999_999_990, Buffer.from('k3'), null, [{ key: 'n', value: null }], s, 2));
      batch.close(codec, undefined, false);
      batch.stamp(42, 3, 7);
      const decoded = decodeRecordBatch(batch.built as Buffer);
      assert.equal(decoded.header.attributes & BatchAttributes.COMPRESSION_MASK, codec);
      assert.equal(decoded.header.producerId, 42);
      assert.equal(decoded.header.producerEpoch, 3);
      assert.equal(decoded.header.baseSequence, 7);
      assert.equal(decoded.header.recordsCount, 3);
      assert.equal(decoded.header.lastOffsetDelta, 2);
      assert.equal(decoded.header.baseTimestamp, 1_700_000_000_000);
      assert.equal(decoded.header.maxTimestamp, 1_700_000_000_005);
      const [r0, r1, r2] = decoded.records;
      assert.equal(r0?.key?.toString(), 'k1');
      assert.equal(r0?.value?.toString(), 'v1');
      assert.equal(r1?.key, null);
      assert.equal(r1?.timestamp, 1_700_000_000_005);
      assert.deepEqual(
        r1?.headers.map((h) => [h.key, h.value?.toString()]),
        [['h', 'hv']],
      );
      assert.equal(r2?.value, null);
      assert.equal(r2?.timestamp, 1_699_999_999_990);
      assert.deepEqual(r2?.headers, [{ key: 'n', value: null }]);
    }
  });

  it('restamping for a new epoch keeps the batch valid (CRC recomputed)', () => {
    const batch = new ProducerBatch('t', 0, Buffer.alloc(1024), false, Date.now());
    batch.tryAppend(Date.now(), null, Buffer.from('x'), [], sink(), 0);
    batch.close(CompressionType.NONE, undefined, true);
    batch.stamp(1, 0, 0);
    batch.stamp(1, 1, 0);
    const decoded = decodeRecordBatch(batch.built as Buffer);
    assert.equal(decoded.header.producerEpoch, 1);
    assert.ok((decoded.header.attributes & BatchAttributes.TRANSACTIONAL) !== 0);
  });

  it('round-trips arbitrary records (property)', () => {
    const record = fc.record({
      key: fc.option(fc.uint8Array({ maxLength: 40 })),
      value: fc.option(fc.uint8Array({ maxLength: 200 })),
      delta: fc.integer({ min: -100000, max: 1e12 }),
      headers: fc.array(
        fc.record({ key: fc.string({ maxLength: 10 }), value: fc.option(fc.uint8Array({ maxLength: 10 })) }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const batch = new ProducerBatch('t', 0, Buffer.alloc(64 * 1024), false, 0);
        const base = 1_600_000_000_000;
        for (const [i, r] of records.entries()) {
          const headers = r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) }));
          assert.ok(batch.tryAppend(base + r.delta, r.key, r.value, headers, sink(), i));
        }
        batch.close(CompressionType.NONE, undefined, false);
        const decoded = decodeRecordBatch(batch.built as Buffer);
        assert.equal(decoded.records.length, records.length);
        for (const [i, r] of records.entries()) {
          const d = decoded.records[i];
          assert.deepEqual(
            d?.key === null ? null : new Uint8Array(d?.key as Buffer),
            r.key === null ? null : new Uint8Array(r.key),
          );
          assert.deepEqual(
            d?.value === null ? null : new Uint8Array(d?.value as Buffer),
            r.value === null ? null : new Uint8Array(r.value),
          );
          assert.equal(d?.timestamp, base + r.delta);
          assert.equal(d?.offsetDelta, i);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reports offsets from the base offset and sizes per record', () => {
    const batch = new ProducerBatch('t', 2, Buffer.alloc(1024), false, 0);
    const s = sink();
    batch.tryAppend(10, Buffer.from('abc'), Buffer.from('12345'), [], s, 5);
    batch.tryAppend(11, null, null, [], s, 6);
    batch.close(CompressionType.NONE, undefined, false);
    batch.complete(100n, -1);
    const m5 = s.results.get(5) as RecordMetadata;
    const m6 = s.results.get(6) as RecordMetadata;
    assert.deepEqual(m5, {
      topic: 't',
      partition: 2,
      offset: 100n,
      timestamp: 10,
      serializedKeySize: 3,
      serializedValueSize: 5,
    });
    assert.deepEqual(m6, {
      topic: 't',
      partition: 2,
      offset: 101n,
      timestamp: 11,
      serializedKeySize: -1,
      serializedValueSize: -1,
    });
  });

  it('splits into two halves keeping records, timestamps, headers and delivery sinks (after a compressed close)', () => {
    const batch = new ProducerBatch('t', 1, Buffer.alloc(4096), false, 123);
    const s = sink();
    const timestamps = [1_700_000_000_000, 1_700_000_000_009, 1_699_999_999_000, 1_700_000_000_002, 1_700_000_000_001];
    for (const [i, ts] of timestamps.entries()) {
      const headers = i % 2 === 0 ? [{ key: `h${i}`, value: Buffer.from(`hv${i}`) }] : [];
      assert.ok(batch.tryAppend(ts, i === 1 ? null : Buffer.from(`k${i}`), Buffer.from(`v${i}`), headers, s, 10 + i));
    }
    batch.close(CompressionType.LZ4, undefined, false);
    const parts = batch.split();
    assert.deepEqual(
      parts.map((p) => p.recordCount),
      [3, 2],
    );
    const decoded = parts.map((p) => {
      assert.equal(p.createdMs, 123);
      p.close(CompressionType.NONE, undefined, false);
      return decodeRecordBatch(p.built as Buffer).records;
    });
    const records = decoded.flat();
    assert.deepEqual(
      records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp, r.headers.length]),
      timestamps.map((ts, i) => [i === 1 ? null : `k${i}`, `v${i}`, ts, i % 2 === 0 ? 1 : 0]),
    );
    assert.deepEqual(
      decoded.map((rs) => rs.map((r) => r.offset)),
      [
        [0, 1, 2],
        [0, 1],
      ],
    );
    parts[0]?.complete(50n, -1);
    parts[1]?.complete(53n, -1);
    assert.deepEqual(
      [...s.results.entries()].map(([i, m]) => [i, (m as RecordMetadata).offset, (m as RecordMetadata).timestamp]),
      timestamps.map((ts, i) => [10 + i, BigInt(50 + i), ts]),
    );
  });

  it('refuses a record that does not fit, leaving the batch unchanged', () => {
    const batch = new ProducerBatch('t', 0, Buffer.alloc(100), false, 0);
    assert.ok(batch.tryAppend(0, null, Buffer.alloc(20), [], sink(), 0));
    const pos = batch.pos;
    assert.equal(batch.tryAppend(0, null, Buffer.alloc(50), [], sink(), 1), false);
    assert.equal(batch.pos, pos);
    assert.equal(batch.recordCount, 1);
  });
});

describe('RecordAccumulator', () => {
  const cluster = { leaderOf: (_t: string, p: number) => (p === 9 ? -1 : p % 2) } as never;
  const always = () => true;

  it('batches per partition up to batch.size, then starts a new batch', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 1024), 1024, 1000);
    let newBatches = 0;
    let full = 0;
    for (let i = 0; i < 30; i++) {
      const r = acc.append('t', 0, 0, null, Buffer.alloc(100), [], sink(), i, 0);
      assert.ok(r.appended);
      if (r.newBatch) newBatches++;
      if (r.batchFull) full++;
    }
    assert.equal(newBatches, 4); // 9 records of ~108 bytes fit in 1024 - 61
    assert.ok(full >= 0);
    assert.equal(acc.incomplete, 4);
  });

  it('makes a batch sendable after linger.ms, when full, or when flushing', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 1024), 1024, 50);
    acc.append('t', 0, 0, null, Buffer.alloc(10), [], sink(), 0, 1000);
    assert.equal(acc.ready(1010, cluster, false, always).nodes.size, 0);
    assert.equal(acc.ready(1010, cluster, false, always).nextCheckMs, 1050);
    assert.deepEqual([...acc.ready(1050, cluster, false, always).nodes], [0]);
    assert.deepEqual([...acc.ready(1010, cluster, true, always).nodes], [0]);
  });

  it('drains at most one batch per partition per request, for the given leader only', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 200), 200, 0);
    for (let p = 0; p < 4; p++)
      for (let i = 0; i < 5; i++) acc.append('t', p, 0, null, Buffer.alloc(60), [], sink(), i, 0);
    const drained = acc.drain(0, cluster, 1 << 20, 10, false, always);
    assert.deepEqual(drained.map((b) => b.partition).sort(), [0, 2]);
    const again = acc.drain(0, cluster, 1 << 20, 10, false, always);
    assert.deepEqual(again.map((b) => b.partition).sort(), [0, 2]);
    assert.ok(drained.every((b, i) => b !== again[i]));
  });

  it('abortOnNewBatch: a record that needs a new batch is not appended, and the caller is told (KIP-480)', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 300), 300, 1000);
    const none = acc.append('t', 0, 0, null, Buffer.alloc(100), [], sink(), 0, 0, true);
    assert.deepEqual([none.appended, none.abortedForNewBatch, acc.incomplete], [false, true, 0]);
    assert.ok(acc.append('t', 0, 0, null, Buffer.alloc(100), [], sink(), 0, 0).newBatch);
    assert.ok(acc.append('t', 0, 0, null, Buffer.alloc(100), [], sink(), 1, 0, true).appended);
    const full = acc.append('t', 0, 0, null, Buffer.alloc(100), [], sink(), 2, 0, true);
    assert.deepEqual([full.appended, full.abortedForNewBatch], [false, true]);
    assert.equal(acc.queue('t', 0).batches[0]?.recordCount, 2);
    assert.equal(acc.incomplete, 1);
  });

  it("a completed batch's bookkeeping goes to the next batch, cleared; the old batch refuses use", () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 1024), 1024, 0);
    const first = sink();
    for (let i = 0; i < 3; i++) acc.append('t', 0, 5, null, Buffer.alloc(10), [], first, i, 0);
    const [done] = acc.drain(0, cluster, 1 << 20, 0, true, always) as ProducerBatch[];
    done?.complete(100n, -1);
    assert.deepEqual(
      [...first.results.values()].map((m) => (m as RecordMetadata).offset),
      [100n, 101n, 102n],
    );
    acc.deallocate(done as ProducerBatch);
    assert.throws(() => done?.split(), /used after release/);
    const second = sink();
    acc.append('t', 0, 7, Buffer.from('k'), Buffer.alloc(10), [], second, 0, 0);
    const [next] = acc.drain(0, cluster, 1 << 20, 0, true, always) as ProducerBatch[];
    next?.complete(200n, -1);
    const metadata = second.results.get(0) as RecordMetadata;
    assert.deepEqual([metadata.offset, metadata.timestamp, metadata.serializedKeySize], [200n, 7, 1]);
    assert.equal(first.results.size, 3, "the first batch's sink is not told again");
  });

  it('reports unknown leaders and holds their batches', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 200), 200, 0);
    acc.append('t', 9, 0, null, Buffer.alloc(10), [], sink(), 0, 0);
    const ready = acc.ready(10, cluster, true, always);
    assert.equal(ready.unknownLeader, true);
    assert.equal(ready.nodes.size, 0);
  });

  it('refuses appends beyond buffer.memory and accepts again after deallocation', () => {
    const pool = new BufferPool(2048, 1024);
    const acc = new RecordAccumulator(pool, 1024, 0);
    assert.ok(acc.append('t', 0, 0, null, Buffer.alloc(900), [], sink(), 0, 0).appended);
    assert.ok(acc.append('t', 1, 0, null, Buffer.alloc(900), [], sink(), 0, 0).appended);
    assert.equal(acc.append('t', 2, 0, null, Buffer.alloc(900), [], sink(), 0, 0).appended, false);
    const [batch] = acc.drain(0, cluster, 1 << 20, 0, true, always);
    acc.deallocate(batch as ProducerBatch);
    assert.ok(acc.append('t', 2, 0, null, Buffer.alloc(900), [], sink(), 0, 0).appended);
    assert.equal(pool.availableMemory, 0);
  });

  it('puts retried batches back before newer ones, in sequence order', () => {
    const acc = new RecordAccumulator(new BufferPool(1 << 20, 100), 100, 0);
    for (let i = 0; i < 4; i++) acc.append('t', 0, 0, null, Buffer.alloc(50), [], sink(), i, 0);
    const q = acc.queue('t', 0);
    const sent = [q.batches.shift(), q.batches.shift()] as ProducerBatch[];
    sent.forEach((b, i) => {
      b.close(0, undefined, false);
      b.stamp(1, 0, i);
      b.attempts = 1;
    });
    acc.reenqueue(sent[1] as ProducerBatch);
    acc.reenqueue(sent[0] as ProducerBatch);
    assert.deepEqual(q.batches.slice(0, 2), sent);
    assert.equal(q.batches.length, 4);
  });
});
