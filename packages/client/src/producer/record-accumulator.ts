import type { RecordHeader } from '../common/record-header.js';
import type { Cluster } from '../metadata/cluster.js';
import type { BufferPool } from './buffer-pool.js';
import { type DeliverySink, ProducerBatch, RecordSlots } from './producer-batch.js';

/** Per-partition state: queued batches, in-flight count and the idempotent producer's sequence. */
export class PartitionQueue {
  readonly batches: ProducerBatch[] = [];
  inFlight = 0;
  /** The batches counted in `inFlight` (to renumber them after a refused batch). */
  readonly inFlightBatches = new Set<ProducerBatch>();
  /** Next sequence number to assign (idempotence); reset when the producer id or epoch changes. */
  nextSequence = 0;
  /** The producer id and epoch `nextSequence` belongs to. */
  sequenceProducerId = -1;
  sequenceEpoch = -1;
  /**
   * Set after a retriable failure: until the batches being retried are acknowledged, only one
   * request per partition is in flight, so retries cannot overtake each other (Java does the same).
   */
  retrying = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}

export interface AppendResult {
  /** False when `buffer.memory` has no room: nothing was appended. */
  readonly appended: boolean;
  /** The batch the record went to is full: the sender should drain it. */
  readonly batchFull: boolean;
  /** A new batch was started (the sticky partitioner moves on when this happens on its partition). */
  readonly newBatch: boolean;
  /** Nothing was appended: the record needs a new batch and the caller asked to be told first. */
  readonly abortedForNewBatch: boolean;
}

// The six possible answers, made once: `append` runs per record.
const NOT_APPENDED: AppendResult = { appended: false, batchFull: false, newBatch: false, abortedForNewBatch: false };
const ABORTED_FOR_NEW_BATCH: AppendResult = {
  appended: false,
  batchFull: false,
  newBatch: false,
  abortedForNewBatch: true,
};
const APPENDED: AppendResult = { appended: true, batchFull: false, newBatch: false, abortedForNewBatch: false };
const APPENDED_FULL: AppendResult = { appended: true, batchFull: true, newBatch: false, abortedForNewBatch: false };
const NEW_BATCH: AppendResult = { appended: true, batchFull: false, newBatch: true, abortedForNewBatch: false };
const NEW_BATCH_FULL: AppendResult = { appended: true, batchFull: true, newBatch: true, abortedForNewBatch: false };

/**
 * Batches records per partition (Kafka's RecordAccumulator). `append` adds to the partition's
 * last open batch or starts a new one of `batch.size` bytes (larger for a larger record); the
 * sender asks which leaders have sendable batches and drains one batch per partition per request.
 *
 * Single-threaded: everything runs on the event loop, so append and drain never interleave.
 */
