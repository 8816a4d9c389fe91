import { ErrorCode, KafkaError } from '@samsa/protocol';
import { type TopicPartition, tpKey } from '../common/topic-partition.js';
import { Consumer, type ConsumerOptions } from '../consumer/consumer.js';
import type { ConsumerRecord } from '../consumer/consumer-record.js';
import type { RebalanceListener } from '../consumer/rebalance-listener.js';
import { ClientError, ClientErrorCode, ConfigError } from '../errors/client-errors.js';
import { Producer, type ProducerOptions } from '../producer/producer.js';
import type { ProducerRecord, RecordMetadata } from '../producer/producer-record.js';
import { isFatalTransactionError, type OffsetToCommit } from '../producer/transaction-manager.js';
import {
  checkConsumerConfig,
  checkProducerConfig,
  type ProcessorConsumer,
  type ProcessorProducer,
  processorConsumerOptions,
  processorProducerOptions,
} from './processor-clients.js';
import { type ProcessorEvent, publishProcessorEvent } from './processor-diagnostics.js';

/** What `transform` may return for one input record: nothing, one output record, or several. */
export type TransformResult<K, V> = ProducerRecord<K, V> | readonly ProducerRecord<K, V>[] | null | undefined;

export interface ExactlyOnceProcessorOptions<K, V, OK, OV> {
  /**
   * Consumer settings (`bootstrap.servers`, `group.id`, deserializers, …), or a consumer to use.
   * `isolation.level` defaults to read_committed and `enable.auto.commit` to false; other values
   * are refused.
   */
  readonly consumer: ConsumerOptions<K, V> | ProcessorConsumer<K, V>;
  /** Producer settings with a `transactional.id`, or a transactional producer to use. */
  readonly producer: ProducerOptions<OK, OV> | ProcessorProducer<OK, OV>;
  readonly topics: string | readonly string[] | RegExp;
  /** Maps one input record to its output records; may be async. Throwing aborts the transaction. */
  readonly transform: (record: ConsumerRecord<K, V>) => TransformResult<OK, OV> | Promise<TransformResult<OK, OV>>;
  /** At most this many input records per transaction (default: every record of a poll). */
  readonly maxRecordsPerTransaction?: number;
  /** How long one poll waits for records (default 1000 ms); bounds how quickly `close()` is noticed. */
  readonly pollTimeoutMs?: number;
  /** Told of assignment changes, after the processor has handled them. */
  readonly rebalanceListener?: RebalanceListener;
}

/** Counters since the processor was created. */
export interface ProcessorMetrics {
  readonly transactionsCommitted: number;
  readonly transactionsAborted: number;
  /** Input records whose transaction committed. */
  readonly recordsProcessed: number;
  /** Output records of committed transactions. */
  readonly recordsProduced: number;
}

type PartitionOffset = TopicPartition & { readonly offset: bigint };

/** An event as the processor fills it in: the ids are added by `publish`. */
type EventBody<E> = E extends ProcessorEvent ? Omit<E, 'transactionalId' | 'groupId'> : never;

/** Errors after which the processor's clients cannot go on: it closes and `run()` rejects. */
const FATAL_CONSUMER_ERRORS = new Set<number>([
  ErrorCode.FENCED_INSTANCE_ID,
  ErrorCode.GROUP_AUTHORIZATION_FAILED,
  ErrorCode.TOPIC_AUTHORIZATION_FAILED,
]);

function isFatal(error: unknown, producer: ProcessorProducer<unknown, unknown>): boolean {
  return (
    isFatalTransactionError(error) ||
    producer.transactionState === 'FATAL_ERROR' ||
    (error instanceof KafkaError && FATAL_CONSUMER_ERRORS.has(error.errorCode))
  );
}

function isClient(value: object, method: string): boolean {
  return typeof (value as Record<string, unknown>)[method] === 'function';
}

