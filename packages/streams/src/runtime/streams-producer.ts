import type { ConsumerGroupMetadata, Producer, RecordMetadata } from '@samsa/client';
import { StreamsException } from '../processor/topology-exception.js';

/** What one record sends; `partition` undefined: the producer's partitioner (murmur2 of the key). */
export interface StreamsRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly { key: string; value: Buffer | null }[];
  readonly partition: number | undefined;
}

/**
 * Kafka Streams' `StreamsProducer`: the one producer of a stream thread, with the guarantee's
 * rules in one place. Under exactly_once_v2 the first send after a commit begins a transaction,
 * and `commitTransaction` puts the consumed offsets in it and commits; under at_least_once
 * `flush` waits for every send. A failed send is kept and rethrown by the next flush or commit,
 * since sends are fire-and-forget for the processors.
 */
export class StreamsProducer {
  private sendError: Error | undefined;
  private transactionOpen = false;

  constructor(
    private readonly producer: Producer<Uint8Array, Uint8Array>,
    readonly eosEnabled: boolean,
  ) {}

  get inTransaction(): boolean {
    return this.transactionOpen;
  }

  async initTransactions(): Promise<void> {
    if (this.eosEnabled) await this.producer.initTransactions();
  }

  send(record: StreamsRecord, onDelivered: (metadata: RecordMetadata) => void): void {
    if (this.eosEnabled && !this.transactionOpen) this.beginTransaction();
    this.producer.send(
      {
        topic: record.topic,
        key: record.key,
        value: record.value,
        timestamp: record.timestamp,
        headers: record.headers.map((h) => ({ key: h.key, value: h.value })),
        ...(record.partition === undefined ? {} : { partition: record.partition }),
      },
      (error, metadata) => {
        if (error || metadata === null)
          this.sendError ??= error ?? new StreamsException(`send to ${record.topic} failed`);
        else onDelivered(metadata);
      },
    );
  }

  /** at_least_once: every send acknowledged, or the first failure thrown. */
  async flush(): Promise<void> {
    await this.producer.flush();
    if (this.sendError !== undefined) throw this.sendError;
  }

  /** exactly_once_v2: the consumed offsets join the transaction, which commits (one is begun if none is open). */
  async commitTransaction(
    offsets: readonly { topic: string; partition: number; offset: bigint }[],
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
