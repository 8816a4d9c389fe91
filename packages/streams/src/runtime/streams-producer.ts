import type { ConsumerGroupMetadata, Producer, ProducerListener, ProducerRecord, RecordMetadata } from '@samsa/client';
import {
  DefaultProductionExceptionHandler,
  isHandledSendError,
  type ProductionErrorContext,
  type ProductionExceptionHandler,
  ProductionExceptionHandlerResponse,
  productionFailureMessage,
} from '../errors/production-exception-handler.js';
import type { RecordMetadata as SourceMetadata } from '../processor/processor-context.js';
import type { TaskId } from '../processor/task-id.js';
import { StreamsException } from '../processor/topology-exception.js';

/** What one record sends; `partition` undefined: the producer's partitioner (murmur2 of the key). */
export interface StreamsRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly { key: string; value: Buffer | null }[];
  readonly partition: number | undefined;
  /** The task that sent it and the record it was processing then (for the exception handler). */
  readonly taskId: TaskId;
  readonly source: SourceMetadata | null;
  /** Called with the acknowledged offset (changelog records: the checkpoint needs it). */
  readonly onDelivered: ((metadata: RecordMetadata) => void) | undefined;
}

/** Every send's callback: delivery reports come through the producer's listener, with the record. */
function ignoreDelivery(): void {}

/**
 * Kafka Streams' `StreamsProducer`: the one producer of a stream thread, with the guarantee's
 * rules in one place. Under exactly_once_v2 the first send after a commit begins a transaction,
 * and `commitTransaction` puts the consumed offsets in it and commits; under at_least_once
 * `flush` waits for every send. A failed send is kept and rethrown by the next flush or commit,
 * since sends are fire-and-forget for the processors. Under at_least_once a failed send first goes
 * to the `default.production.exception.handler`: CONTINUE drops the record (`onDropped`), FAIL keeps
 * the error. Under exactly_once_v2 every failed send fails: the transaction it belonged to can
 * only abort, so skipping the record would lose the others with it.
 */
export class StreamsProducer {
  private sendError: Error | undefined;
  private transactionOpen = false;

  private readonly producer: Producer<Uint8Array, Uint8Array>;

  /**
   * `createProducer` makes the producer with the listener it is given (`producerListener`): the
   * record sent comes back to it on success or failure, so a send allocates no callback.
   */
  constructor(
    createProducer: (listener: ProducerListener<Uint8Array, Uint8Array>) => Producer<Uint8Array, Uint8Array>,
    readonly eosEnabled: boolean,
    private readonly handler: ProductionExceptionHandler = new DefaultProductionExceptionHandler(),
    private readonly onDropped: (context: ProductionErrorContext) => void = () => {},
    /** A `producer.producerListener` the application configured: told of every delivery too. */
    userListener?: ProducerListener<Uint8Array, Uint8Array>,
  ) {
    this.producer = createProducer({
      onSuccess: (record, metadata) => {
        try {
          userListener?.onSuccess?.(record, metadata);
        } finally {
          (record as unknown as StreamsRecord).onDelivered?.(metadata);
        }
      },
      onError: (record, error) => {
        try {
          userListener?.onError?.(record, error);
        } finally {
          this.failed(record as unknown as StreamsRecord, error);
        }
      },
    });
  }

  get inTransaction(): boolean {
    return this.transactionOpen;
  }

  async initTransactions(): Promise<void> {
    if (this.eosEnabled) await this.producer.initTransactions();
  }

  /** Fire and forget: a failure is kept for the next flush or commit (or handled, see the class). */
  send(record: StreamsRecord): void {
    if (this.eosEnabled && !this.transactionOpen) this.beginTransaction();
    // `partition: undefined` means the partitioner, as an absent one does.
    this.producer.send(record as unknown as ProducerRecord<Uint8Array, Uint8Array>, ignoreDelivery);
  }

  private failed(record: StreamsRecord, error: Error): void {
    const context: ProductionErrorContext = {
      taskId: record.taskId,
      topic: record.source?.topic() ?? null,
      partition: record.source?.partition() ?? -1,
      offset: record.source?.offset() ?? -1n,
    };
    if (this.eosEnabled || !isHandledSendError(error)) {
      this.sendError ??= error;
      return;
    }
    let response: ProductionExceptionHandlerResponse;
    try {
      response = this.handler.handle(context, record, error);
    } catch (handlerError) {
      // A handler that throws fails the application with its error (the producer's listener
      // would otherwise swallow it).
      this.sendError ??=
        handlerError instanceof Error
          ? handlerError
          : new StreamsException(`the production exception handler threw ${String(handlerError)}`);
      return;
    }
    if (response === ProductionExceptionHandlerResponse.CONTINUE) {
      console.warn(
        `Error sending record to topic ${record.topic} for task ${context.taskId} due to: ${error.message}; ` +
          'the production exception handler chose to CONTINUE: the record is dropped.',
      );
      this.onDropped(context);
      return;
    }
    this.sendError ??= new StreamsException(productionFailureMessage(context, record, error), { cause: error });
  }

  /** at_least_once: every send acknowledged, or the first failure thrown. */
  async flush(): Promise<void> {
    await this.producer.flush();
    if (this.sendError !== undefined) throw this.sendError;
  }

  /** exactly_once_v2: the consumed offsets join the transaction, which commits (one is begun if none is open). */
  async commitTransaction(
    offsets: readonly { topic: string; partition: number; offset: bigint; metadata?: string }[],
    group: ConsumerGroupMetadata,
  ): Promise<void> {
    if (!this.transactionOpen) this.beginTransaction();
    try {
      if (offsets.length > 0) await this.producer.sendOffsetsToTransaction(offsets, group);
      await this.producer.commitTransaction();
    } catch (error) {
      throw this.sendError ?? error;
    }
    this.transactionOpen = false;
  }

  async abortTransaction(): Promise<void> {
    if (!this.transactionOpen) return;
    this.transactionOpen = false;
    await this.producer.abortTransaction();
  }

  async close(): Promise<void> {
    await this.producer.close();
  }

  private beginTransaction(): void {
    this.producer.beginTransaction();
    this.transactionOpen = true;
  }
}
