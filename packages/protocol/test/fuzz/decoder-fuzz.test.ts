/**
 * Hostile bytes against every decoder that reads from the network or from a producer: random
 * bytes, and valid encodings with bytes flipped, cut off, extended, or overwritten with huge
 * lengths and counts. The only acceptable failure is a `KafkaError` (so a broker can answer or
 * close the connection); anything else — a RangeError from Buffer, a TypeError, an allocation
 * of gigabytes, a hang — fails the run. Memory is sampled throughout: the live ArrayBuffer bytes
 * must stay small (no decoder may allocate what a length field merely claims).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { compress, decompress } from '../../src/compression/compression.js';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { apiCodec } from '../../src/framing/api-registry.js';
import { FrameDecoder } from '../../src/framing/frame-decoder.js';
import { decodeRequest, encodeRequest } from '../../src/framing/request-frame.js';
import { decodeResponse, encodeResponse } from '../../src/framing/response-frame.js';
import { buildRecordBatch } from '../../src/records/build-record-batch.js';
import { CompressionType, computeBatchCrc, validateBatch } from '../../src/records/record-batch-header.js';
import { decodeRecordBatch } from '../../src/records/record-batch-iterator.js';
import { splitRecordBatches } from '../../src/records/split-record-batches.js';
import { API_SPECS, type ApiSpec, parseVersionRange } from '../../src/schema/index.js';
import { SchemaArbitrary } from '../support/schema-arbitrary.js';

const MiB = 1024 * 1024;
const RUNS = Number(process.env.SAMSA_FUZZ_RUNS ?? 400);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Measures what each decoder call allocates (the growth of ArrayBuffer memory across the call,
 * garbage included, since a GC rarely runs inside one call) and what the whole run retains after
 * a forced GC. A decoder that believed a length field would show up as a call allocating far more
 * than the input or the decompression limit.
 */
class MemoryWatch {
  private readonly baseline: number;
  largestCallBytes = 0;

  constructor() {
    gc();
    this.baseline = process.memoryUsage().arrayBuffers;
  }

  run(fn: () => void): void {
    const before = process.memoryUsage().arrayBuffers;
    try {
      fn();
    } finally {
      const grew = process.memoryUsage().arrayBuffers - before;
      if (grew > this.largestCallBytes) this.largestCallBytes = grew;
    }
  }

  async assertBounded(what: string, perCallBytes: number, retainedBytes = 8 * MiB): Promise<void> {
    assert.ok(
      this.largestCallBytes < perCallBytes,
      `${what}: one call allocated ${(this.largestCallBytes / MiB).toFixed(1)} MiB (limit ${perCallBytes / MiB} MiB)`,
    );
    // Native codecs hand out buffers whose memory is released by finalizers after a GC, on a
    // later turn of the event loop: collect a few times before counting what is still live.
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const retained = process.memoryUsage().arrayBuffers - this.baseline;
    assert.ok(retained < retainedBytes, `${what}: ${(retained / MiB).toFixed(1)} MiB still live after the run`);
  }
}

/** Runs `fn`; returns normally or with a KafkaError, and fails on any other exception. */
function onlyKafkaErrors(what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return;
    assert.fail(
      `${what}: threw ${(error as Error)?.name ?? typeof error} (${(error as Error)?.message}), not a KafkaError`,
    );
  }
}

// -------------------------------------------------------------------------------------------------
// Mutations of valid encodings

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'extend'; readonly bytes: Uint8Array }
  | { readonly kind: 'int32'; readonly at: number; readonly value: number }
  | { readonly kind: 'int16'; readonly at: number; readonly value: number }
  | { readonly kind: 'varint'; readonly at: number; readonly bytes: readonly number[] };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({
    kind: fc.constant('int32' as const),
    at: fc.nat(),
    value: fc.constantFrom(0x7fffffff, -0x80000000, -1, -2, 0x40000000, 0x00ffffff, 0x10000),
  }),
  fc.record({ kind: fc.constant('int16' as const), at: fc.nat(), value: fc.constantFrom(0x7fff, -1, -0x8000, 0x4000) }),
  fc.record({
    kind: fc.constant('varint' as const),
    at: fc.nat(),
    // 2^32-1 (a 5-byte compact length), 2^31-1, more than 32 bits, and an unterminated varint.
    bytes: fc.constantFrom(
      [0xff, 0xff, 0xff, 0xff, 0x0f],
      [0xfe, 0xff, 0xff, 0xff, 0x07],
      [0xff, 0xff, 0xff, 0xff, 0x7f],
      [0x80, 0x80, 0x80],
    ),
  }),
);

