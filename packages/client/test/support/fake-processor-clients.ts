import { type TopicPartition, tpKey } from '../../src/common/topic-partition.js';
import type { PollOptions } from '../../src/consumer/consumer.js';
import type { ConsumerRecord } from '../../src/consumer/consumer-record.js';
import type { RebalanceListener } from '../../src/consumer/rebalance-listener.js';
import { ClientError } from '../../src/errors/client-errors.js';
import type { ProcessorConsumer, ProcessorProducer } from '../../src/processing/processor-clients.js';
import type { ProducerRecord, RecordMetadata } from '../../src/producer/producer-record.js';
import {
  type ConsumerGroupMetadata,
  isFatalTransactionError,
  type OffsetToCommit,
} from '../../src/producer/transaction-manager.js';

/**
 * An in-memory partitioned log with a group's committed offsets and a transactional "output
 * topic": what a broker does for one consume-transform-produce pipeline, reduced to the
 * semantics the processor relies on (offsets commit with the output, or neither does).
 */
export class FakeLog {
  readonly input = new Map<string, ConsumerRecord<string, string>[]>();
  /** Output records of committed transactions, in commit order. */
  readonly output: ProducerRecord<string, string>[] = [];
  /** The group's committed next offset per partition. */
  readonly committed = new Map<string, bigint>();

  append(topic: string, partition: number, values: readonly string[]): void {
    const key = tpKey(topic, partition);
    const log = this.input.get(key) ?? [];
    for (const value of values) {
      log.push({
        topic,
        partition,
        offset: BigInt(log.length),
        timestamp: 0,
        timestampType: 'CreateTime',
        key: null,
        value,
        headers: [],
        leaderEpoch: 0,
        serializedKeySize: -1,
        serializedValueSize: value.length,
      });
    }
    this.input.set(key, log);
  }
}

/**
 * A group member holding the given partitions. `poll` returns up to `maxPollRecords` from the
 * current positions (round-robin over partitions, as a fetch would interleave them), starting
 * from the committed offsets; `beforePoll` lets a test run a rebalance inside a poll, where the
 * real consumer calls listeners.
 */
export class FakeConsumer implements ProcessorConsumer<string, string> {
  readonly config = {
    groupId: 'group' as string | null,
    isolationLevel: 'read_committed' as const,
    enableAutoCommit: false,
  };
  readonly positions = new Map<string, bigint>();
  readonly seeks: { topic: string; partition: number; offset: bigint }[] = [];
  listener: RebalanceListener | undefined;
  subscribed: string | readonly string[] | RegExp | undefined;
  polls = 0;
  closed = false;
  generationId = 1;
  beforePoll: ((consumer: FakeConsumer) => Promise<void> | void) | undefined;

  constructor(
    private readonly log: FakeLog,
    private assigned: TopicPartition[],
    private readonly maxPollRecords = 4,
  ) {}

  subscribe(topics: string | readonly string[] | RegExp, listener?: RebalanceListener): void {
    this.subscribed = topics;
    this.listener = listener;
  }

  async poll(options: PollOptions = {}): Promise<ConsumerRecord<string, string>[]> {
    this.polls++;
    await this.beforePoll?.(this);
    const out: ConsumerRecord<string, string>[] = [];
    for (let progress = true; progress && out.length < this.maxPollRecords; ) {
      progress = false;
      for (const tp of this.assigned) {
        if (out.length >= this.maxPollRecords) break;
        const key = tpKey(tp.topic, tp.partition);
        const position = this.positions.get(key) ?? this.log.committed.get(key) ?? 0n;
        const record = this.log.input.get(key)?.[Number(position)];
        if (record === undefined) continue;
        out.push(record);
        this.positions.set(key, position + 1n);
        progress = true;
      }
    }
    if (out.length === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(options.timeoutMs ?? 10, 10)));
    return out;
  }

  /** Replaces the assignment as a rebalance inside poll does: revoke, then assign. */
  async rebalance(next: TopicPartition[]): Promise<void> {
    const keep = new Set(next.map((tp) => tpKey(tp.topic, tp.partition)));
    const revoked = this.assigned.filter((tp) => !keep.has(tpKey(tp.topic, tp.partition)));
    await this.listener?.onPartitionsRevoked?.(revoked);
    for (const tp of revoked) this.positions.delete(tpKey(tp.topic, tp.partition));
    this.assigned = next;
    this.generationId++;
    await this.listener?.onPartitionsAssigned?.(next);
  }

  seek(tp: TopicPartition, offset: bigint): void {
    this.seeks.push({ topic: tp.topic, partition: tp.partition, offset });
    this.positions.set(tpKey(tp.topic, tp.partition), offset);
  }

  assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: 'group', generationId: this.generationId, memberId: 'member-1', groupInstanceId: null };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A step of the producer the test can make fail: return an error to throw it. */
