import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ClientError,
  ClientErrorCode,
  type ConsumerGroupMetadata,
  type OffsetToCommit,
  type PartitionInfo,
  type Producer,
  type ProducerMetrics,
  type ProducerOptions,
  type ProducerRecord,
  type Serializer,
} from '@samsa/client';
import { LoggingProducerListener, type ProducerListener } from './producer-listener.js';
import type { SendResult } from './send-result.js';
import { TemplateProducers } from './template-producers.js';

export interface KafkaTemplateOptions<K, V> {
  /** Override the config's `key.serializer` / `value.serializer` (only with a producer config). */
  readonly keySerializer?: Serializer<K>;
  readonly valueSerializer?: Serializer<V>;
  /** Topic of `sendDefault` (Spring's `defaultTopic`). */
  readonly defaultTopic?: string;
  /** `LoggingProducerListener` by default, as in Spring; `null` for none. */
  readonly producerListener?: ProducerListener<K, V> | null;
  /** Applied to every record before it is sent (type headers, tracing...); returns the record to send. */
  readonly recordInterceptor?: (record: ProducerRecord<K, V>) => ProducerRecord<K, V>;
  /** Spring's `transaction-id-prefix`: makes the template transactional. A `transactional.id` in the config counts as one. */
  readonly transactionIdPrefix?: string;
  readonly allowNonTransactional?: boolean;
}

/** Spring's text (less its `@Transactional` advice, which has no equivalent here). */
export const NO_TRANSACTION_MESSAGE =
  'No transaction is in process; possible solutions: run the template operation within the scope of a ' +
  'template.executeInTransaction() operation, run in a transaction started by a listener container when consuming a record';

/** The transaction an `executeInTransaction` callback runs in; `open` turns false before the commit or abort. */
interface TransactionScope<K, V> {
  readonly producer: Producer<K, V>;
  open: boolean;
}

function illegalState(message: string): ClientError {
  return new ClientError(ClientErrorCode.ILLEGAL_STATE, message);
}

/** Spring's positional send arguments after the topic: (value), (key, value), (partition, key, value), (partition, timestamp, key, value). */
function recordOf<K, V>(topic: string, args: readonly unknown[]): ProducerRecord<K, V> {
  if (args.length < 1 || args.length > 4)
    throw illegalState(`send takes 1 to 4 arguments after the topic, got ${args.length}`);
  const record: { topic: string; key?: K | null; value: V | null; partition?: number; timestamp?: number } = {
    topic,
    value: args[args.length - 1] as V | null,
  };
  if (args.length >= 2) record.key = args[args.length - 2] as K | null;
  const partition = args.length >= 3 ? args[0] : null;
  const timestamp = args.length === 4 ? args[1] : null;
  if (partition !== null && partition !== undefined) record.partition = partition as number;
  if (timestamp !== null && timestamp !== undefined) record.timestamp = timestamp as number;
  return record;
}

/**
 * Spring's `KafkaTemplate` on a `@samsa/client` Producer: positional `send` variants returning
 * `Promise<SendResult>`, a `ProducerListener`, and local transactions.
 *
 * Producers: see `TemplateProducers` (built lazily from the config given, closed by `close()`;
 * a `Producer` passed in is left to its owner).
 *
 * Transactions: with a `transactionIdPrefix` the template has one transactional producer, where
 * Spring has a cache of them so that threads can run transactions side by side. A producer has
 * one open transaction at a time, so `executeInTransaction` calls queue: a second begin while
 * one is open would fail, and interleaved callbacks would put each other's records in the wrong
 * transaction. Which sends belong to the transaction is decided by async context
 * (`AsyncLocalStorage`), the analogue of Spring's thread-bound producer: sends made by the
 * callback — through `operations` or the template itself — join it; sends from elsewhere
 * meanwhile do not.
 *
 * Errors: misuse (no transaction, no default topic, nested transactions) throws at the call, as
 * Spring's assertions do. Delivery failures reject the promise and go to the listener; the promise
 * is marked handled, so a fire-and-forget `send` (Spring's common use) never ends the process
 * with an unhandled rejection — the listener (logging by default) is where such failures surface.
 */