function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let buf = Buffer.from(input);
  for (const m of mutations) {
    const at = buf.length === 0 ? 0 : ('at' in m ? m.at : 0) % buf.length;
    switch (m.kind) {
      case 'flip':
        if (buf.length > 0) buf[at] = (buf[at] as number) ^ m.mask;
        break;
      case 'truncate':
        buf = buf.subarray(0, at);
        break;
      case 'extend':
        buf = Buffer.concat([buf, m.bytes]);
        break;
      case 'int32':
        if (buf.length >= at + 4) buf.writeInt32BE(m.value, at);
        break;
      case 'int16':
        if (buf.length >= at + 2) buf.writeInt16BE(m.value, at);
        break;
      case 'varint':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
        break;
    }
  }
  return buf;
}

const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

// -------------------------------------------------------------------------------------------------
// Valid inputs

/** A valid request frame (after the size prefix) of any API and version, with random content. */
const requestFrameArb: fc.Arbitrary<Buffer> = fc.constantFrom(...API_SPECS).chain((api: ApiSpec) => {
  const range = parseVersionRange(api.request.validVersions)!;
  const arbitrary = new SchemaArbitrary(api.request);
  return fc
    .integer({ min: range.min, max: range.max })
    .chain((v) => arbitrary.message(v).map((body) => ({ v, body })))
    .map(({ v, body }) => {
      const codec = apiCodec(api.apiKey)!;
      return Buffer.concat(encodeRequest(codec, v, 7, 'fuzz', body)).subarray(4);
    });
});

/** A valid response frame of any API and version, with what a client needs to decode it. */
const responseFrameArb = fc.constantFrom(...API_SPECS).chain((api: ApiSpec) => {
  const range = parseVersionRange(api.response.validVersions)!;
  const arbitrary = new SchemaArbitrary(api.response);
  return fc
    .integer({ min: range.min, max: range.max })
    .chain((v) => arbitrary.message(v).map((body) => ({ v, body })))
    .map(({ v, body }) => {
      const codec = apiCodec(api.apiKey)!;
      return { codec, v, frame: Buffer.concat(encodeResponse(codec, v, 7, body)).subarray(4) };
    });
});

const CODECS = [
  CompressionType.NONE,
  CompressionType.GZIP,
  CompressionType.SNAPPY,
  CompressionType.LZ4,
  CompressionType.ZSTD,
] as const;