export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue[]>();
  /** Queues with at least one batch, in the order drain visits them. */
  private readonly active = new Set<PartitionQueue>();
  /** Batches created and not yet completed, for `flush` and memory accounting. */
  incomplete = 0;
  private drainCursor = 0;
  /** Bookkeeping arrays of completed batches, for new ones (see RecordSlots). */
  private readonly freeSlots: RecordSlots[] = [];

  constructor(
    private readonly pool: BufferPool,
    private readonly batchSize: number,
    private readonly lingerMs: number,
  ) {}

  queue(topic: string, partition: number): PartitionQueue {
    let list = this.queues.get(topic);
    if (list === undefined) {
      list = [];
      this.queues.set(topic, list);
    }
    let q = list[partition];
    if (q === undefined) {
      q = new PartitionQueue(topic, partition);
      list[partition] = q;
    }
    return q;
  }

  append(
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[],
    sink: DeliverySink,
    index: number,
    /** The new batch's creation time, if one is made (the clock is read only then). */
    nowMs?: number,
    /**
     * Append only to the open batch: a record that needs a new one is not appended
     * (`abortedForNewBatch`), so that the sticky partitioner can move on first (KIP-480, Java's
     * `abortOnNewBatch`), without measuring every record beforehand.
     */
    abortOnNewBatch = false,
  ): AppendResult {
    const q = this.queue(topic, partition);
    const last = q.batches[q.batches.length - 1];
    if (last !== undefined && !last.closed && last.tryAppend(timestamp, key, value, headers, sink, index)) {
      return last.pos >= last.buf.length - 64 ? APPENDED_FULL : APPENDED;
    }
    if (abortOnNewBatch) return ABORTED_FOR_NEW_BATCH;
    if (last !== undefined) last.closed = true;
    const needed = ProducerBatch.estimateSize(key, value, headers) + 61;
    const size = Math.max(this.batchSize, needed);
    const buffer = this.pool.tryAllocate(size);
    if (buffer === undefined) return NOT_APPENDED;
    const slots = this.freeSlots.pop() ?? new RecordSlots();
    const batch = new ProducerBatch(topic, partition, buffer, true, nowMs ?? Date.now(), slots);
    batch.tryAppend(timestamp, key, value, headers, sink, index);
    q.batches.push(batch);
    this.active.add(q);
    this.incomplete++;
    // batch.size 0 means "no batching": every record is its own batch.
    const full = this.batchSize === 0 || batch.pos >= batch.buf.length - 64;
    return full ? NEW_BATCH_FULL : NEW_BATCH;
  }

  /**
   * When the next batch becomes sendable by time (linger or retry backoff), or Infinity; and
   * the leaders with a batch sendable now. `flushing` makes every batch sendable at once.
   */
  ready(
    nowMs: number,
    cluster: Cluster,
    flushing: boolean,
    canSend: (q: PartitionQueue) => boolean,
  ): { nodes: Set<number>; nextCheckMs: number; unknownLeader: boolean } {
    const nodes = new Set<number>();
    let nextCheckMs = Number.POSITIVE_INFINITY;
    let unknownLeader = false;
    for (const q of this.active) {
      const first = q.batches[0];
      if (first === undefined) {
        this.active.delete(q);
        continue;
      }
      const leader = cluster.leaderOf(q.topic, q.partition);
      if (leader < 0) {
        unknownLeader = true;
        continue;
      }
      if (!canSend(q)) continue;
      if (first.attempts > 0 && first.retryAtMs > nowMs) {
        nextCheckMs = Math.min(nextCheckMs, first.retryAtMs);
        continue;
      }
      const sendable = flushing || first.closed || q.batches.length > 1 || nowMs - first.createdMs >= this.lingerMs;
      if (sendable) nodes.add(leader);
      else nextCheckMs = Math.min(nextCheckMs, first.createdMs + this.lingerMs);
    }
    return { nodes, nextCheckMs, unknownLeader };
  }

  /**
   * Takes at most one sendable batch per partition led by `nodeId`, up to `maxBytes` in total
   * (at least one batch), starting after where the last drain stopped so no partition starves.
   */
  drain(
    nodeId: number,
    cluster: Cluster,
    maxBytes: number,
    nowMs: number,
    flushing: boolean,
    canSend: (q: PartitionQueue) => boolean,
  ): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    const queues = [...this.active];
    if (queues.length === 0) return out;
    let bytes = 0;
    const start = this.drainCursor % queues.length;
    for (let i = 0; i < queues.length; i++) {
      const q = queues[(start + i) % queues.length] as PartitionQueue;
      const first = q.batches[0];
      if (first === undefined || cluster.leaderOf(q.topic, q.partition) !== nodeId || !canSend(q)) continue;
      if (first.attempts > 0 && first.retryAtMs > nowMs) continue;
      const sendable = flushing || first.closed || q.batches.length > 1 || nowMs - first.createdMs >= this.lingerMs;
      if (!sendable) continue;
      if (out.length > 0 && bytes + first.sizeInBytes > maxBytes) break;
      q.batches.shift();
      if (q.batches.length === 0) this.active.delete(q);
      first.closed = true;
      bytes += first.sizeInBytes;
      out.push(first);
      this.drainCursor = (start + i + 1) % queues.length;
    }
    return out;
  }

  /** Puts a batch back for a retry, before the queued batches and in sequence order. */
  reenqueue(batch: ProducerBatch): void {
    const q = this.queue(batch.topic, batch.partition);
    let i = 0;
    while (i < q.batches.length) {
      const other = q.batches[i] as ProducerBatch;
      if (other.baseSequence < 0 || (batch.baseSequence >= 0 && other.baseSequence > batch.baseSequence)) break;
      if (other.attempts === 0) break;
      i++;
    }
    q.batches.splice(i, 0, batch);
    this.active.add(q);
  }

  /**
   * Puts the parts of a split batch back where it was (in sequence order, ahead of the batches
   * never sent); they count as batches of their own until completed. The caller deallocates
   * the split batch.
   */
  reenqueueSplit(parts: readonly ProducerBatch[]): void {
    // Last part first: parts without sequence numbers go to the front of the queue (as a retry
    // does), so inserting them in reverse leaves them in record order; numbered parts are placed
    // by sequence either way.
    for (let i = parts.length - 1; i >= 0; i--) {
      this.reenqueue(parts[i] as ProducerBatch);
      this.incomplete++;
    }
  }

  /** Marks a batch done: frees its memory. Call after completing or failing it. */
  deallocate(batch: ProducerBatch): void {
    this.incomplete--;
    const slots = batch.releaseSlots();
    // Kept without a cap: there are never more than the most batches alive at once (bounded by
    // buffer.memory), and a response completes many batches at once, all wanted again.
    if (slots !== undefined) this.freeSlots.push(slots);
    if (batch.pooled) {
      batch.pooled = false;
      this.pool.release(batch.buf);
    }
  }

  /** Removes and returns queued (not in-flight) batches older than `deliveryTimeoutMs`. */
  expire(nowMs: number, deliveryTimeoutMs: number): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.active) {
      while (q.batches.length > 0) {
        const first = q.batches[0] as ProducerBatch;
        if (nowMs - first.createdMs < deliveryTimeoutMs) break;
        q.batches.shift();
        out.push(first);
      }
      if (q.batches.length === 0) this.active.delete(q);
    }
    return out;
  }

  /** Removes and returns every queued batch (abort, close with timeout). */
  takeAll(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.active) out.push(...q.batches.splice(0));
    this.active.clear();
    return out;
  }

  /** The oldest creation time of a queued batch, for expiry scheduling. */
  oldestCreatedMs(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const q of this.active) {
      const first = q.batches[0];
      if (first !== undefined && first.createdMs < oldest) oldest = first.createdMs;
    }
    return oldest;
  }

  get hasQueued(): boolean {
    return this.active.size > 0;
  }

  allQueues(): Iterable<PartitionQueue> {
    const out: PartitionQueue[] = [];
    for (const list of this.queues.values()) for (const q of list) if (q !== undefined) out.push(q);
    return out;
  }
}
