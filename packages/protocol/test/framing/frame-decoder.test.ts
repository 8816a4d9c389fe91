import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { FrameDecoder } from '../../src/framing/frame-decoder.js';

const MiB = 1024 * 1024;

function withPrefix(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

function splitAt(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(data.subarray(last, p));
    last = p;
  }
  chunks.push(data.subarray(last));
  return chunks;
}

describe('FrameDecoder', () => {
  test('concatenated frames split at arbitrary points come out whole and in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 40 }),
        (frames, cuts) => {
          const stream = Buffer.concat(frames.map(withPrefix));
          const decoder = new FrameDecoder(1024);
          const out: Buffer[] = [];
          for (const chunk of splitAt(stream, cuts)) out.push(...decoder.push(Buffer.from(chunk)));
          assert.deepEqual(out, frames);
          assert.equal(decoder.bufferedBytes, 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('one byte at a time', () => {
    const frames = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world')];
    const stream = Buffer.concat(frames.map(withPrefix));
    const decoder = new FrameDecoder(100);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...decoder.push(stream.subarray(i, i + 1)));
    assert.deepEqual(out, frames);
  });

  test('a frame of exactly the maximum size is accepted; one byte more is not', () => {
    assert.equal(new FrameDecoder(16).push(withPrefix(Buffer.alloc(16))).length, 1);
    assert.throws(() => new FrameDecoder(16).push(withPrefix(Buffer.alloc(17))), KafkaError);
  });

  test('hostile sizes throw before anything is buffered: 2^31-1, negative, a TLS ClientHello', () => {
    const cases = {
      'size 2^31-1': Buffer.from('7fffffff00', 'hex'),
      'size -1': Buffer.from('ffffffff00', 'hex'),
      'size -2^31': Buffer.from('80000000', 'hex'),
      // A TLS ClientHello on a plaintext port: 0x16030100.. is about 369 MB.
      'TLS ClientHello': Buffer.from('1603010200010001fc0303', 'hex'),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      assert.throws(() => new FrameDecoder(100 * MiB).push(bytes), KafkaError, name);
      // The same, with the size prefix split across two chunks.
      const split = new FrameDecoder(100 * MiB);
      assert.deepEqual(split.push(bytes.subarray(0, 2)), []);
      assert.throws(() => split.push(bytes.subarray(2)), KafkaError, `${name}, split`);
    }
  });

  test('a frame assembled from many chunks keeps only its own bytes buffered', () => {
    const payload = Buffer.alloc(64 * 1024, 9);
    const decoder = new FrameDecoder(MiB);
    const stream = withPrefix(payload);
    let frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1000) {
      frames = frames.concat(decoder.push(stream.subarray(i, i + 1000)));
      assert.ok(decoder.bufferedBytes <= stream.length);
    }
    assert.equal(frames.length, 1);
    assert.ok(frames[0]!.equals(payload));
  });
});

describe('FrameDecoder with an allocator', () => {
  test('frames spanning chunks are assembled in buffers of exactly their size from the allocator', () => {
    const sizes: number[] = [];
    const allocate = (size: number) => {
      sizes.push(size);
      return Buffer.alloc(size + 7).subarray(3, 3 + size);
    };
    const frames = [Buffer.alloc(5000, 1), Buffer.from('small'), Buffer.alloc(3000, 2), Buffer.alloc(0)];
    const stream = Buffer.concat(frames.map(withPrefix));
    const decoder = new FrameDecoder(MiB, allocate);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1024) out.push(...decoder.push(Buffer.from(stream.subarray(i, i + 1024))));
    assert.deepEqual(out, frames);
    assert.equal(decoder.bufferedBytes, 0);
    // Only frames that straddle a chunk boundary are assembled, each in its own buffer.
    assert.deepEqual(sizes, [5000, 3000]);
    assert.notEqual(out[0]!.buffer, out[2]!.buffer);
  });

  test('the allocator is not called for a size beyond the maximum', () => {
    let calls = 0;
    const decoder = new FrameDecoder(100, (size) => {
      calls++;
      return Buffer.alloc(size);
    });
    assert.throws(() => decoder.push(Buffer.from('000000ff00', 'hex')), KafkaError);
    assert.equal(calls, 0);
  });
});

describe('FrameDecoder with direct reads', () => {
  test('a reader that receives into pendingTail gets the same frames as one pushing chunks', () => {
    const frames = [Buffer.alloc(50_000, 7), Buffer.from('tiny'), Buffer.alloc(20_000, 9)];
    const stream = Buffer.concat(frames.map(withPrefix));
    const decoder = new FrameDecoder(MiB);
    const scratch = Buffer.alloc(4096);
    const out: Buffer[] = [];
    let pos = 0;
    // A socket delivering at most 4096 bytes per read, into whatever buffer the reader offers.
    while (pos < stream.length) {
      const target = decoder.pendingTail ?? scratch;
      const n = Math.min(target.length, 4096, stream.length - pos);
      stream.copy(target, 0, pos, pos + n);
      pos += n;
      if (target === scratch) out.push(...decoder.push(Buffer.from(scratch.subarray(0, n))));
      else {
        const frame = decoder.filledDirectly(n);
        if (frame !== undefined) out.push(frame);
      }
    }
    assert.deepEqual(out, frames);
    assert.equal(decoder.bufferedBytes, 0);
    assert.equal(decoder.pendingTail, undefined);
  });

  test('filledDirectly refuses bytes beyond the frame or with no frame in progress', () => {
    const decoder = new FrameDecoder(MiB);
    assert.throws(() => decoder.filledDirectly(1), RangeError);
    decoder.push(Buffer.from('0000000a0102', 'hex'));
    assert.equal(decoder.pendingTail?.length, 8);
    assert.throws(() => decoder.filledDirectly(9), RangeError);
    assert.equal(decoder.filledDirectly(7), undefined);
    assert.equal(decoder.filledDirectly(1)?.length, 10);
  });
});