const batchArb: fc.Arbitrary<Buffer> = fc
  .record({
    compression: fc.constantFrom(...CODECS),
    records: fc.array(
      fc.record({
        key: fc.option(fc.uint8Array({ maxLength: 16 }), { nil: null }),
        value: fc.option(fc.uint8Array({ maxLength: 200 }), { nil: null }),
        headers: fc.array(fc.record({ key: fc.string({ maxLength: 4 }), value: fc.constant(null) }), { maxLength: 2 }),
        timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map((input) => buildRecordBatch(input));

function withFixedCrc(batch: Buffer): Buffer {
  if (batch.length < 61) return batch;
  const size = batch.readInt32BE(8) + 12;
  if (size < 61 || size > batch.length) return batch;
  batch.writeUInt32BE(computeBatchCrc(batch, 0, size), 17);
  return batch;
}

// -------------------------------------------------------------------------------------------------

describe('fuzz: only KafkaErrors, bounded memory', { timeout: 300_000 }, () => {
  test('FrameDecoder on random chunks and on mutated frame streams', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
          fc
            .tuple(fc.array(requestFrameArb, { minLength: 1, maxLength: 3 }), mutationsArb)
            .map(([frames, mutations]) => {
              const stream = Buffer.concat(
                frames.flatMap((f) => {
                  const prefix = Buffer.allocUnsafe(4);
                  prefix.writeInt32BE(f.length, 0);
                  return [prefix, f];
                }),
              );
              const mutated = mutate(stream, mutations);
              const chunks: Uint8Array[] = [];
              for (let i = 0; i < mutated.length; i += 37) chunks.push(mutated.subarray(i, i + 37));
              return chunks;
            }),
        ),
        (chunks) => {
          const decoder = new FrameDecoder(MiB);
          memory.run(() =>
            onlyKafkaErrors('FrameDecoder.push', () => {
              for (const chunk of chunks) {
                for (const frame of decoder.push(Buffer.from(chunk))) {
                  onlyKafkaErrors('decodeRequest', () => decodeRequest(frame));
                }
                assert.ok(decoder.bufferedBytes <= MiB + 4 + chunk.length);
              }
            }),
          );
        },
      ),
      { numRuns: RUNS },
    );
    await memory.assertBounded('FrameDecoder', 4 * MiB);
  });

  test('decodeRequest on random bytes', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          // A plausible header (known API key, small version) followed by random bytes.
          fc
            .tuple(
              fc.constantFrom(...API_SPECS.map((a) => a.apiKey)),
              fc.integer({ min: -1, max: 20 }),
              fc.uint8Array({ maxLength: 200 }),
            )
            .map(([key, version, rest]) => {
              const head = Buffer.alloc(8);
              head.writeInt16BE(key, 0);
              head.writeInt16BE(version, 2);
              return Buffer.concat([head, rest]);
            }),
        ),
        (frame) => memory.run(() => onlyKafkaErrors('decodeRequest', () => decodeRequest(frame))),
      ),
      { numRuns: RUNS * 5 },
    );
    await memory.assertBounded('decodeRequest on random bytes', MiB);
  });

  test('decodeRequest on mutated valid requests of every API and version', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(requestFrameArb, mutationsArb, (frame, mutations) => {
        assert.equal(decodeRequest(frame).kind, 'ok', 'the unmutated frame must decode');
        const mutated = mutate(frame, mutations);
        memory.run(() => onlyKafkaErrors('decodeRequest', () => decodeRequest(mutated)));
      }),
      { numRuns: RUNS * 5 },
    );
    await memory.assertBounded('decodeRequest on mutated requests', MiB);
  });

  test('decodeResponse on mutated valid responses (what a client reads)', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(responseFrameArb, mutationsArb, ({ codec, v, frame }, mutations) => {
        assert.equal(decodeResponse(codec, v, frame).correlationId, 7, 'the unmutated frame must decode');
        const mutated = mutate(frame, mutations);
        memory.run(() => onlyKafkaErrors('decodeResponse', () => decodeResponse(codec, v, mutated)));
      }),
      { numRuns: RUNS * 3 },
    );
    await memory.assertBounded('decodeResponse on mutated responses', MiB);
  });

  test('validateBatch, decodeRecordBatch and splitRecordBatches on mutated batches (CRC fixed up, and not)', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(fc.array(batchArb, { minLength: 1, maxLength: 3 }), mutationsArb, (batches, mutations) => {
        const blob = Buffer.concat(batches);
        const mutated = mutate(blob, mutations);
        // With a correct CRC the record decoder itself sees the damage.
        const fixed = withFixedCrc(mutate(batches[0] as Buffer, mutations));
        memory.run(() => {
          onlyKafkaErrors('validateBatch', () => validateBatch(mutated, 0));
          onlyKafkaErrors('splitRecordBatches', () => splitRecordBatches(mutated));
          onlyKafkaErrors('decodeRecordBatch', () => decodeRecordBatch(fixed, 0, { maxDecompressedBytes: MiB }));
          onlyKafkaErrors('decodeRecordBatch (no CRC)', () =>
            decodeRecordBatch(mutated, 0, { maxDecompressedBytes: MiB, verifyCrc: false }),
          );
        });
      }),
      { numRuns: RUNS * 2 },
    );
    await memory.assertBounded('record batches', 6 * MiB);
  });

  test('decompress on random bytes and on mutated compressed data, every codec', async () => {
    const memory = new MemoryWatch();
    fc.assert(
      fc.property(
        fc.constantFrom(...CODECS.slice(1)),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((a) => ({ data: Buffer.from(a), compressed: false })),
          fc
            .tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 1, max: 5000 }))
            .map(([unit, n]) => ({ data: Buffer.alloc(unit.length * n, unit), compressed: true })),
        ),
        mutationsArb,
        (codec, { data, compressed }, mutations) => {
          const input = compressed ? mutate(compress(codec, data), mutations) : data;
          memory.run(() => onlyKafkaErrors(`decompress(${codec})`, () => decompress(codec, input, MiB)));
        },
      ),
      { numRuns: RUNS * 3 },
    );
    await memory.assertBounded('decompress', 4 * MiB);
  });
});

