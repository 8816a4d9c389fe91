import type { RecordHeader } from '../common/record-header.js';
import type { ProducerConfig } from '../config/client-config.js';
import type { ConfigInput } from '../config/resolve-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { sleep } from '../connection/connection-pool.js';
import { ClientError, ClientErrorCode, ConfigError, closedError } from '../errors/client-errors.js';
import { Cluster, type PartitionInfo } from '../metadata/cluster.js';
import { type Serializer, serializerByName } from '../serdes/serdes.js';
import { BufferPool } from './buffer-pool.js';
import { FifoQueue } from './fifo-queue.js';
import { createPartitioner, type Partitioner, type PartitionerFunction, PartitionerInputSlot } from './partitioners.js';
import { type DeliverySink, ProducerBatch } from './producer-batch.js';
import {
  type DeliveryCallback,
  normalizeHeaders,
  type ProducerRecord,
  type RecordMetadata,
} from './producer-record.js';
import { RecordAccumulator } from './record-accumulator.js';
import { Sender } from './sender.js';
import { type ConsumerGroupMetadata, type OffsetToCommit, TransactionManager } from './transaction-manager.js';

/**
 * Hooks told of every record's outcome, like Spring's ProducerListener (the seeds' success and
 * failure counters). Called synchronously on delivery; exceptions thrown here are swallowed.
 */
export interface ProducerListener<K = unknown, V = unknown> {
  onSuccess?(record: ProducerRecord<K, V>, metadata: RecordMetadata): void;
  onError?(record: ProducerRecord<K, V>, error: Error): void;
}

export interface ProducerOptions<K, V> extends Readonly<Record<string, unknown>> {
  readonly keySerializer?: Serializer<K> | 'string' | 'json' | 'buffer';
  readonly valueSerializer?: Serializer<V> | 'string' | 'json' | 'buffer';
  readonly partitioner?: PartitionerFunction | 'default' | 'murmur2' | 'round-robin' | 'uniform-sticky';
  readonly producerListener?: ProducerListener<K, V>;
}

/** Counters since the producer started. */
export interface ProducerMetrics {
  readonly recordsSent: number;
  readonly recordsFailed: number;
  readonly batchesSent: number;
  readonly bufferAvailableBytes: number;
  readonly bufferTotalBytes: number;
}

interface PendingRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[];
  readonly timestamp: number;
  readonly sink: DeliverySink;
  readonly index: number;
  readonly deadlineMs: number;
}

