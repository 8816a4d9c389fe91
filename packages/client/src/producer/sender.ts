import { type CompressionType, ErrorCode, KafkaError, ProduceApi, type ProduceResponse } from '@samsa/protocol';
import type { ProducerConfig } from '../config/client-config.js';
import { ClientError, ClientErrorCode } from '../errors/client-errors.js';
import { type Cluster, METADATA_ERRORS } from '../metadata/cluster.js';
import { NOT_APPENDED_ERRORS, releaseSequences } from './failed-batch-sequences.js';
import type { ProducerBatch } from './producer-batch.js';
import type { PartitionQueue, RecordAccumulator } from './record-accumulator.js';
import type { TransactionManager } from './transaction-manager.js';

const CODECS: Readonly<Record<ProducerConfig['compressionType'], CompressionType>> = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
};

/**
 * Moves batches from the accumulator to the leaders (Kafka's Sender), driven by the event loop
 * instead of a thread: `wakeup()` schedules one pass on the next macrotask, so every record
 * appended in the same tick lands in the same batches, and a timer wakes it for `linger.ms`,
 * retry backoff and delivery expiry.
 *
 * Ordering: batches of a partition are drained in order; with idempotence up to
 * `max.in.flight.requests.per.connection` of them may be in flight and the broker's sequence
 * check keeps them in order. After a retriable failure the partition sends one batch at a time
 * until the retried batches are acknowledged, so a retry cannot be overtaken.
 */
export class Sender {
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private readonly inFlightByNode = new Map<number, number>();
  private inFlightRequests = 0;
  flushing = 0;
  private closed = false;
  private metadataRefreshing = false;
  private readonly codec: CompressionType;
  private readonly level: number | undefined;
  /** Resolvers of `whenIdle()`: called when nothing is queued or in flight. */
  private idleWaiters: (() => void)[] = [];
  batchesSent = 0;

  constructor(
    private readonly config: ProducerConfig,
    private readonly cluster: Cluster,
    private readonly accumulator: RecordAccumulator,
    private readonly txn: TransactionManager,
    private readonly idempotent: boolean,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.codec = CODECS[config.compressionType];
    this.level =
      config.compressionType === 'gzip'
        ? config.compressionGzipLevel
        : config.compressionType === 'zstd'
          ? config.compressionZstdLevel
          : undefined;
    cluster.onUpdate(() => {
      if (this.accumulator.hasQueued) this.wakeup();
    });
  }

