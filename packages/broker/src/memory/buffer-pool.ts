/**
 * Large buffers for the data path, reused instead of handed to the garbage collector: the
 * assembly buffers of large request frames (produce) and the buffers fetches read log ranges
 * into. Without it each 1 MB produce request and each 1 MB fetch allocate a fresh buffer, and
 * V8, seeing external memory grow, runs a full mark-compact every few dozen megabytes — on a
 * 2-core machine its helper threads then take as much CPU as the broker's own work.
 *
 * Ownership: `acquire` hands out a buffer for the caller's exclusive use; whoever holds it last
 * calls `release` once, when nothing can read or write it any more. A buffer that is never
 * released is simply collected: forgetting a release costs speed, never correctness. Releasing
 * one that is still in use would corrupt data — hence one release point per kind of buffer:
 * - request frames: `RequestDispatcher`, once a pipelined request's ordered phase has settled
 *   (other frames are never released: their handlers may keep views of them);
 * - fetch reads: `Connection`, once the socket has taken the response's bytes.
 *
 * Buffers are whole ArrayBuffers of power-of-two capacities from 64 KiB to 16 MiB; at most
 * `maxFreeBytes` wait in the pool. Smaller and larger requests get plain allocations and their
 * release is a no-op. Single-threaded; the broker makes one and hands it to the network layer
 * and the replica manager.
 */
export class BufferPool {
  static readonly MIN_BYTES = 64 * 1024;
  static readonly MAX_BYTES = 16 * 1024 * 1024;

  /** Free buffers by capacity class (log2 of the capacity). */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  /** Every ArrayBuffer this pool allocated, so foreign buffers are never pooled. */
  private readonly owned = new WeakSet<ArrayBuffer>();
  /** ArrayBuffers currently free, so a second release of the same buffer is ignored. */
  private readonly freeSet = new WeakSet<ArrayBuffer>();

  constructor(private readonly maxFreeBytes = 64 * 1024 * 1024) {}

  /** A buffer of exactly `size` bytes (uninitialised). */
  acquire(size: number): Buffer {
    if (size < BufferPool.MIN_BYTES || size > BufferPool.MAX_BYTES) return Buffer.allocUnsafe(size);
    const cls = Math.ceil(Math.log2(size));
    const list = this.free.get(cls);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.freeSet.delete(reused);
      this.freeBytes -= reused.byteLength;
      return Buffer.from(reused, 0, size);
    }
    const fresh = new ArrayBuffer(2 ** cls);
    this.owned.add(fresh);
    return Buffer.from(fresh, 0, size);
  }

  /** Returns the buffer behind `buf` (any view of it) to the pool; a no-op for foreign buffers. */
  release(buf: Uint8Array): void {
    const ab = buf.buffer;
    if (!(ab instanceof ArrayBuffer) || !this.owned.has(ab) || this.freeSet.has(ab)) return;
    if (this.freeBytes + ab.byteLength > this.maxFreeBytes) return;
    const cls = Math.log2(ab.byteLength);
    let list = this.free.get(cls);
    if (list === undefined) {
      list = [];
      this.free.set(cls, list);
    }
    list.push(ab);
    this.freeSet.add(ab);
    this.freeBytes += ab.byteLength;
  }

  /** True if `buf` is a view of a buffer this pool allocated. */
  owns(buf: Uint8Array): boolean {
    return buf.buffer instanceof ArrayBuffer && this.owned.has(buf.buffer);
  }

  get pooledBytes(): number {
    return this.freeBytes;
  }
}