/**
 * Consume-transform-produce with exactly-once semantics: the building block of Kafka Streams'
 * `exactly_once_v2`. A read_committed consumer in a group feeds `transform`; the output records
 * and the input offsets after them commit in one transaction of a transactional producer, so
 * each input record's output becomes visible to read_committed readers exactly once, whatever
 * crashes, retries and rebalances happen.
 *
 * Per transaction (every record of a poll, or `maxRecordsPerTransaction` of them):
 * beginTransaction → transform + send each record → sendOffsetsToTransaction(next offsets,
 * consumer.groupMetadata()) → commitTransaction.
 *
 * Failure handling:
 * - transform or send fails (abortable): abortTransaction, then every partition of the
 *   unfinished records is sought back to its last committed position, so they are processed
 *   again; the loop goes on.
 * - fenced (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, FENCED_INSTANCE_ID), unsupported or
 *   unauthorized, a failed poll, or an abort that itself fails: the processor closes its clients
 *   and `run()` rejects. Whatever was open is aborted by the coordinator (transaction timeout)
 *   or by the next instance's `initTransactions`.
 *
 * Invariants (the "why" of the loop's shape):
 * - A transaction is never open while `poll` runs, and the consumer calls rebalance listeners
 *   only from inside `poll`: partitions are therefore revoked only between transactions, when
 *   everything consumed from them has committed or aborted. No output of a revoked partition's
 *   records can commit after its new owner starts.
 * - The last committed position of a partition of the batch is the offset of its first record
 *   not yet in a committed transaction: records of one poll are consecutive per partition (gaps
 *   are only control records and aborted data, which read_committed skips), and what came
 *   before them was committed by an earlier transaction or was the position `poll` started at.
 *   An abort that succeeded proves the transaction did not commit, so seeking there is exact.
 *   A commit whose outcome is unknown is never followed by a seek: its abort fails (the
 *   transaction is no longer open), which is fatal.
 *
 * `run()` resolves after `close()`; the transaction in progress then completes first.
 * Progress is published on the `samsa:client:processor` diagnostics channel.
 */
export class ExactlyOnceProcessor<K = Buffer, V = Buffer, OK = Buffer, OV = Buffer> {
  readonly consumer: ProcessorConsumer<K, V>;
  readonly producer: ProcessorProducer<OK, OV>;
  private readonly topics: string | readonly string[] | RegExp;
  private readonly transform: ExactlyOnceProcessorOptions<K, V, OK, OV>['transform'];
  private readonly maxRecordsPerTransaction: number;
  private readonly pollTimeoutMs: number;
  private readonly listener: RebalanceListener | undefined;
  private readonly transactionalId: string;
  private readonly groupId: string;
  private running: Promise<void> | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly stopPolling = new AbortController();
  private committed = 0;
  private aborted = 0;
  private recordsProcessed = 0;
  private recordsProduced = 0;

  constructor(options: ExactlyOnceProcessorOptions<K, V, OK, OV>) {
    const max = options.maxRecordsPerTransaction ?? Number.POSITIVE_INFINITY;
    if (!(max >= 1)) throw new ConfigError('maxRecordsPerTransaction', 'must be at least 1');
    // Both settings are checked before either client exists, so a refused one leaks nothing.
    const consumerOptions = isClient(options.consumer, 'poll')
      ? undefined
      : processorConsumerOptions(options.consumer as ConsumerOptions<K, V>);
    const producerOptions = isClient(options.producer, 'commitTransaction')
      ? undefined
      : processorProducerOptions(options.producer as ProducerOptions<OK, OV>);
    this.consumer =
      consumerOptions === undefined ? (options.consumer as ProcessorConsumer<K, V>) : new Consumer(consumerOptions);
    this.producer =
      producerOptions === undefined ? (options.producer as ProcessorProducer<OK, OV>) : new Producer(producerOptions);
    checkConsumerConfig(this.consumer.config);
    checkProducerConfig(this.producer.config);
    this.transactionalId = this.producer.config.transactionalId as string;
    this.groupId = this.consumer.config.groupId as string;
    this.topics = options.topics;
    this.transform = options.transform;
    this.maxRecordsPerTransaction = max;
    this.pollTimeoutMs = options.pollTimeoutMs ?? 1000;
    this.listener = options.rebalanceListener;
  }

