/**
 * The number-valued varlong used by record timestamps agrees with the exact bigint varlong
 * wherever the number is exact, and refuses values a JS number cannot hold.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { Reader } from '../../src/primitives/reader.js';
import { sizeOfVarlong, sizeOfVarlongNumber } from '../../src/primitives/sizes.js';
import { Writer } from '../../src/primitives/writer.js';

const exact = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, -1, 63, -64, 64, -65, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);

function bigintVarlong(value: bigint): Buffer {
  const w = new Writer(sizeOfVarlong(value));
  w.writeVarlong(value);
  return w.toBuffer();
}

describe('varlong as a JS number', () => {
  test('writes the same bytes as the bigint varlong, and reads them back', () => {
    fc.assert(
      fc.property(exact, (value) => {
        const size = sizeOfVarlongNumber(value);
        const w = new Writer(size);
        w.writeVarlongNumber(value);
        assert.equal(w.pos, size);
        assert.deepEqual(w.toBuffer(), bigintVarlong(BigInt(value)));
        const r = new Reader(w.toBuffer());
        assert.equal(r.readVarlongNumber(), value);
        assert.equal(r.remaining, 0);
      }),
      { numRuns: 2000 },
    );
  });

  test('reads any bigint varlong within ±(2^53 - 1) exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), (value) => {
        assert.equal(new Reader(bigintVarlong(value)).readVarlongNumber(), Number(value));
      }),
      { numRuns: 2000 },
    );
  });

  test('rejects values beyond 2^53, over-long and truncated encodings, with a KafkaError', () => {
    for (const value of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      assert.throws(() => new Reader(bigintVarlong(value)).readVarlongNumber(), KafkaError, String(value));
    }
    assert.throws(() => new Reader(Buffer.alloc(11, 0x80)).readVarlongNumber(), KafkaError);
    assert.throws(() => new Reader(Buffer.from([0x80, 0x80])).readVarlongNumber(), KafkaError);
    assert.throws(() => new Reader(Buffer.alloc(0)).readVarlongNumber(), KafkaError);
  });
});