/** Resolves one promise for a `sendBatch` call when all of its records are done. */
class BatchSink<K, V> implements DeliverySink {
  private remaining: number;
  private readonly results: RecordMetadata[];
  private error: Error | undefined;
  constructor(
    private readonly producer: Producer<K, V>,
    private readonly records: readonly ProducerRecord<K, V>[],
    private readonly resolve: (results: RecordMetadata[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.remaining = records.length;
    this.results = new Array<RecordMetadata>(records.length);
    if (this.remaining === 0) resolve(this.results);
  }
  delivered(index: number, metadata: RecordMetadata): void {
    this.results[index] = metadata;
    this.producer.recordSucceeded(this.records[index] as ProducerRecord<K, V>, metadata);
    if (--this.remaining === 0) this.finish();
  }
  failed(index: number, error: Error): void {
    this.error ??= error;
    this.producer.recordFailed(this.records[index] as ProducerRecord<K, V>, error);
    if (--this.remaining === 0) this.finish();
  }
  private finish(): void {
    if (this.error !== undefined) this.reject(this.error);
    else this.resolve(this.results);
  }
}

/** One record's promise or callback. */
class SingleSink<K, V> implements DeliverySink {
  constructor(
    private readonly producer: Producer<K, V>,
    private readonly record: ProducerRecord<K, V>,
    private readonly callback: DeliveryCallback,
  ) {}
  delivered(_index: number, metadata: RecordMetadata): void {
    this.producer.recordSucceeded(this.record, metadata);
    this.callback(null, metadata);
  }
  failed(_index: number, error: Error): void {
    this.producer.recordFailed(this.record, error);
    this.callback(error, null);
  }
}

/**
 * Kafka producer. `send` serializes and partitions the record, appends it to its partition's
 * batch and returns a promise of its `RecordMetadata`; batches leave when full (`batch.size`),
 * after `linger.ms`, on `flush()` or `close()`.
 *
 * - Idempotent by default (`enable.idempotence`, acks=all): no duplicates from retries, order kept
 *   with up to 5 requests in flight.
 * - Backpressure: when unsent records use `buffer.memory`, sends queue (in order) and fail with
 *   SAMSA_ERR_BUFFER_EXHAUSTED after `max.block.ms`.
 * - `sendBatch` resolves one promise for many records; `send(record, callback)` uses no promise.
 *
 * Offsets in results are `bigint`.
 */
export class Producer<K = Buffer, V = Buffer> {
  readonly config: ProducerConfig;
  readonly cluster: Cluster;
  private readonly accumulator: RecordAccumulator;
  private readonly pool: BufferPool;
  private readonly sender: Sender;
  private readonly txn: TransactionManager;
  private readonly partitioner: Partitioner;
  private readonly partitionerInput: PartitionerInputSlot;
  private readonly keySerializer: Serializer<K>;
  private readonly valueSerializer: Serializer<V>;
  private readonly listener: ProducerListener<K, V> | undefined;
  private readonly pending = new FifoQueue<PendingRecord>();
  private pendingTimer: NodeJS.Timeout | undefined;
  private waitingForMetadata = false;
  private closed = false;
  private fatalError: Error | undefined;
  private recordsSent = 0;
  private recordsFailed = 0;

  constructor(options: ProducerOptions<K, V>) {
    const config = resolveConfig('producer', options as ConfigInput) as unknown as ProducerConfig;
    const idempotenceGiven = options.enableIdempotence !== undefined || options['enable.idempotence'] !== undefined;
    if (config.enableIdempotence) {
      if (config.acks !== -1) {
        if (idempotenceGiven) throw new ConfigError('acks', 'must be all (-1) when enable.idempotence is true');
        (config as { enableIdempotence: boolean }).enableIdempotence = false;
      }
      if (config.maxInFlightRequestsPerConnection > 5) {
        if (idempotenceGiven) {
          throw new ConfigError('max.in.flight.requests.per.connection', 'must be at most 5 with idempotence');
        }
        (config as { enableIdempotence: boolean }).enableIdempotence = false;
      }
    }
    if (config.transactionalId !== null && !config.enableIdempotence) {
      throw new ConfigError('transactional.id', 'needs enable.idempotence=true (and acks=all)');
    }
    if (config.deliveryTimeoutMs < config.lingerMs + config.requestTimeoutMs) {
      throw new ConfigError('delivery.timeout.ms', 'must be at least linger.ms + request.timeout.ms');
    }
    this.config = config;
    this.cluster = new Cluster(config, config.allowAutoCreateTopics);
    this.pool = new BufferPool(config.bufferMemory, config.batchSize);
    this.accumulator = new RecordAccumulator(this.pool, config.batchSize, config.lingerMs);
    this.txn = new TransactionManager(
      this.cluster,
      config.transactionalId,
      config.transactionTimeoutMs,
      config.maxBlockMs,
    );
    this.sender = new Sender(config, this.cluster, this.accumulator, this.txn, config.enableIdempotence, (error) => {
      this.fatalError = error;
    });
    this.partitionerInput = new PartitionerInputSlot(this.cluster);
    this.partitioner = createPartitioner(
      (config.partitionerClass ?? config.partitioner) as string | PartitionerFunction,
      config.partitionerIgnoreKeys,
    );
    this.keySerializer = (
      typeof config.keySerializer === 'function' ? config.keySerializer : serializerByName(config.keySerializer)
    ) as Serializer<K>;
    this.valueSerializer = (
      typeof config.valueSerializer === 'function' ? config.valueSerializer : serializerByName(config.valueSerializer)
    ) as Serializer<V>;
    this.listener = config.producerListener as ProducerListener<K, V> | undefined;
    this.pool.onRelease(() => {
      if (this.pending.length > 0) this.drainPending();
    });
  }

  /** Connects to the cluster (optional: `send` connects on demand). Fails if no broker is reachable. */
  async connect(): Promise<void> {
    await this.cluster.refresh();
    if (this.config.enableIdempotence && this.config.transactionalId === null) await this.txn.ensureProducerId();
  }

  /** Sends one record; resolves with its metadata once acknowledged (per `acks`). */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>;
  /** Callback form: no promise is created; `callback` gets the metadata or the error. */
  send(record: ProducerRecord<K, V>, callback: DeliveryCallback): void;
  send(record: ProducerRecord<K, V>, callback?: DeliveryCallback): Promise<RecordMetadata> | undefined {
    if (callback !== undefined) {
      this.enqueue(record, new SingleSink(this, record, callback), 0);
      return undefined;
    }
    return new Promise<RecordMetadata>((resolve, reject) => {
      const sink = new SingleSink(this, record, (error, metadata) => {
        if (error !== null) reject(error);
        else resolve(metadata as RecordMetadata);
      });
      this.enqueue(record, sink, 0);
    });
  }

  /**
   * Sends many records with one promise, resolved with their metadata in order once all are
   * acknowledged, or rejected with the first error (records that succeeded stay written).
   */
  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<RecordMetadata[]> {
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const sink = new BatchSink(this, records, resolve, reject);
      for (let i = 0; i < records.length; i++) {
        this.enqueue(records[i] as ProducerRecord<K, V>, sink, i);
      }
    });
  }