  wakeup(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.runOnce();
    });
  }

  private wakeAt(atMs: number): void {
    if (!Number.isFinite(atMs) || this.closed) return;
    if (this.timer !== undefined && this.timerAtMs <= atMs) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAtMs = atMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAtMs = Number.POSITIVE_INFINITY;
        this.runOnce();
      },
      Math.max(0, atMs - Date.now()),
    );
  }

  /** Resolves when no batch is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get isIdle(): boolean {
    return this.accumulator.incomplete === 0 && this.inFlightRequests === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private canSend = (q: PartitionQueue): boolean => {
    if (!this.txn.isPartitionAdded(q.topic, q.partition)) return false;
    if (q.retrying) return q.inFlight === 0;
    // Up to max.in.flight batches per partition, as Java: with idempotence the broker's sequence
    // check keeps them in order; without it a retry may reorder them (Java's documented caveat,
    // avoided with max.in.flight.requests.per.connection=1).
    return q.inFlight < this.config.maxInFlightRequestsPerConnection;
  };

  private runOnce(): void {
    if (this.closed) return;
    const nowMs = Date.now();
    this.expireBatches(nowMs);

    if (this.idempotent && (!this.txn.hasProducerId || this.txn.needsEpochBump)) {
      // A bump waits until nothing is in flight: responses to the old epoch must land first.
      if (this.txn.needsEpochBump && this.inFlightRequests > 0) return;
      if (!this.accumulator.hasQueued && !this.txn.needsEpochBump) {
        this.checkIdle();
        return;
      }
      this.txn.ensureProducerId().then(
        () => {
          for (const q of this.accumulator.allQueues()) {
            q.nextSequence = 0;
            q.sequenceProducerId = this.txn.producerId;
            q.sequenceEpoch = this.txn.producerEpoch;
          }
          this.wakeup();
        },
        (error: Error) => {
          if (this.txn.isTransactional) this.onFatal(error);
          else this.failAll(error);
        },
      );
      return;
    }
    if (this.txn.isTransactional && this.txn.hasPendingPartitions) {
      this.txn.addPendingPartitions().then(
        () => this.wakeup(),
        (error: Error) => this.failAll(error),
      );
    }

    const flushing = this.flushing > 0;
    const ready = this.accumulator.ready(nowMs, this.cluster, flushing, this.canSend);
    if (ready.unknownLeader || this.cluster.needsUpdate) this.refreshMetadata();
    for (const nodeId of ready.nodes) {
      let inFlight = this.inFlightByNode.get(nodeId) ?? 0;
      while (inFlight < this.config.maxInFlightRequestsPerConnection) {
        const batches = this.accumulator.drain(
          nodeId,
          this.cluster,
          this.config.maxRequestSize,
          nowMs,
          flushing,
          this.canSend,
        );
        if (batches.length === 0) break;
        inFlight++;
        this.sendProduce(nodeId, batches);
      }
      this.inFlightByNode.set(nodeId, inFlight);
    }
    let next = ready.nextCheckMs;
    const oldest = this.accumulator.oldestCreatedMs();
    if (Number.isFinite(oldest)) next = Math.min(next, oldest + this.config.deliveryTimeoutMs);
    this.wakeAt(next);
    this.checkIdle();
  }

  private refreshMetadata(): void {
    if (this.metadataRefreshing) return;
    this.metadataRefreshing = true;
    this.cluster
      .refresh()
      .catch(() => {})
      .finally(() => {
        this.metadataRefreshing = false;
        // Retry soon even if nothing changed (the leader may still be unknown).
        this.wakeAt(Date.now() + this.config.retryBackoffMs);
      });
  }

  private prepare(batch: ProducerBatch, q: PartitionQueue): void {
    const transactional = this.txn.isTransactional;
    if (batch.built === undefined) batch.close(this.codec, this.level, transactional);
    if (!this.idempotent) return;
    const { producerId, producerEpoch } = this.txn;
    if (batch.baseSequence >= 0 && batch.producerEpoch === producerEpoch && batch.producerId === producerId) return;
    // A new epoch (KIP-360 bump, or EndTxn v5's at every transaction) or producer id (an exhausted
    // epoch) starts the partition's sequence again at 0.
    if (q.sequenceEpoch !== producerEpoch || q.sequenceProducerId !== producerId) {
      q.nextSequence = 0;
      q.sequenceProducerId = producerId;
      q.sequenceEpoch = producerEpoch;
    }
    batch.stamp(producerId, producerEpoch, q.nextSequence);
    q.nextSequence = (q.nextSequence + batch.recordCount) & 0x7fffffff;
  }

  private sendProduce(nodeId: number, batches: ProducerBatch[]): void {
    const byTopic = new Map<string, { index: number; records: Buffer }[]>();
    for (const batch of batches) {
      const q = this.accumulator.queue(batch.topic, batch.partition);
      this.prepare(batch, q);
      batch.inFlight = true;
      batch.attempts++;
      q.inFlight++;
      q.inFlightBatches.add(batch);
      let list = byTopic.get(batch.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(batch.topic, list);
      }
      list.push({ index: batch.partition, records: batch.built as Buffer });
    }
    const request = {
      transactionalId: this.txn.transactionalId,
      acks: this.config.acks,
      timeoutMs: this.config.requestTimeoutMs,
      topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
    };
    this.inFlightRequests++;
    this.batchesSent += batches.length;
    const done = () => {
      this.inFlightRequests--;
      this.inFlightByNode.set(nodeId, Math.max(0, (this.inFlightByNode.get(nodeId) ?? 1) - 1));
      this.wakeup();
      this.checkIdle();
    };
    this.cluster
      .connectionTo(nodeId)
      .then(async (connection) => {
        if (this.config.acks === 0) {
          await connection.sendOneWay(ProduceApi, request);
          for (const batch of batches) this.succeed(batch, -1n, -1);
          return;
        }
        const response = await connection.request(ProduceApi, request);
        this.handleResponse(batches, response);
      })
      .catch((error: Error) => {
        // The whole request failed (connection lost, timeout): every batch may be retried.
        this.cluster.requestUpdate();
        for (const batch of batches) this.handleError(batch, error);
      })
      .finally(done);
  }

  private handleResponse(batches: ProducerBatch[], response: ProduceResponse): void {
    const results = new Map<string, ProduceResponse['responses'][number]['partitionResponses'][number]>();
    for (const t of response.responses) {
      for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    }
    for (const batch of batches) {
      const r = results.get(`${batch.topic}\u0000${batch.partition}`);
      if (r === undefined) {
        this.handleError(batch, new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'no response for the partition'));
        continue;
      }
      if (r.errorCode === 0) this.succeed(batch, r.baseOffset, Number(r.logAppendTimeMs));
      else if (r.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) this.succeed(batch, -1n, -1);
      else {
        const detail = r.errorMessage ?? r.recordErrors[0]?.batchIndexErrorMessage ?? undefined;
        const error = new KafkaError(
          r.errorCode,
          `producing to ${batch.topic}-${batch.partition}${detail === undefined || detail === null ? '' : `: ${detail}`}`,
        );
        this.handleError(batch, error);
      }
    }
  }

  private succeed(batch: ProducerBatch, baseOffset: bigint, logAppendTimeMs: number): void {
    const q = this.accumulator.queue(batch.topic, batch.partition);
    q.inFlight--;
    q.inFlightBatches.delete(batch);
    batch.inFlight = false;
    if (q.retrying && q.inFlight === 0 && !q.batches.some((b) => b.attempts > 0)) q.retrying = false;
    try {
      batch.complete(baseOffset, logAppendTimeMs);
    } finally {
      this.accumulator.deallocate(batch);
    }
  }

  private handleError(batch: ProducerBatch, error: Error): void {
    const q = this.accumulator.queue(batch.topic, batch.partition);
    q.inFlight--;
    q.inFlightBatches.delete(batch);
    batch.inFlight = false;
    const code = error instanceof KafkaError ? error.errorCode : -1;
    if (METADATA_ERRORS.has(code)) this.cluster.requestUpdate();
    const expired = Date.now() - batch.createdMs >= this.config.deliveryTimeoutMs;
    if (code === ErrorCode.MESSAGE_TOO_LARGE && batch.recordCount > 1 && !expired && !this.closed) {
      this.splitAndReenqueue(batch, q);
      return;
    }
    let retriable = error instanceof KafkaError && error.retriable;
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      // Out of order behind an earlier batch being retried: it is retried in turn. Otherwise the
      // broker lost our sequence state: fail the batch and bump the epoch (KIP-360).
      retriable = q.retrying;
      if (!retriable && this.idempotent && !this.txn.isTransactional) this.txn.needsEpochBump = true;
    } else if (code === ErrorCode.UNKNOWN_PRODUCER_ID && this.idempotent && !this.txn.isTransactional) {
      this.txn.needsEpochBump = true;
      retriable = true;
    }
    if (retriable && !expired && batch.attempts <= this.config.retries && !this.closed) {
      q.retrying = true;
      const backoff = Math.min(
        this.config.retryBackoffMs * 2 ** Math.max(0, batch.attempts - 1),
        Math.max(this.config.retryBackoffMs, this.config.retryBackoffMaxMs),
      );
      batch.retryAtMs = Date.now() + backoff;
      this.accumulator.reenqueue(batch);
      this.wakeAt(batch.retryAtMs);
      return;
    }
    if (expired && retriable) {
      error = new ClientError(
        ClientErrorCode.DELIVERY_TIMEOUT,
        `expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}: ${this.config.deliveryTimeoutMs} ms has passed since batch creation (last error: ${error.message})`,
        { cause: error },
      );
    }
    if (q.inFlight === 0 && !q.batches.some((b) => b.attempts > 0)) q.retrying = false;
    if (NOT_APPENDED_ERRORS.has(code) && this.idempotent) {
      // The batch's sequence numbers were never used: the batches behind it take them over, and
      // those in flight with the old numbers are retried in order (see releaseSequences). Under a
      // transaction too, as Java: a coordinator before EndTxn v5 keeps the epoch across the abort.
      if (releaseSequences(q, batch)) {
        if (q.inFlight > 0) q.retrying = true;
      } else if (!this.txn.isTransactional) this.txn.needsEpochBump = true;
    }
    // Under a transaction it can only abort now.
    if (this.txn.isTransactional) this.txn.fail(error);
    try {
      batch.fail(error);
    } finally {
      this.accumulator.deallocate(batch);
    }
  }

  /**
   * A batch of several records that the broker refused as too large (the topic's
   * `max.message.bytes` is below `batch.size`, or compression did less than hoped) is sent again
   * as two halves, as Java's Sender does, without counting against `retries`. The halves carry
   * the batch's sequence numbers between them (base, base + first half's count), so the batches
   * behind it keep theirs: those already in flight come back OUT_OF_ORDER_SEQUENCE_NUMBER and are
   * retried after the halves, since the partition is now retrying.
   */
  private splitAndReenqueue(batch: ProducerBatch, q: PartitionQueue): void {
    const parts = batch.split();
    let sequence = batch.baseSequence;
    for (const part of parts) {
      part.close(this.codec, this.level, this.txn.isTransactional);
      if (sequence >= 0) {
        part.stamp(batch.producerId, batch.producerEpoch, sequence);
        sequence = (sequence + part.recordCount) & 0x7fffffff;
      }
      part.attempts = batch.attempts;
    }
    q.retrying = true;
    this.accumulator.reenqueueSplit(parts);
    this.accumulator.deallocate(batch);
    this.wakeup();
  }

  private expireBatches(nowMs: number): void {
    const expired = this.accumulator.expire(nowMs, this.config.deliveryTimeoutMs);
    for (const batch of expired) {
      const error = new ClientError(
        ClientErrorCode.DELIVERY_TIMEOUT,
        `expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}: ${this.config.deliveryTimeoutMs} ms has passed since batch creation`,
      );
      // A batch that was sent before may be in the log: its sequence is unknown now (KIP-360).
      if (batch.attempts > 0 && this.idempotent && !this.txn.isTransactional) this.txn.needsEpochBump = true;
      if (this.txn.isTransactional) this.txn.fail(error);
      batch.fail(error);
      this.accumulator.deallocate(batch);
    }
  }

  /** Fails every queued batch (in-flight ones complete on their own). */
  failAll(error: Error): void {
    for (const batch of this.accumulator.takeAll()) {
      batch.fail(error);
      this.accumulator.deallocate(batch);
    }
    this.checkIdle();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
