import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { murmur2, murmur2Partition, toPositive } from '../../src/producer/murmur2.js';
import { DefaultPartitioner, RoundRobinPartitioner } from '../../src/producer/partitioners.js';

const require = createRequire(import.meta.url);
/** KafkaJS's port of Java's murmur2 (Long arithmetic): an independent oracle. */
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;

describe('murmur2', () => {
  it("matches Java's Utils.murmur2 on the vectors of Kafka's UtilsTest", () => {
    const cases: [Uint8Array, number][] = [
      [Buffer.from('21'), -973932308],
      [Buffer.from('foobar'), -790332482],
      [Buffer.from('a-little-bit-long-string'), -985981536],
      [Buffer.from('a-little-bit-longer-string'), -1486304829],
      [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
      [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
    ];
    for (const [input, expected] of cases) assert.equal(murmur2(input), expected, Buffer.from(input).toString());
  });

  it('covers every tail length (0-3 leftover bytes) and high bytes', () => {
    assert.equal(murmur2(new Uint8Array(0)), kafkajsMurmur2(Buffer.alloc(0)));
    for (let n = 1; n <= 9; n++) {
      const data = Buffer.alloc(n, 0xff);
      assert.equal(murmur2(data), kafkajsMurmur2(data), `length ${n}`);
    }
  });

  it('agrees with an independent Long-arithmetic implementation on random keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        assert.equal(murmur2(bytes), kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('toPositive clears the sign bit like Java (not Math.abs)', () => {
    assert.equal(toPositive(-1), 0x7fffffff);
    assert.equal(toPositive(-2147483648), 0);
    assert.equal(toPositive(5), 5);
  });

  it('maps keys to partitions as Java: toPositive(murmur2(key)) % n', () => {
    // "21" hashes to -973932308 → toPositive = 1173551340.
    assert.equal(murmur2Partition(Buffer.from('21'), 10), 1173551340 % 10);
    assert.equal(murmur2Partition(Buffer.from('foobar'), 3), toPositive(-790332482) % 3);
  });
});

describe('partitioners', () => {
  const input = (key: string | null, available = [0, 1, 2, 3]) => ({
    topic: 't',
    key: key === null ? null : Buffer.from(key),
    value: null,
    numPartitions: 4,
    availablePartitions: available,
  });

  it('default: keyed records by murmur2 over all partitions, even unavailable ones', () => {
    const p = new DefaultPartitioner();
    assert.equal(p.partition(input('21', [0])), murmur2Partition(Buffer.from('21'), 4));
  });

  it('default: null keys stick to one available partition until onNewBatch (KIP-480)', () => {
    const p = new DefaultPartitioner();
    const first = p.partition(input(null, [1, 3]));
    assert.ok(first === 1 || first === 3);
    for (let i = 0; i < 20; i++) assert.equal(p.partition(input(null, [1, 3])), first);
    p.onNewBatch('t', first, input(null, [1, 3]));
    const next = p.partition(input(null, [1, 3]));
    assert.notEqual(next, first);
    // A stale onNewBatch (for a partition no longer sticky) changes nothing.
    p.onNewBatch('t', first, input(null, [1, 3]));
    assert.equal(p.partition(input(null, [1, 3])), next);
  });

  it('partitioner.ignore.keys makes keyed records sticky too', () => {
    const p = new DefaultPartitioner(true);
    const a = p.partition(input('k1'));
    assert.equal(p.partition(input('k2')), a);
  });

  it('round-robin cycles over available partitions per topic', () => {
    const p = new RoundRobinPartitioner();
    const seen = Array.from({ length: 6 }, () => p.partition(input('x', [0, 2, 3])));
    assert.deepEqual(seen, [0, 2, 3, 0, 2, 3]);
  });
});
