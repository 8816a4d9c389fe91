/**
 * Decompression bombs: 100 MiB of zeros in every codec and framing, decompressed with a 1 MiB
 * limit, must fail with CORRUPT_MESSAGE while the process's peak memory stays far below 100 MiB.
 *
 * The bombs are built by repeating a small valid unit (a gzip member, a snappy block, an LZ4
 * block, a zstd frame), so building them never holds 100 MiB either. Each builder is also run at
 * a small size and decoded in full, proving the bombs are valid streams rather than garbage that
 * fails for another reason. node:test runs each file in its own process, so the peak-RSS baseline
 * is this file's alone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { compressFrameSync } from 'lz4-napi';
import { decompress } from '../../src/compression/compression.js';
import { rawSnappyCompress } from '../../src/compression/raw-snappy.js';
import { XERIAL_MAGIC } from '../../src/compression/xerial-snappy.js';
import { ZSTD_DEFAULT_LEVEL, zstdCompress } from '../../src/compression/zstd.js';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { CompressionType } from '../../src/records/record-batch-header.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const BOMB_BYTES = 100 * MiB;
const LIMIT_BYTES = 1 * MiB;

function repeat(unit: Buffer, times: number): Buffer {
  const out = Buffer.allocUnsafe(unit.length * times);
  for (let i = 0; i < times; i++) unit.copy(out, i * unit.length);
  return out;
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Raw snappy by hand: one literal zero byte, then copies of 64 bytes at offset 1. */
function rawSnappyZeros(outputBytes: number, declaredBytes = outputBytes): Buffer {
  const copies = Math.floor((outputBytes - 1) / 64);
  const rest = (outputBytes - 1) % 64;
  const ops = Buffer.allocUnsafe(2 + copies * 3 + (rest > 0 ? 3 : 0));
  ops[0] = 0x00; // literal, 1 byte
  ops[1] = 0x00;
  let pos = 2;
  const copy = (length: number): void => {
    ops[pos++] = ((length - 1) << 2) | 0x02; // copy with a 2-byte offset
    ops[pos++] = 1;
    ops[pos++] = 0;
  };
  for (let i = 0; i < copies; i++) copy(64);
  if (rest > 0) copy(rest);
  return Buffer.concat([uvarint(declaredBytes), ops]);
}

const bombs: { name: string; codec: CompressionType; build: (bytes: number) => Buffer }[] = [
  {
    name: 'gzip, concatenated members',
    codec: CompressionType.GZIP,
    build: (bytes) => repeat(gzipSync(Buffer.alloc(MiB)), bytes / MiB),
  },
  {
    name: 'snappy, xerial blocks',
    codec: CompressionType.SNAPPY,
    build: (bytes) => {
      const block = rawSnappyCompress(Buffer.alloc(64 * KiB));
      const unit = Buffer.concat([Buffer.alloc(4), block]);
      unit.writeInt32BE(block.length, 0);
      const header = Buffer.concat([XERIAL_MAGIC, Buffer.from('0000000100000001', 'hex')]);
      return Buffer.concat([header, repeat(unit, bytes / (64 * KiB))]);
    },
  },
  {
    name: 'snappy, one raw block',
    codec: CompressionType.SNAPPY,
    build: (bytes) => rawSnappyZeros(bytes),
  },
  {
    name: 'lz4, one frame of 64 KiB blocks',
    codec: CompressionType.LZ4,
    build: (bytes) => {
      const frame = compressFrameSync(Buffer.alloc(64 * KiB));
      assert.equal((frame[4] as number) & 0x1c, 0, 'expected no checksums and no content size');
      const headerBytes = 7;
      const blockBytes = 4 + (frame.readUInt32LE(headerBytes) & 0x7fffffff);
      assert.equal(frame.length, headerBytes + blockBytes + 4, 'expected exactly one block');
      const block = frame.subarray(headerBytes, headerBytes + blockBytes);
      return Buffer.concat([frame.subarray(0, headerBytes), repeat(block, bytes / (64 * KiB)), Buffer.alloc(4)]);
    },
  },
  {
    name: 'zstd, frames declaring their size',
    codec: CompressionType.ZSTD,
    build: (bytes) => repeat(zstdFrame(Buffer.alloc(MiB), true), bytes / MiB),
  },
  {
    name: 'zstd, frames without a size (streamed)',
    codec: CompressionType.ZSTD,
    build: (bytes) => repeat(zstdFrame(Buffer.alloc(MiB), false), bytes / MiB),
  },
];

function zstdFrame(input: Buffer, withContentSize: boolean): Buffer {
  return zstdCompress(input, ZSTD_DEFAULT_LEVEL, { contentSize: withContentSize });
}

function isCorruptMessage(error: unknown): boolean {
  return error instanceof KafkaError && error.errorName === 'CORRUPT_MESSAGE' && /exceeds|limit/.test(error.message);
}

describe('decompression output limit', () => {
  test('every bomb builder makes a valid stream (decoded in full at 2 MiB)', () => {
    for (const bomb of bombs) {
      const output = decompress(bomb.codec, bomb.build(2 * MiB), 2 * MiB);
      assert.equal(output.length, 2 * MiB, bomb.name);
      assert.ok(
        output.every((b) => b === 0),
        bomb.name,
      );
    }
  });

  test('100 MiB bombs fail with CORRUPT_MESSAGE under a 1 MiB limit, in bounded memory', () => {
    const built = bombs.map((bomb) => ({ ...bomb, input: bomb.build(BOMB_BYTES) }));
    const liar = rawSnappyZeros(BOMB_BYTES, 100); // declares 100 bytes, its copies say 100 MiB
    const peakBeforeKiB = process.resourceUsage().maxRSS;
    const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
    for (const bomb of built) {
      assert.throws(() => decompress(bomb.codec, bomb.input, LIMIT_BYTES), isCorruptMessage, bomb.name);
    }
    assert.throws(
      () => decompress(CompressionType.SNAPPY, liar, LIMIT_BYTES),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'CORRUPT_MESSAGE',
    );
    const peakGrowthMiB = (process.resourceUsage().maxRSS - peakBeforeKiB) / 1024;
    const arrayBuffersGrowthMiB = (process.memoryUsage().arrayBuffers - arrayBuffersBefore) / MiB;
    assert.ok(peakGrowthMiB < 48, `peak RSS grew by ${peakGrowthMiB.toFixed(1)} MiB`);
    assert.ok(arrayBuffersGrowthMiB < 16, `arrayBuffers grew by ${arrayBuffersGrowthMiB.toFixed(1)} MiB`);
  });

  test('a declared size above the limit is rejected before decoding', () => {
    // zstd frame header claiming 2^40 bytes of content; lz4 frame claiming 2^40; raw snappy 2^32-1.
    const zstdHuge = Buffer.from('28b52ffd' + 'e0' + '0000000000010000' + '01000000', 'hex');
    assert.throws(() => decompress(CompressionType.ZSTD, zstdHuge, LIMIT_BYTES), isCorruptMessage);
    const lz4Huge = Buffer.from('04224d18' + '68' + '40' + '0000000000010000' + '00' + '00000000', 'hex');
    assert.throws(() => decompress(CompressionType.LZ4, lz4Huge, LIMIT_BYTES), isCorruptMessage);
    const snappyHuge = Buffer.from('ffffffff0f00', 'hex');
    assert.throws(() => decompress(CompressionType.SNAPPY, snappyHuge, LIMIT_BYTES), isCorruptMessage);
  });
});