  metrics(): ProcessorMetrics {
    return {
      transactionsCommitted: this.committed,
      transactionsAborted: this.aborted,
      recordsProcessed: this.recordsProcessed,
      recordsProduced: this.recordsProduced,
    };
  }

  /**
   * Fences older instances with the same `transactional.id` (initTransactions), joins the group
   * and processes until `close()` (resolves) or a fatal error (rejects, clients closed).
   */
  run(): Promise<void> {
    if (this.running !== undefined || this.closing) {
      return Promise.reject(new ClientError(ClientErrorCode.ILLEGAL_STATE, 'run() may be called once'));
    }
    this.running = this.loop();
    return this.running;
  }

  /** Lets the transaction in progress finish, stops, and closes both clients. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopPolling.abort(new Error('processor closing'));
    if (this.running === undefined) await this.closeClients(undefined);
    else await this.running.catch(() => {});
  }

  private async loop(): Promise<void> {
    let failure: Error | undefined;
    try {
      await this.producer.initTransactions();
      this.consumer.subscribe(this.topics, this.rebalanceListener());
      while (!this.closing) {
        const records = await this.poll();
        for (let start = 0; start < records.length && !this.closing; ) {
          const end = Math.min(records.length, start + this.maxRecordsPerTransaction);
          const committed = await this.processTransaction(records.slice(start, end), records.slice(end));
          if (!committed) break;
          start = end;
        }
      }
    } catch (error) {
      failure = error as Error;
    }
    await this.closeClients(failure);
    if (failure !== undefined) throw failure;
  }

  private async poll(): Promise<ConsumerRecord<K, V>[]> {
    try {
      return await this.consumer.poll({ timeoutMs: this.pollTimeoutMs, signal: this.stopPolling.signal });
    } catch (error) {
      if (this.closing && error instanceof ClientError && error.code === ClientErrorCode.ABORTED) return [];
      throw error;
    }
  }

  /**
   * One transaction over `records`; `rest` are the batch's records after them. Returns false
   * when it aborted (the records and `rest` will be polled again), throws when it cannot go on.
   *
   * Why the steps are in this order:
   * - outputs are sent as each record is transformed (they go out while later records are
   *   transformed, as in Kafka Streams), then the offsets are added;
   * - every send is settled before the commit, so that the error of a refused record (which
   *   makes the producer's transaction abortable) is the one reported, not the commit's refusal;
   * - before an abort in a healthy transaction (a transform error), the sends are settled too:
   *   the transaction then holds exactly what was acknowledged, and the abort ends it at the
   *   coordinator rather than racing the first AddPartitionsToTxn.
   */
  private async processTransaction(
    records: readonly ConsumerRecord<K, V>[],
    rest: readonly ConsumerRecord<K, V>[],
  ): Promise<boolean> {
    const startedMs = Date.now();
    const sends: Promise<RecordMetadata>[] = [];
    let sendError: unknown;
    this.producer.beginTransaction();
    try {
      for (const record of records) {
        const output = await this.transform(record);
        if (output === null || output === undefined) continue;
        for (const out of Array.isArray(output) ? output : [output as ProducerRecord<OK, OV>]) {
          const sent = this.producer.send(out);
          // Settled below whatever happens in between; the first error is kept for the fatal case.
          sent.catch((error: unknown) => {
            sendError ??= error;
          });
          sends.push(sent);
        }
      }
      const offsets = nextOffsets(records);
      await this.producer.sendOffsetsToTransaction(offsets, this.consumer.groupMetadata());
      const failed = (await Promise.allSettled(sends)).find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      await this.producer.commitTransaction();
      this.committed++;
      this.recordsProcessed += records.length;
      this.recordsProduced += sends.length;
      this.publish({
        event: 'commit',
        records: records.length,
        outputs: sends.length,
        offsets,
        durationMs: Date.now() - startedMs,
      });
      return true;
    } catch (error) {
      if (isFatal(error, this.producer)) {
        // Once fenced, the producer's next call fails with "not allowed in state FATAL_ERROR":
        // report the broker's error a send got first (PRODUCER_FENCED, ...) rather than that.
        throw isFatalTransactionError(sendError) && !isFatalTransactionError(error) ? sendError : error;
      }
      if (this.producer.transactionState === 'IN_TRANSACTION') await Promise.allSettled(sends);
      // An abort that fails leaves the transaction's outcome unknown to us: seeking back could
      // repeat committed records, so it is fatal (the next instance's initTransactions resolves it).
      await this.producer.abortTransaction();
      await Promise.allSettled(sends);
      const offsets = this.seekBack([...records, ...rest]);
      this.aborted++;
      this.publish({ event: 'abort', records: records.length, offsets, error: error as Error });
      return false;
    }
  }

