import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writer } from '../../src/primitives/writer.js';

/** Writes a message with a header, two referenced payloads and a small copied one. */
function writeSample(w: Writer, big: Buffer, big2: Buffer): void {
  w.writeInt32(12345);
  w.writeString('topic');
  w.writeRecordsPayload(big);
  w.writeInt16(7);
  w.writeRecordsPayload(Buffer.from('tiny payload'));
  w.writeRecordsPayload(big2);
  w.writeInt64(-1n);
}

describe('Writer.forMessage', () => {
  const big = Buffer.alloc(100 * 1024, 0xab);
  const big2 = Buffer.alloc(40 * 1024, 0xcd);
  const size = 4 + 7 + big.length + 2 + 12 + big2.length + 8;

  test('encodes the same bytes as a plain writer, referencing large payloads', () => {
    const plain = new Writer(size);
    writeSample(plain, big, big2);
    const scratch = Writer.forMessage(size);
    writeSample(scratch, big, big2);
    const chunks = scratch.toChunks();
    assert.ok(Buffer.concat(chunks).equals(Buffer.concat(plain.toChunks())));
    assert.ok(chunks.includes(big) && chunks.includes(big2));
  });

  test('the chunks it returns survive the next message written through the scratch buffer', () => {
    const first = Writer.forMessage(size);
    writeSample(first, big, big2);
    const chunks = first.toChunks();
    const expected = Buffer.concat(chunks);
    const second = Writer.forMessage(size);
    second.writeRaw(Buffer.alloc(1000, 0xff));
    assert.ok(Buffer.concat(chunks).equals(expected));
  });

  test('a large message without referenced payloads comes out as one copied buffer', () => {
    const w = Writer.forMessage(Writer.SCRATCH_THRESHOLD_BYTES + 10);
    w.writeRaw(Buffer.alloc(Writer.SCRATCH_THRESHOLD_BYTES + 10, 3));
    const [only] = w.toChunks();
    assert.equal(only!.length, Writer.SCRATCH_THRESHOLD_BYTES + 10);
    assert.notEqual(only!.buffer, w.buf.buffer);
  });
});