export class KafkaTemplate<K = unknown, V = unknown> {
  defaultTopic: string | undefined;
  recordInterceptor: ((record: ProducerRecord<K, V>) => ProducerRecord<K, V>) | undefined;
  producerListener: ProducerListener<K, V> | null;
  private allowNonTransactional: boolean;
  private readonly producers: TemplateProducers<K, V>;
  private readonly transactionScope = new AsyncLocalStorage<TransactionScope<K, V>>();
  private transactionQueue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(producer: ProducerOptions<K, V> | Producer<K, V>, options: KafkaTemplateOptions<K, V> = {}) {
    this.defaultTopic = options.defaultTopic;
    this.recordInterceptor = options.recordInterceptor;
    this.producerListener =
      options.producerListener === undefined ? new LoggingProducerListener() : options.producerListener;
    this.allowNonTransactional = options.allowNonTransactional ?? false;
    this.producers = new TemplateProducers(producer, options);
  }

  // ---- sending ----

  send(record: ProducerRecord<K, V>): Promise<SendResult<K, V>>;
  send(topic: string, value: V | null): Promise<SendResult<K, V>>;
  send(topic: string, key: K | null, value: V | null): Promise<SendResult<K, V>>;
  send(topic: string, partition: number | null, key: K | null, value: V | null): Promise<SendResult<K, V>>;
  send(
    topic: string,
    partition: number | null,
    timestamp: number | null,
    key: K | null,
    value: V | null,
  ): Promise<SendResult<K, V>>;
  send(...args: unknown[]): Promise<SendResult<K, V>> {
    const [first, ...rest] = args;
    if (typeof first !== 'string') return this.doSend(first as ProducerRecord<K, V>);
    return this.doSend(recordOf<K, V>(first, rest));
  }

  sendDefault(value: V | null): Promise<SendResult<K, V>>;
  sendDefault(key: K | null, value: V | null): Promise<SendResult<K, V>>;
  sendDefault(partition: number | null, key: K | null, value: V | null): Promise<SendResult<K, V>>;
  sendDefault(
    partition: number | null,
    timestamp: number | null,
    key: K | null,
    value: V | null,
  ): Promise<SendResult<K, V>>;
  sendDefault(...args: unknown[]): Promise<SendResult<K, V>> {
    if (this.defaultTopic === undefined) throw illegalState('sendDefault needs a defaultTopic');
    return this.doSend(recordOf<K, V>(this.defaultTopic, args));
  }

  protected doSend(record: ProducerRecord<K, V>): Promise<SendResult<K, V>> {
    const producer = this.producerForSend();
    const sent = this.recordInterceptor === undefined ? record : this.recordInterceptor(record);
    const result = producer.send(sent).then(
      (recordMetadata) => {
        this.notify((listener) => listener.onSuccess?.(sent, recordMetadata));
        return { producerRecord: sent, recordMetadata };
      },
      (error: Error) => {
        this.notify((listener) => listener.onError?.(sent, null, error));
        throw error;
      },
    );
    result.catch(() => {}); // Marks it handled: see the class comment.
    return result;
  }

  private notify(call: (listener: ProducerListener<K, V>) => void): void {
    if (this.producerListener === null) return;
    try {
      call(this.producerListener);
    } catch {
      // A listener's failure must not change the outcome of the send.
    }
  }

  /** Runs `callback` with the producer this context's sends use (Spring's `execute(ProducerCallback)`). */
  execute<T>(callback: (producer: Producer<K, V>) => T): T {
    return callback(this.producerForSend());
  }

  /** Sends everything buffered by the template's producers and waits for their acknowledgements. */
  async flush(): Promise<void> {
    await Promise.all(this.producers.live().map((p) => p.flush()));
  }

