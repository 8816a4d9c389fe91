/**
 * `buffer.memory` as a budget of bytes for batches not yet acknowledged, with a free list of
 * `batch.size` buffers reused after their batch completes (Kafka's BufferPool), so a steady
 * producer allocates no new batch buffers. Other sizes (a record bigger than `batch.size`) are
 * allocated and dropped. Waiting for memory is the producer's job: `tryAllocate` only says no.
 */
export class BufferPool {
  private available: number;
  private readonly free: Buffer[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly totalMemory: number,
    readonly poolableSize: number,
  ) {
    this.available = totalMemory;
  }

  /** Bytes that could be allocated now. */
  get availableMemory(): number {
    return this.available + this.free.length * this.poolableSize;
  }

  tryAllocate(size: number): Buffer | undefined {
    if (size === this.poolableSize && this.free.length > 0) return this.free.pop();
    if (this.availableMemory < size) return undefined;
    while (this.available < size) {
      this.free.pop();
      this.available += this.poolableSize;
    }
    this.available -= size;
    return Buffer.allocUnsafeSlow(size);
  }

  release(buffer: Buffer): void {
    if (buffer.length === this.poolableSize && this.poolableSize > 0) this.free.push(buffer);
    else this.available += buffer.length;
    for (const waiter of this.waiters) waiter();
  }

  /** Called whenever memory is released. */
  onRelease(listener: () => void): void {
    this.waiters.add(listener);
  }
}
