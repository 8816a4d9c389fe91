/**
 * ResponseReader over a real socket: frames of every size, written back to back and split
 * however the kernel splits them, come out whole and in order — large ones read straight into
 * buffers from the allocator, small ones copied out of the read buffer.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { ResponseReader } from '../../src/framing/response-reader.js';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

async function readAll(bodies: Buffer[]): Promise<{ frames: Buffer[]; allocated: number[] }> {
  const wire = Buffer.concat(bodies.map(frame));
  const server = createServer((socket) => {
    // Written in uneven pieces, so that frames and size prefixes straddle reads.
    for (let pos = 0; pos < wire.length; ) {
      const n = 1 + ((pos * 7919) % 150_000);
      socket.write(wire.subarray(pos, pos + n));
      pos += n;
    }
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const allocated: number[] = [];
  const reader = new ResponseReader(16 * 1024 * 1024, (size) => {
    allocated.push(size);
    return Buffer.allocUnsafe(size);
  });
  const frames: Buffer[] = [];
  reader.onFrame = (f) => frames.push(f);
  reader.onError = (err) => assert.fail(err);
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, onread: reader.onread });
    socket.on('end', resolve);
    socket.on('error', reject);
  });
  server.close();
  return { frames, allocated };
}

describe('ResponseReader', () => {
  test('large and small frames back to back arrive whole, in order, each in a buffer of its own', async () => {
    const bodies = [
      randomBytes(1024 * 1024),
      Buffer.from('small'),
      Buffer.alloc(0),
      randomBytes(300 * 1024),
      randomBytes(70 * 1024),
      randomBytes(3),
      randomBytes(2 * 1024 * 1024 + 17),
    ];
    const { frames, allocated } = await readAll(bodies);
    assert.equal(frames.length, bodies.length);
    for (let i = 0; i < bodies.length; i++) assert.ok(frames[i]?.equals(bodies[i] as Buffer), `frame ${i}`);
    // Every frame came from the allocator (none is a view of the reader's own read buffer).
    assert.deepEqual(
      [...allocated].sort((a, b) => a - b),
      bodies.map((b) => b.length).sort((a, b) => a - b),
    );
    const buffers = new Set(frames.map((f) => f.buffer));
    assert.ok(buffers.size >= 4, 'the large frames do not share a buffer');
  });

  test('a size beyond the maximum is an error, before anything is allocated', async () => {
    const reader = new ResponseReader(1000, () => assert.fail('allocated'));
    const errors: Error[] = [];
    reader.onError = (err) => errors.push(err);
    const buf = reader.onread.buffer();
    Buffer.from('00100000', 'hex').copy(buf);
    reader.onread.callback(4, buf);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /frame size/);
  });
});