export type ProducerFault = (step: 'send' | 'sendOffsets' | 'commit' | 'abort', detail: unknown) => Error | undefined;

/**
 * A transactional producer with Kafka's state machine (READY → IN_TRANSACTION → READY, fatal
 * errors leave FATAL_ERROR) whose commit appends the transaction's records to the log's output
 * and its offsets to the group, atomically.
 */
export class FakeProducer implements ProcessorProducer<string, string> {
  readonly config = { transactionalId: 'app-0' as string | null };
  transactionState = 'UNINITIALIZED';
  initialized = 0;
  commits = 0;
  aborts = 0;
  /** For each abort, whether every send of the transaction had been acknowledged or failed. */
  readonly settledAtAbort: boolean[] = [];
  /** Sends not yet acknowledged: they complete on the next macrotask, like a produce request. */
  private unsettled = 0;
  closed = false;
  private records: ProducerRecord<string, string>[] = [];
  private offsets: OffsetToCommit[] = [];
  fault: ProducerFault | undefined;

  constructor(private readonly log: FakeLog) {}

  private check(step: 'send' | 'sendOffsets' | 'commit' | 'abort', detail: unknown): void {
    const error = this.fault?.(step, detail);
    if (error === undefined) return;
    // Refused by the client before it reached a batch (serializer, size): the transaction goes on.
    if (error instanceof ClientError) throw error;
    this.transactionState = isFatalTransactionError(error) ? 'FATAL_ERROR' : 'ABORTABLE_ERROR';
    throw error;
  }

  private expect(...states: string[]): void {
    if (!states.includes(this.transactionState)) throw new Error(`illegal in state ${this.transactionState}`);
  }

  async initTransactions(): Promise<void> {
    this.initialized++;
    this.transactionState = 'READY';
  }

  beginTransaction(): void {
    this.expect('READY');
    this.transactionState = 'IN_TRANSACTION';
    this.records = [];
    this.offsets = [];
  }

  async send(record: ProducerRecord<string, string>): Promise<RecordMetadata> {
    this.expect('IN_TRANSACTION');
    this.check('send', record);
    this.records.push(record);
    this.unsettled++;
    await new Promise((resolve) => setImmediate(resolve));
    this.unsettled--;
    return {
      topic: record.topic,
      partition: 0,
      offset: -1n,
      timestamp: 0,
      serializedKeySize: -1,
      serializedValueSize: -1,
    };
  }

  async sendOffsetsToTransaction(offsets: readonly OffsetToCommit[], _group: ConsumerGroupMetadata): Promise<void> {
    this.expect('IN_TRANSACTION');
    this.check('sendOffsets', offsets);
    this.offsets.push(...offsets);
  }

  async commitTransaction(): Promise<void> {
    this.expect('IN_TRANSACTION');
    this.check('commit', this.records);
    this.log.output.push(...this.records);
    for (const o of this.offsets) this.log.committed.set(tpKey(o.topic, o.partition), o.offset);
    this.commits++;
    this.transactionState = 'READY';
  }

  async abortTransaction(): Promise<void> {
    this.expect('IN_TRANSACTION', 'ABORTABLE_ERROR');
    this.check('abort', this.records);
    this.aborts++;
    this.settledAtAbort.push(this.unsettled === 0);
    this.records = [];
    this.offsets = [];
    this.transactionState = 'READY';
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
