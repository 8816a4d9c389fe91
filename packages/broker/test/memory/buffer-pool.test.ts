import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferPool } from '../../src/memory/buffer-pool.js';

describe('BufferPool', () => {
  test('a released buffer is handed out again for a size of the same class', () => {
    const pool = new BufferPool();
    const a = pool.acquire(1_000_000);
    assert.equal(a.length, 1_000_000);
    pool.release(a.subarray(0, 10));
    const b = pool.acquire(900_000);
    assert.equal(b.buffer, a.buffer);
    assert.equal(pool.pooledBytes, 0);
  });

  test('foreign, small and doubly released buffers are not pooled twice', () => {
    const pool = new BufferPool();
    pool.release(Buffer.alloc(1 << 20));
    assert.equal(pool.pooledBytes, 0);
    const small = pool.acquire(100);
    assert.equal(pool.owns(small), false);
    const a = pool.acquire(100_000);
    pool.release(a);
    pool.release(a);
    assert.equal(pool.pooledBytes, 128 * 1024);
    const b = pool.acquire(100_000);
    const c = pool.acquire(100_000);
    assert.notEqual(b.buffer, c.buffer);
  });

  test('at most maxFreeBytes wait in the pool', () => {
    const pool = new BufferPool(1 << 20);
    const bufs = [pool.acquire(1 << 19), pool.acquire(1 << 19), pool.acquire(1 << 19)];
    for (const b of bufs) pool.release(b);
    assert.equal(pool.pooledBytes, 1 << 20);
  });
});
