import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compress, decompress } from '../../src/compression/compression.js';
import { scanLz4Frames } from '../../src/compression/lz4-frame-scan.js';
import { rawSnappyCompress } from '../../src/compression/raw-snappy.js';
import { isXerialSnappy, xerialSnappyCompress } from '../../src/compression/xerial-snappy.js';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { CompressionType } from '../../src/records/record-batch-header.js';

const fixtures = new URL('../../../test/fixtures/compression/', import.meta.url);
const CODECS = [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD] as const;

function isCorruptMessage(error: unknown): boolean {
  return error instanceof KafkaError && error.errorName === 'CORRUPT_MESSAGE';
}

/** The input the reference CLIs compressed into the fixtures (lz4 1.9.4, zstd 1.5.4, gzip). */
function fixtureInput(): Buffer {
  let s = '';
  for (let i = 0; i < 20000; i++) s += `record-${(i * 7919) % 1000}-value;`;
  return Buffer.from(s);
}

const SAMPLE = Buffer.from('Kafka record batch payload, Kafka record batch payload, Kafka!');

describe('compression round trips', () => {
  for (const codec of CODECS) {
    test(`codec ${codec}: decompress(compress(x)) = x for random inputs`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 4096 }),
            // Compressible inputs: repeated short patterns, so matches and long runs occur.
            fc
              .tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 1, max: 20000 }))
              .map(([unit, n]) => Buffer.alloc(unit.length * n, unit)),
          ),
          (bytes) => {
            const input = Buffer.from(bytes);
            const compressed = compress(codec, input);
            assert.deepEqual(decompress(codec, compressed), input);
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  test('raw snappy (librdkafka, KafkaJS) is read by the snappy codec too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70000 }), (bytes) => {
        const input = Buffer.from(bytes);
        const raw = compress(CompressionType.SNAPPY, input, { snappyFraming: 'raw' });
        assert.equal(isXerialSnappy(raw), false);
        assert.deepEqual(decompress(CompressionType.SNAPPY, raw), input);
      }),
      { numRuns: 30 },
    );
  });

  test('snappy writes xerial framing by default, in 32 KiB blocks', () => {
    const input = Buffer.alloc(100_000, 7);
    const framed = compress(CompressionType.SNAPPY, input);
    assert.equal(framed.subarray(0, 8).toString('hex'), '82534e4150505900');
    assert.equal(framed.readInt32BE(8), 1);
    assert.equal(framed.readInt32BE(12), 1);
    let blocks = 0;
    for (let pos = 16; pos < framed.length; pos += 4 + framed.readInt32BE(pos)) blocks++;
    assert.equal(blocks, 4); // 32768 * 3 + 1696
  });

  test('NONE passes bytes through', () => {
    assert.equal(compress(CompressionType.NONE, SAMPLE), SAMPLE);
    assert.equal(decompress(CompressionType.NONE, SAMPLE), SAMPLE);
  });

  test('an unknown codec id is CORRUPT_MESSAGE when reading', () => {
    assert.throws(() => decompress(5 as CompressionType, SAMPLE), isCorruptMessage);
  });
});

