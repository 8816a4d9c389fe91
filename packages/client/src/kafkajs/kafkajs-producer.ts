import type { PartitionerInput } from '../producer/partitioners.js';
import { Producer } from '../producer/producer.js';
import type { HeadersInput, ProducerRecord, RecordMetadata } from '../producer/producer-record.js';
import { COMPRESSION_NAMES, KafkaJSNonRetriableError, wrap } from './kafkajs-constants.js';

export interface KafkaJSMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  /** Milliseconds since the epoch, as a string (KafkaJS) or number. */
  timestamp?: string | number;
}

export interface KafkaJSProducerRecord {
  topic: string;
  messages: KafkaJSMessage[];
  acks?: number;
  timeout?: number;
  compression?: number;
}

export interface KafkaJSRecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset: string;
  logAppendTime: string;
  logStartOffset: string;
}

export type KafkaJSPartitioner = (args: {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
  message: KafkaJSMessage;
}) => number;

export interface KafkaJSProducerConfig {
  createPartitioner?: () => KafkaJSPartitioner;
  allowAutoTopicCreation?: boolean;
  idempotent?: boolean;
  transactionalId?: string;
  transactionTimeout?: number;
  maxInFlightRequests?: number;
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
}

/** KafkaJS's partitioners. The default (v2's) is Java-compatible murmur2, which is ours. */
export const Partitioners = {
  DefaultPartitioner: (): KafkaJSPartitioner => () => -1,
  JavaCompatiblePartitioner: (): KafkaJSPartitioner => () => -1,
  LegacyPartitioner: (): KafkaJSPartitioner => () => -1,
} as const;
const BUILT_IN = new Set<unknown>(Object.values(Partitioners));

function headersInput(headers: KafkaJSMessage['headers']): HeadersInput | undefined {
  if (headers === undefined) return undefined;
  const out: { key: string; value: string | Buffer | null }[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push({ key, value: v });
  }
  return out;
}

function toRecord(topic: string, m: KafkaJSMessage): ProducerRecord<Buffer | string, Buffer | string> {
  return {
    topic,
    key: m.key ?? null,
    value: m.value,
    ...(m.partition === undefined ? {} : { partition: m.partition }),
    ...(m.timestamp === undefined ? {} : { timestamp: Number(m.timestamp) }),
    ...(m.headers === undefined ? {} : { headers: headersInput(m.headers) as HeadersInput }),
  };
}

/** Per-partition results as KafkaJS reports them: the first offset written in each partition. */
function summarize(results: readonly RecordMetadata[]): KafkaJSRecordMetadata[] {
  const byPartition = new Map<string, KafkaJSRecordMetadata & { first: bigint }>();
  for (const r of results) {
    const key = `${r.topic}\u0000${r.partition}`;
    const existing = byPartition.get(key);
    if (existing === undefined || r.offset < existing.first) {
      byPartition.set(key, {
        topicName: r.topic,
        partition: r.partition,
        errorCode: 0,
        baseOffset: r.offset.toString(),
        logAppendTime: '-1',
        logStartOffset: '-1',
        first: r.offset,
      });
    }
  }
  return [...byPartition.values()].map(({ first: _first, ...rest }) => rest);
}

/**
 * KafkaJS's producer on Samsa's: `send`, `sendBatch`, transactions. KafkaJS chooses acks and
 * compression per call; ours per producer, so one underlying producer exists per combination
 * used (usually one).
 */
export class KafkaJSProducer {
  private readonly producers = new Map<string, Producer<Buffer | string, Buffer | string>>();
  private connected = false;
  private transactionsInitialized = false;
  private activeTransaction: KafkaJSTransaction | undefined;

  constructor(
    private readonly base: Readonly<Record<string, unknown>>,
    private readonly config: KafkaJSProducerConfig,
  ) {}

  private producer(acks: number, compression: number): Producer<Buffer | string, Buffer | string> {
    const key = `${acks}/${compression}`;
    let producer = this.producers.get(key);
    if (producer === undefined) {
      const idempotent = this.config.idempotent === true || this.config.transactionalId !== undefined;
      if (idempotent && acks !== -1) {
        throw new KafkaJSNonRetriableError(
          "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
        );
      }
      const factory = this.config.createPartitioner;
      const custom = factory !== undefined && !BUILT_IN.has(factory) ? factory() : undefined;
      producer = new Producer<Buffer | string, Buffer | string>({
        ...this.base,
        keySerializer: 'buffer',
        valueSerializer: 'buffer',
        acks,
        'enable.idempotence': idempotent,
        'compression.type': COMPRESSION_NAMES[compression] ?? 'none',
        'allow.auto.create.topics': this.config.allowAutoTopicCreation ?? true,
        // KafkaJS sends each call at once; a short linger still batches concurrent sends.
        'linger.ms': 0,
        ...(this.config.transactionalId === undefined ? {} : { 'transactional.id': this.config.transactionalId }),
        ...(this.config.transactionTimeout === undefined
          ? {}
          : { 'transaction.timeout.ms': this.config.transactionTimeout }),
        ...(this.config.maxInFlightRequests === undefined
          ? {}
          : { 'max.in.flight.requests.per.connection': this.config.maxInFlightRequests }),
        ...(this.config.retry?.retries === undefined ? {} : { retries: this.config.retry.retries }),
        ...(this.config.retry?.initialRetryTime === undefined
          ? {}
          : { 'retry.backoff.ms': this.config.retry.initialRetryTime }),
        ...(custom === undefined
          ? {}
          : {
              partitioner: (input: PartitionerInput) =>
                custom({
                  topic: input.topic,
                  partitionMetadata: Array.from({ length: input.numPartitions }, (_, partitionId) => ({
                    partitionId,
                    leader: 0,
                  })),
                  message: {
                    key: input.key === null ? null : Buffer.from(input.key),
                    value: input.value === null ? null : Buffer.from(input.value),
                  },
                }),
            }),
      });
      this.producers.set(key, producer);
    }
    return producer;
  }