// -------------------------------------------------------------------------------------------------

function isKafkaError(error: unknown): boolean {
  return error instanceof KafkaError;
}

/** A request frame by hand: apiKey, apiVersion, correlationId 1, null client ID, then `rest`. */
function requestFrame(apiKey: number, apiVersion: number, rest: string): Buffer {
  return Buffer.from(
    apiKey.toString(16).padStart(4, '0') + apiVersion.toString(16).padStart(4, '0') + '00000001' + 'ffff' + rest,
    'hex',
  );
}

describe('hostile inputs', () => {
  test('frame sizes: 2^31-1, negative, and a TLS ClientHello against a 100 MiB limit', () => {
    assert.throws(() => new FrameDecoder(100 * MiB).push(Buffer.from('7fffffff', 'hex')), isKafkaError);
    assert.throws(() => new FrameDecoder(100 * MiB).push(Buffer.from('fffffffe', 'hex')), isKafkaError);
    const clientHello = Buffer.from('160301020001000200' + '0303' + '00'.repeat(32), 'hex');
    assert.ok(clientHello.readInt32BE(0) > 100 * MiB);
    assert.throws(() => new FrameDecoder(100 * MiB).push(clientHello), isKafkaError);
  });

  test('array count 0x7fffffff in a 30-byte frame', () => {
    // Metadata v1: Topics is a classic nullable array (int32 count).
    const frame = requestFrame(3, 1, '7fffffff' + '00'.repeat(16));
    assert.equal(frame.length, 30);
    assert.throws(() => decodeRequest(frame), isKafkaError);
  });

  test('compact array length as a 5-byte varint, and a varint beyond 32 bits', () => {
    // Metadata v9: header v2 adds an empty tagged section (00); Topics is a compact array.
    assert.throws(() => decodeRequest(requestFrame(3, 9, '00' + 'ffffffff0f' + '0000')), isKafkaError);
    assert.throws(() => decodeRequest(requestFrame(3, 9, '00' + 'ffffffff7f' + '0000')), isKafkaError);
    assert.throws(() => decodeRequest(requestFrame(3, 9, '00' + '8080808080')), isKafkaError);
  });

  test('string lengths beyond the frame: the client ID and a topic name', () => {
    const clientId = Buffer.from('0003000100000001' + '7fff' + '616263', 'hex');
    assert.throws(() => decodeRequest(clientId), isKafkaError);
    // Metadata v1, one topic whose name claims 0x7000 bytes.
    assert.throws(() => decodeRequest(requestFrame(3, 1, '00000001' + '7000' + '74')), isKafkaError);
    // Metadata v9, compact string length 2^32-2.
    assert.throws(() => decodeRequest(requestFrame(3, 9, '00' + '02' + 'ffffffff0f' + '00')), isKafkaError);
  });

  test('a record batch declaring 2^31 records (negative as int32) and 2^31 - 1 records', () => {
    for (const count of [0x80000000, 0x7fffffff]) {
      for (const compression of [CompressionType.NONE, CompressionType.GZIP]) {
        const batch = buildRecordBatch({ compression, records: [{ value: Buffer.from('x') }], defaultTimestamp: 0 });
        batch.writeUInt32BE(count, 57);
        withFixedCrc(batch);
        assert.throws(() => decodeRecordBatch(batch), isKafkaError, `count ${count}, codec ${compression}`);
      }
    }
  });
});