  partitionsFor(topic: string): Promise<readonly PartitionInfo[]> {
    return this.producers.primary().partitionsFor(topic);
  }

  /** Counters of the producer a send from here would use. */
  metrics(): ProducerMetrics {
    const scope = this.openScope();
    if (scope !== undefined) return scope.producer.metrics();
    return this.producers.transactionalId !== null && this.allowNonTransactional
      ? this.producers.nonTransactional().metrics()
      : this.producers.primary().metrics();
  }

  // ---- transactions ----

  isTransactional(): boolean {
    return this.producers.transactionalId !== null;
  }

  /** Whether the caller runs inside an `executeInTransaction` callback whose transaction is still open. */
  inTransaction(): boolean {
    return this.openScope() !== undefined;
  }

  isAllowNonTransactional(): boolean {
    return this.allowNonTransactional;
  }

  setAllowNonTransactional(allow: boolean): void {
    this.allowNonTransactional = allow;
  }

  setProducerListener(listener: ProducerListener<K, V> | null): void {
    this.producerListener = listener;
  }

  /**
   * Runs `callback` in a transaction: begun before, committed when the callback resolves (its
   * result is returned), aborted when it throws or the commit fails (the error is rethrown).
   * Calls queue, one transaction at a time (see the class comment).
   */
  executeInTransaction<T>(callback: (operations: this) => T | Promise<T>): Promise<T> {
    if (this.producers.transactionalId === null)
      throw illegalState('This template is not transactional: set transactionIdPrefix');
    if (this.inTransaction()) throw illegalState("Nested calls to 'executeInTransaction' are not allowed");
    const run = () => this.runTransaction(callback);
    const result = this.transactionQueue.then(run, run);
    this.transactionQueue = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  private async runTransaction<T>(callback: (operations: this) => T | Promise<T>): Promise<T> {
    const producer = this.producers.primary();
    try {
      await this.producers.initTransactions(producer);
      producer.beginTransaction();
      const scope: TransactionScope<K, V> = { producer, open: true };
      let result: T;
      try {
        result = await this.transactionScope.run(scope, () => callback(this));
      } catch (error) {
        scope.open = false;
        await abortQuietly(producer);
        throw error;
      }
      // Closed first: a send the callback left running must not slip into the commit.
      scope.open = false;
      try {
        await producer.commitTransaction();
      } catch (error) {
        // The client's rule: a transaction whose commit failed can only be aborted.
        await abortQuietly(producer);
        throw error;
      }
      return result;
    } finally {
      this.producers.discardIfFatal(producer);
    }
  }

  /** Adds consumed offsets to the current transaction (they commit or abort with its records). */
  sendOffsetsToTransaction(offsets: readonly OffsetToCommit[], groupMetadata: ConsumerGroupMetadata): Promise<void> {
    const scope = this.openScope();
    if (scope === undefined) throw illegalState('No transaction is in process');
    return scope.producer.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  // ---- producers ----

  private openScope(): TransactionScope<K, V> | undefined {
    const scope = this.transactionScope.getStore();
    return scope?.open === true ? scope : undefined;
  }

  private producerForSend(): Producer<K, V> {
    const scope = this.openScope();
    if (scope !== undefined) return scope.producer;
    if (this.producers.transactionalId === null) return this.producers.primary();
    if (this.allowNonTransactional) return this.producers.nonTransactional();
    throw illegalState(NO_TRANSACTION_MESSAGE);
  }

  /** Waits for queued transactions, then closes the producers the template built (not one passed in). */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= this.transactionQueue.then(() => this.producers.close(options));
    return this.closing;
  }
}

async function abortQuietly<K, V>(producer: Producer<K, V>): Promise<void> {
  try {
    await producer.abortTransaction();
  } catch {
    // The error that made us abort is the one worth reporting; a producer left fatal is discarded.
  }
}