  /** Seeks each partition of `unfinished` to its first record there: its last committed position. */
  private seekBack(unfinished: readonly ConsumerRecord<K, V>[]): PartitionOffset[] {
    const first = new Map<string, PartitionOffset>();
    for (const r of unfinished) {
      const key = tpKey(r.topic, r.partition);
      if (!first.has(key)) first.set(key, { topic: r.topic, partition: r.partition, offset: r.offset });
    }
    const assigned = new Set(this.consumer.assignment().map((tp) => tpKey(tp.topic, tp.partition)));
    const offsets = [...first.entries()].filter(([key]) => assigned.has(key)).map(([, tp]) => tp);
    for (const tp of offsets) this.consumer.seek({ topic: tp.topic, partition: tp.partition }, tp.offset);
    return offsets;
  }

  private rebalanceListener(): RebalanceListener {
    const tell = (event: 'assigned' | 'revoked' | 'lost', partitions: TopicPartition[]) =>
      this.publish({ event, partitions });
    const user = this.listener;
    // Nothing to finish here: listeners run inside poll, when no transaction is open (see above).
    return {
      onPartitionsAssigned: async (partitions) => {
        tell('assigned', partitions);
        await user?.onPartitionsAssigned?.(partitions);
      },
      onPartitionsRevoked: async (partitions) => {
        tell('revoked', partitions);
        await user?.onPartitionsRevoked?.(partitions);
      },
      onPartitionsLost: async (partitions) => {
        tell('lost', partitions);
        if (user?.onPartitionsLost !== undefined) await user.onPartitionsLost(partitions);
        else await user?.onPartitionsRevoked?.(partitions);
      },
    };
  }

  /** Closes both clients once, whoever asks first (the loop as it ends, or `close()` without a run). */
  private closeClients(error: Error | undefined): Promise<void> {
    this.closing = true;
    this.closed ??= this.closeClientsOnce(error);
    return this.closed;
  }

  private async closeClientsOnce(error: Error | undefined): Promise<void> {
    // A fenced producer cannot flush; a healthy one has nothing left to flush between transactions.
    await this.producer.close({ timeoutMs: error === undefined ? 5000 : 0 }).catch(() => {});
    await this.consumer.close().catch(() => {});
    this.publish(error === undefined ? { event: 'close' } : { event: 'close', error });
  }

  private publish(event: EventBody<ProcessorEvent>): void {
    publishProcessorEvent({ transactionalId: this.transactionalId, groupId: this.groupId, ...event } as ProcessorEvent);
  }
}

/** The offset after the last record of each partition in `records`, to commit with the transaction. */
function nextOffsets(records: readonly ConsumerRecord<unknown, unknown>[]): (OffsetToCommit & PartitionOffset)[] {
  const last = new Map<string, OffsetToCommit & PartitionOffset>();
  for (const r of records) {
    last.set(tpKey(r.topic, r.partition), {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset + 1n,
      leaderEpoch: r.leaderEpoch,
    });
  }
  return [...last.values()];
}