  async connect(): Promise<void> {
    await wrap(() => this.producer(-1, 0).connect());
    this.connected = true;
  }

  async send(record: KafkaJSProducerRecord): Promise<KafkaJSRecordMetadata[]> {
    return this.sendBatch({
      topicMessages: [{ topic: record.topic, messages: record.messages }],
      ...(record.acks === undefined ? {} : { acks: record.acks }),
      ...(record.compression === undefined ? {} : { compression: record.compression }),
    });
  }

  async sendBatch(batch: {
    topicMessages: { topic: string; messages: KafkaJSMessage[] }[];
    acks?: number;
    timeout?: number;
    compression?: number;
  }): Promise<KafkaJSRecordMetadata[]> {
    if (this.activeTransaction === undefined && this.config.transactionalId !== undefined && this.connected) {
      throw new KafkaJSNonRetriableError('Cannot send without a transaction; use producer.transaction()');
    }
    const records = batch.topicMessages.flatMap((tm) => tm.messages.map((m) => toRecord(tm.topic, m)));
    const producer = this.producer(batch.acks ?? -1, batch.compression ?? 0);
    return wrap(async () => summarize(await producer.sendBatch(records)));
  }

  /** KafkaJS's transaction object; the producer needs a `transactionalId`. */
  async transaction(): Promise<KafkaJSTransaction> {
    if (this.config.transactionalId === undefined) {
      throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer');
    }
    if (this.activeTransaction !== undefined)
      throw new KafkaJSNonRetriableError('There is already an ongoing transaction for this producer');
    const producer = this.producer(-1, 0);
    if (!this.transactionsInitialized) {
      await wrap(() => producer.initTransactions());
      this.transactionsInitialized = true;
    }
    producer.beginTransaction();
    const txn = new KafkaJSTransaction(producer, () => {
      this.activeTransaction = undefined;
    });
    this.activeTransaction = txn;
    return txn;
  }

  isIdempotent(): boolean {
    return this.config.idempotent === true || this.config.transactionalId !== undefined;
  }

  /** Not supported: events are exposed through diagnostics_channel instead. */
  on(_event: string, _listener: (...args: unknown[]) => void): () => void {
    return () => {};
  }

  readonly events = {
    CONNECT: 'producer.connect',
    DISCONNECT: 'producer.disconnect',
    REQUEST: 'producer.network.request',
  } as const;

  async disconnect(): Promise<void> {
    await Promise.all([...this.producers.values()].map((p) => p.close()));
    this.producers.clear();
    this.connected = false;
  }
}

export class KafkaJSTransaction {
  private active = true;
  constructor(
    private readonly producer: Producer<Buffer | string, Buffer | string>,
    private readonly onEnd: () => void,
  ) {}

  async send(record: KafkaJSProducerRecord): Promise<KafkaJSRecordMetadata[]> {
    return this.sendBatch({ topicMessages: [{ topic: record.topic, messages: record.messages }] });
  }

  async sendBatch(batch: {
    topicMessages: { topic: string; messages: KafkaJSMessage[] }[];
  }): Promise<KafkaJSRecordMetadata[]> {
    const records = batch.topicMessages.flatMap((tm) => tm.messages.map((m) => toRecord(tm.topic, m)));
    return wrap(async () => summarize(await this.producer.sendBatch(records)));
  }

  /** KafkaJS's `sendOffsets`: consumed offsets (the next offset to read) committed with the transaction. */
  async sendOffsets(args: {
    consumerGroupId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void> {
    await wrap(() =>
      this.producer.sendOffsetsToTransaction(
        args.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: BigInt(p.offset) })),
        ),
        { groupId: args.consumerGroupId, generationId: -1, memberId: '', groupInstanceId: null },
      ),
    );
  }

  async commit(): Promise<void> {
    await wrap(() => this.producer.commitTransaction());
    this.end();
  }

  async abort(): Promise<void> {
    await wrap(() => this.producer.abortTransaction());
    this.end();
  }

  isActive(): boolean {
    return this.active;
  }

  private end(): void {
    this.active = false;
    this.onEnd();
  }
}