describe('golden inputs from reference implementations', () => {
  test('xerial snappy: a hand-built stream of two blocks', () => {
    const hex =
      '82534e4150505900' + // magic "\x82SNAPPY\0"
      '00000001' + // version
      '00000001' + // compatible version
      '00000007' + // block 1: 7 bytes of raw snappy
      '05' + // uncompressed length 5
      '10' + // literal of 5 bytes: tag (5-1) << 2
      '68656c6c6f' + // "hello"
      '00000007' + // block 2: 7 bytes
      '0c' + // uncompressed length 12
      '08' + // literal of 3 bytes
      '616263' + // "abc"
      '15' + // copy, 1-byte offset: type 01, length 9 ((9-4) << 2), offset high bits 0
      '03'; // offset 3: the copy overlaps its own output, "abcabcabc"
    assert.equal(decompress(CompressionType.SNAPPY, Buffer.from(hex, 'hex')).toString(), 'helloabcabcabcabc');
  });

  test('raw snappy: a hand-built block', () => {
    // length 12, literal "abc", copy length 9 offset 3
    assert.equal(decompress(CompressionType.SNAPPY, Buffer.from('0c086162631503', 'hex')).toString(), 'abcabcabcabc');
  });

  test('lz4: frames written by the lz4 CLI (content checksum; content size)', () => {
    const plain = Buffer.from(
      '04224d186440a727000000ff0d4b61666b61207265636f7264206261746368207061796c6f61642c201c000a5061666b6121000000002122fd5f',
      'hex',
    );
    assert.deepEqual(decompress(CompressionType.LZ4, plain), SAMPLE);
    const withSize = Buffer.from(
      '04224d186c403e00000000000000a327000000ff0d4b61666b61207265636f7264206261746368207061796c6f61642c201c000a5061666b6121000000002122fd5f',
      'hex',
    );
    assert.deepEqual(decompress(CompressionType.LZ4, withSize), SAMPLE);
  });

  test('lz4: linked (dependent) blocks, 64 KiB, from the lz4 CLI', () => {
    const frame = readFileSync(new URL('linked-blocks.lz4', fixtures));
    assert.equal((frame[4] as number) & 0x20, 0, 'fixture should use linked blocks');
    const input = fixtureInput();
    assert.deepEqual(decompress(CompressionType.LZ4, frame), input);
    // The exact-size path (bound above the limit) must agree with the real output size.
    const spans = scanLz4Frames(frame, input.length);
    assert.equal(spans[0]?.exact, true);
    assert.equal(spans[0]?.maxOutputBytes, input.length);
    assert.throws(() => decompress(CompressionType.LZ4, frame, input.length - 1), isCorruptMessage);
  });

  test('zstd: a streamed frame without content size, from the zstd CLI', () => {
    const frame = readFileSync(new URL('streamed.zst', fixtures));
    assert.deepEqual(decompress(CompressionType.ZSTD, frame), fixtureInput());
    const small = Buffer.from(
      '28b52ffd243e1d0100e84b61666b61207265636f7264206261746368207061796c6f61642c20210100fc389d44fa6dd6',
      'hex',
    );
    assert.deepEqual(decompress(CompressionType.ZSTD, small), SAMPLE);
  });

  test('gzip: the gzip CLI', () => {
    assert.deepEqual(decompress(CompressionType.GZIP, readFileSync(new URL('linked.gz', fixtures))), fixtureInput());
  });
});

describe('malformed compressed data', () => {
  test('lz4: a truncated frame is corrupt (the native decoder alone would return a short result)', () => {
    const frame = compress(CompressionType.LZ4, SAMPLE);
    for (let cut = 1; cut < frame.length; cut++) {
      assert.throws(() => decompress(CompressionType.LZ4, frame.subarray(0, frame.length - cut)), isCorruptMessage);
    }
  });

  test('lz4: concatenated frames are all decoded (the native decoder alone stops after the first)', () => {
    const a = compress(CompressionType.LZ4, Buffer.from('first frame '));
    const b = compress(CompressionType.LZ4, Buffer.from('second frame'));
    // A skippable frame declaring 3 bytes but followed by 4 leaves one stray byte.
    const skippable = Buffer.from('502a4d180300000041424344', 'hex');
    assert.throws(() => decompress(CompressionType.LZ4, Buffer.concat([a, skippable])), isCorruptMessage);
    const skippableOk = Buffer.from('502a4d180400000041424344', 'hex');
    assert.equal(
      decompress(CompressionType.LZ4, Buffer.concat([a, skippableOk, b])).toString(),
      'first frame second frame',
    );
  });

  for (const codec of CODECS) {
    test(`codec ${codec}: truncations and garbage are CORRUPT_MESSAGE`, () => {
      const compressed = compress(codec, Buffer.from('some bytes to compress, some bytes to compress'.repeat(20)));
      for (const cut of [1, 2, 5, Math.floor(compressed.length / 2)]) {
        assert.throws(() => decompress(codec, compressed.subarray(0, compressed.length - cut)), isCorruptMessage);
      }
      assert.throws(() => decompress(codec, Buffer.alloc(0)), isCorruptMessage);
      assert.throws(() => decompress(codec, Buffer.from('not compressed at all, not at all')), isCorruptMessage);
    });
  }

  test('xerial snappy: a negative or oversized block length is corrupt', () => {
    const framed = xerialSnappyCompress(SAMPLE);
    const negative = Buffer.from(framed);
    negative.writeInt32BE(-5, 16);
    assert.throws(() => decompress(CompressionType.SNAPPY, negative), isCorruptMessage);
    const oversized = Buffer.from(framed);
    oversized.writeInt32BE(0x7fffffff, 16);
    assert.throws(() => decompress(CompressionType.SNAPPY, oversized), isCorruptMessage);
  });

  test('raw snappy: a preamble that lies about the length is corrupt', () => {
    const block = Buffer.from(rawSnappyCompress(SAMPLE));
    block[0] = (block[0] as number) + 1; // declares one byte more than the data yields
    assert.throws(() => decompress(CompressionType.SNAPPY, block), isCorruptMessage);
  });
});