  /** @internal counts and listener call for a delivered record. */
  recordSucceeded(record: ProducerRecord<K, V>, metadata: RecordMetadata): void {
    this.recordsSent++;
    if (this.listener?.onSuccess !== undefined) {
      try {
        this.listener.onSuccess(record, metadata);
      } catch {
        // A listener must not break delivery of the other records.
      }
    }
  }

  /** @internal */
  recordFailed(record: ProducerRecord<K, V>, error: Error): void {
    this.recordsFailed++;
    if (this.listener?.onError !== undefined) {
      try {
        this.listener.onError(record, error);
      } catch {
        // As above.
      }
    }
  }

  /** Serializes and appends (or queues) a record; any error goes to the sink, never thrown. */
  private enqueue(record: ProducerRecord<K, V>, sink: DeliverySink, index: number): void {
    try {
      if (this.closed) throw closedError('producer');
      if (this.fatalError !== undefined) throw this.fatalError;
      this.txn.checkCanSend();
    } catch (error) {
      sink.failed(index, error as Error);
      return;
    }
    try {
      if (typeof record.topic !== 'string' || record.topic === '') {
        throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'record.topic must be a non-empty string');
      }
      const headers = normalizeHeaders(record.headers);
      const key =
        record.key === undefined || record.key === null
          ? null
          : this.keySerializer(record.key as K, record.topic, headers);
      const value = record.value === null ? null : this.valueSerializer(record.value as V, record.topic, headers);
      const size = ProducerBatch.estimateSize(key, value, headers);
      if (size + 61 > this.config.maxRequestSize) {
        throw new ClientError(
          ClientErrorCode.ILLEGAL_STATE,
          `the record is ${size} bytes when serialized, larger than max.request.size (${this.config.maxRequestSize})`,
        );
      }
      if (size + 61 > this.config.bufferMemory) {
        throw new ClientError(
          ClientErrorCode.BUFFER_EXHAUSTED,
          `the record is ${size} bytes when serialized, larger than buffer.memory (${this.config.bufferMemory})`,
        );
      }
      const timestamp = record.timestamp ?? Date.now();
      // A record that can be appended now needs no pending entry (one object fewer per record).
      if (
        this.pending.length > 0 ||
        !this.tryAppend(record.topic, record.partition, key, value, headers, timestamp, sink, index)
      ) {
        this.pending.push({
          topic: record.topic,
          partition: record.partition,
          key,
          value,
          headers,
          timestamp,
          sink,
          index,
          deadlineMs: Date.now() + this.config.maxBlockMs,
        });
        // The timer follows the first pending record's deadline, which a record queued behind
        // it does not change: re-arming it per record made a timer per send.
        if (this.pendingTimer === undefined) this.schedulePendingTimer();
      }
    } catch (error) {
      this.failBeforeBatch(sink, index, error as Error);
    }
  }

  /** A record failed before reaching a batch; in a transaction, that transaction can only abort. */
  private failBeforeBatch(sink: DeliverySink, index: number, error: Error): void {
    this.txn.recordFailed(error);
    sink.failed(index, error);
  }

  /**
   * Appends a record to its partition's batch if metadata and memory allow, returning false
   * otherwise (the caller queues it). Throws for errors that concern only this record.
   */
  private tryAppend(
    topic: string,
    requestedPartition: number | undefined,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[],
    timestamp: number,
    sink: DeliverySink,
    index: number,
  ): boolean {
    const info = this.cluster.topics.get(topic);
    if (info === undefined) {
      this.fetchMetadataFor(topic);
      return false;
    }
    const numPartitions = info.partitions.length;
    if (requestedPartition !== undefined) {
      checkPartition(topic, requestedPartition, numPartitions);
      return this.appendTo(topic, requestedPartition, key, value, headers, timestamp, sink, index, false) as boolean;
    }
    const input = this.partitionerInput.fill(topic, key, value, numPartitions);
    const partition = checkPartition(topic, this.partitioner.partition(input), numPartitions);
    const sticky = key === null && this.partitioner.onNewBatch !== undefined;
    const appended = this.appendTo(topic, partition, key, value, headers, timestamp, sink, index, sticky);
    if (appended !== undefined) return appended;
    // KIP-480: the sticky partition's batch is done; move on before starting a new one.
    this.partitioner.onNewBatch?.(topic, partition, input);
    const next = checkPartition(topic, this.partitioner.partition(input), numPartitions);
    return this.appendTo(topic, next, key, value, headers, timestamp, sink, index, false) as boolean;
  }

  /** One append; undefined when `abortOnNewBatch` and the record needs a new batch. */
  private appendTo(
    topic: string,
    partition: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[],
    timestamp: number,
    sink: DeliverySink,
    index: number,
    abortOnNewBatch: boolean,
  ): boolean | undefined {
    // The state is checked before the append; the partition joins the transaction only once a
    // record is in it (Java's doSend too: an append aborted for the sticky partitioner's next
    // batch must not add a partition the transaction never writes to).
    if (this.txn.isTransactional) this.txn.checkCanAddPartition();
    const result = this.accumulator.append(
      topic,
      partition,
      timestamp,
      key,
      value,
      headers,
      sink,
      index,
      undefined,
      abortOnNewBatch,
    );
    if (result.abortedForNewBatch) return undefined;
    if (!result.appended) return false;
    if (this.txn.isTransactional) this.txn.maybeAddPartition(topic, partition);
    if (result.batchFull || result.newBatch || this.config.lingerMs === 0) this.sender.wakeup();
    return true;
  }

  private fetchMetadataFor(topic: string): void {
    if (this.waitingForMetadata) return;
    this.waitingForMetadata = true;
    this.cluster
      .waitForTopic(topic, this.config.maxBlockMs)
      .then(
        () => {},
        (error: Error) => {
          for (const e of this.pending.removeWhere((p) => p.topic === topic))
            this.failBeforeBatch(e.sink, e.index, error);
        },
      )
      .finally(() => {
        this.waitingForMetadata = false;
        this.drainPending();
      });
  }

  /** Appends queued records in order while metadata and memory allow; expires those past `max.block.ms`. */
  private drainPending(): void {
    while (this.pending.length > 0) {
      const entry = this.pending.peek() as PendingRecord;
      let appended: boolean;
      try {
        appended = this.tryAppend(
          entry.topic,
          entry.partition,
          entry.key,
          entry.value,
          entry.headers,
          entry.timestamp,
          entry.sink,
          entry.index,
        );
      } catch (error) {
        this.pending.shift();
        this.failBeforeBatch(entry.sink, entry.index, error as Error);
        continue;
      }
      if (!appended) break;
      this.pending.shift();
    }
    this.expirePending();
    this.schedulePendingTimer();
  }

  private expirePending(): void {
    const now = Date.now();
    while (this.pending.length > 0 && (this.pending.peek() as PendingRecord).deadlineMs <= now) {
      const entry = this.pending.shift() as PendingRecord;
      const known = this.cluster.topics.has(entry.topic);
      const error = known
        ? new ClientError(
            ClientErrorCode.BUFFER_EXHAUSTED,
            `failed to allocate memory within the configured max blocking time ${this.config.maxBlockMs} ms (buffer.memory=${this.config.bufferMemory} is in use by unsent records)`,
          )
        : new ClientError(
            ClientErrorCode.METADATA_TIMEOUT,
            `topic '${entry.topic}' not present in metadata after ${this.config.maxBlockMs} ms`,
          );
      this.failBeforeBatch(entry.sink, entry.index, error);
    }
  }

  private failPending(match: (e: PendingRecord) => boolean, error: Error): void {
    for (const e of this.pending.removeWhere(match)) e.sink.failed(e.index, error);
  }

  private schedulePendingTimer(): void {
    if (this.pendingTimer !== undefined) {
      clearTimeout(this.pendingTimer);
      this.pendingTimer = undefined;
    }
    const first = this.pending.peek();
    if (first === undefined) return;
    this.pendingTimer = setTimeout(
      () => {
        this.pendingTimer = undefined;
        this.drainPending();
      },
      Math.max(0, first.deadlineMs - Date.now()) + 1,
    );
  }

  /**
   * Sends everything buffered now (ignoring `linger.ms`) and resolves once every record sent
   * before the call is acknowledged or failed.
   */
  async flush(signal?: AbortSignal): Promise<void> {
    this.sender.flushing++;
    try {
      this.sender.wakeup();
      while (this.pending.length > 0 || !this.sender.isIdle) {
        if (signal?.aborted === true) throw new ClientError(ClientErrorCode.ABORTED, 'flush aborted');
        if (this.pending.length > 0) await sleep(5, signal);
        else await this.sender.whenIdle();
        this.sender.wakeup();
      }
    } finally {
      this.sender.flushing--;
    }
  }

  /** The partitions of a topic (fetching metadata if needed). */
  async partitionsFor(topic: string): Promise<readonly PartitionInfo[]> {
    const info = await this.cluster.waitForTopic(topic, this.config.maxBlockMs);
    return info.partitions;
  }

  metrics(): ProducerMetrics {
    return {
      recordsSent: this.recordsSent,
      recordsFailed: this.recordsFailed,
      batchesSent: this.sender.batchesSent,
      bufferAvailableBytes: this.pool.availableMemory,
      bufferTotalBytes: this.config.bufferMemory,
    };
  }

  /** Producer ID and epoch (-1 until idempotence initialized them). */
  get producerIdAndEpoch(): { producerId: number; producerEpoch: number } {
    return { producerId: this.txn.producerId, producerEpoch: this.txn.producerEpoch };
  }

  // ---- transactions (need transactional.id) ----

  /** Registers the transactional ID with its coordinator, fencing older producers with the same ID. */
  async initTransactions(): Promise<void> {
    await this.txn.initTransactions();
  }

  beginTransaction(): void {
    this.txn.beginTransaction();
  }

  /** Adds consumed offsets to the transaction: they commit or abort with the records sent. */
  async sendOffsetsToTransaction(offsets: readonly OffsetToCommit[], group: ConsumerGroupMetadata): Promise<void> {
    await this.txn.sendOffsetsToTransaction(offsets, group);
  }

  /** Flushes, then commits. On failure the transaction must be aborted. */
  async commitTransaction(): Promise<void> {
    this.txn.beginCommit();
    await this.flush();
    if (this.txn.state !== 'COMMITTING') {
      throw this.txn.lastError ?? new ClientError(ClientErrorCode.ILLEGAL_STATE, 'transaction failed; abort it');
    }
    await this.txn.addPendingPartitions();
    await this.txn.endTransaction(true);
  }

  /** Drops unsent records of the transaction, waits for in-flight ones, and aborts. */
  async abortTransaction(): Promise<void> {
    this.txn.beginAbort();
    this.sender.failAll(new ClientError(ClientErrorCode.ILLEGAL_STATE, 'transaction aborted'));
    this.failPending(() => true, new ClientError(ClientErrorCode.ILLEGAL_STATE, 'transaction aborted'));
    await this.sender.whenIdle();
    await this.txn.endTransaction(false);
  }

  get transactionState(): string {
    return this.txn.state;
  }

  /**
   * Flushes and closes. With `timeoutMs`, records still unsent after it fail with
   * SAMSA_ERR_CLOSED; without, close waits for every record.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    try {
      if (options.timeoutMs === undefined) await this.flush();
      else {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), options.timeoutMs);
        try {
          await this.flush(controller.signal);
        } catch {
          // Timed out: what remains is failed below.
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      this.closed = true;
      const error = closedError('producer');
      this.failPending(() => true, error);
      this.sender.failAll(error);
      this.sender.close();
      if (this.pendingTimer !== undefined) clearTimeout(this.pendingTimer);
      this.cluster.close();
    }
  }
}

/** The partition, if the topic has it; a clear error otherwise (a partitioner or the caller chose it). */
function checkPartition(topic: string, partition: number, numPartitions: number): number {
  if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
    throw new ClientError(
      ClientErrorCode.ILLEGAL_STATE,
      `partition ${partition} of topic '${topic}' does not exist (it has ${numPartitions})`,
    );
  }
  return partition;
}
