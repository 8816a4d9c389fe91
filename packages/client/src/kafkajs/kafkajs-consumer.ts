import { EventEmitter } from 'node:events';
import type { TopicPartition } from '../common/topic-partition.js';
import type { PartitionAssignor } from '../consumer/assignors/partition-assignor.js';
import { Consumer } from '../consumer/consumer.js';
import type { ConsumerRecord } from '../consumer/consumer-record.js';
import { headersObject, KafkaJSNonRetriableError, wrap } from './kafkajs-constants.js';

export interface KafkaJSConsumerConfig {
  groupId: string;
  sessionTimeout?: number;
  rebalanceTimeout?: number;
  heartbeatInterval?: number;
  metadataMaxAge?: number;
  allowAutoTopicCreation?: boolean;
  maxBytesPerPartition?: number;
  minBytes?: number;
  maxBytes?: number;
  maxWaitTimeInMs?: number;
  readUncommitted?: boolean;
  /** KafkaJS assigner factories are not supported; names (`'roundrobin'`, …) or our assignor objects are. */
  partitionAssigners?: unknown[];
  retry?: { retries?: number; initialRetryTime?: number };
  /** Samsa's addition (KafkaJS has only the classic protocol): `'consumer'` for KIP-848 groups. */
  groupProtocol?: 'classic' | 'consumer';
  /** With `groupProtocol: 'consumer'`: the broker's assignor (`uniform`, `range`). */
  groupRemoteAssignor?: string;
}

/** A consumed message the way KafkaJS hands it out: offset and timestamp as strings. */
export interface KafkaJSKafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  offset: string;
  size: number;
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

export interface KafkaJSEachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaJSKafkaMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

export interface KafkaJSBatch {
  topic: string;
  partition: number;
  highWatermark: string;
  messages: KafkaJSKafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
  offsetLag(): string;
  offsetLagLow(): string;
}

export interface KafkaJSEachBatchPayload {
  batch: KafkaJSBatch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  commitOffsetsIfNecessary(offsets?: unknown): Promise<void>;
  uncommittedOffsets(): unknown;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface KafkaJSConsumerRunConfig {
  autoCommit?: boolean;
  autoCommitInterval?: number | null;
  autoCommitThreshold?: number | null;
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  eachMessage?(payload: KafkaJSEachMessagePayload): Promise<void>;
  eachBatch?(payload: KafkaJSEachBatchPayload): Promise<void>;
}

function toKafkaJSMessage(r: ConsumerRecord<Buffer, Buffer>): KafkaJSKafkaMessage {
  return {
    key: r.key,
    value: r.value,
    timestamp: String(r.timestamp),
    attributes: r.timestampType === 'LogAppendTime' ? 8 : 0,
    offset: r.offset.toString(),
    size: (r.key?.length ?? 0) + (r.value?.length ?? 0),
    headers: headersObject(r.headers),
  };
}

const EVENTS = {
  HEARTBEAT: 'consumer.heartbeat',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  GROUP_JOIN: 'consumer.group_join',
  FETCH: 'consumer.fetch',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  REBALANCING: 'consumer.rebalancing',
} as const;

/**
 * KafkaJS's consumer on Samsa's. Subscriptions collect until `run` (as in KafkaJS); `fromBeginning`
 * means auto.offset.reset=earliest for the consumer. `seek` before the partition is assigned is
 * applied when it is. Events: GROUP_JOIN, COMMIT_OFFSETS, CONNECT, DISCONNECT, STOP, CRASH.
 */
export class KafkaJSConsumer {
  readonly events = EVENTS;
  private readonly emitter = new EventEmitter();
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private readonly topics: (string | RegExp)[] = [];
  private fromBeginning = false;
  private readonly pendingSeeks = new Map<string, bigint>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly base: Readonly<Record<string, unknown>>,
    private readonly config: KafkaJSConsumerConfig,
  ) {
    if (typeof config.groupId !== 'string' || config.groupId === '') {
      throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.');
    }
  }

  on(
    event: string,
    listener: (event: { id: number; type: string; timestamp: number; payload: unknown }) => void,
  ): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  private emit(type: string, payload: unknown): void {
    this.emitter.emit(type, { id: Date.now(), type, timestamp: Date.now(), payload });
  }

  async connect(): Promise<void> {
    this.emit(EVENTS.CONNECT, null);
  }

  async subscribe(args: {
    topic?: string | RegExp;
    topics?: (string | RegExp)[];
    fromBeginning?: boolean;
  }): Promise<void> {
    const topics = args.topics ?? (args.topic === undefined ? [] : [args.topic]);
    if (topics.length === 0) throw new KafkaJSNonRetriableError('Missing required argument "topics"');
    if (this.running !== undefined)
      throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running');
    this.topics.push(...topics);
    if (args.fromBeginning === true) this.fromBeginning = true;
  }

  private create(run: KafkaJSConsumerRunConfig): Consumer<Buffer, Buffer> {
    const c = this.config;
    const strategies = (c.partitionAssigners ?? []).filter(
      (a): a is string | PartitionAssignor => typeof a === 'string' || (typeof a === 'object' && a !== null),
    );
    const consumer: Consumer<Buffer, Buffer> = new Consumer<Buffer, Buffer>({
      ...this.base,
      'group.id': c.groupId,
      'auto.offset.reset': this.fromBeginning ? 'earliest' : 'latest',
      'enable.auto.commit': run.autoCommit ?? true,
      'auto.commit.interval.ms': run.autoCommitInterval ?? 5000,
      ...(c.groupProtocol === undefined ? {} : { 'group.protocol': c.groupProtocol }),
      ...(c.groupRemoteAssignor === undefined ? {} : { 'group.remote.assignor': c.groupRemoteAssignor }),
      ...(c.sessionTimeout === undefined ? {} : { 'session.timeout.ms': c.sessionTimeout }),
      ...(c.rebalanceTimeout === undefined ? {} : { 'max.poll.interval.ms': c.rebalanceTimeout }),
      ...(c.heartbeatInterval === undefined ? {} : { 'heartbeat.interval.ms': c.heartbeatInterval }),
      ...(c.metadataMaxAge === undefined ? {} : { 'metadata.max.age.ms': c.metadataMaxAge }),
      ...(c.maxBytesPerPartition === undefined ? {} : { 'max.partition.fetch.bytes': c.maxBytesPerPartition }),
      ...(c.minBytes === undefined ? {} : { 'fetch.min.bytes': c.minBytes }),
      ...(c.maxBytes === undefined ? {} : { 'fetch.max.bytes': c.maxBytes }),
      ...(c.maxWaitTimeInMs === undefined ? {} : { 'fetch.max.wait.ms': c.maxWaitTimeInMs }),
      ...(c.allowAutoTopicCreation === undefined ? {} : { 'allow.auto.create.topics': c.allowAutoTopicCreation }),
      'isolation.level': c.readUncommitted === true ? 'read_uncommitted' : 'read_committed',
      ...(strategies.length === 0 ? {} : { partitionAssignmentStrategy: strategies }),
      rebalanceListener: {
        onPartitionsAssigned: () => {
          for (const tp of consumer.assignment()) {
            const key = `${tp.topic}\u0000${tp.partition}`;
            const offset = this.pendingSeeks.get(key);
            if (offset !== undefined) {
              this.pendingSeeks.delete(key);
              consumer.seek(tp, offset);
            }
          }
          const memberAssignment: Record<string, number[]> = {};
          for (const tp of consumer.assignment()) (memberAssignment[tp.topic] ??= []).push(tp.partition);
          const m = consumer.membership;
          this.emit(EVENTS.GROUP_JOIN, {
            groupId: c.groupId,
            memberId: m.memberId,
            leaderId: m.isLeader ? m.memberId : '',
            isLeader: m.isLeader,
            memberAssignment,
            groupProtocol: m.protocol,
            duration: 0,
          });
        },
        onPartitionsRevoked: (): void =>
          this.emit(EVENTS.REBALANCING, { groupId: c.groupId, memberId: consumer.membership.memberId }),
      },
    });
    return consumer;
  }

  async run(config: KafkaJSConsumerRunConfig = {}): Promise<void> {
    if (this.running !== undefined) return;
    if (config.eachMessage === undefined && config.eachBatch === undefined) {
      throw new KafkaJSNonRetriableError('Consumer.run requires eachMessage or eachBatch');
    }
    const consumer = this.create(config);
    this.consumer = consumer;
    const names = this.topics.filter((t): t is string => typeof t === 'string');
    const patterns = this.topics.filter((t): t is RegExp => t instanceof RegExp);
    if (patterns.length > 0) {
      const sources = [
        ...patterns.map((p) => p.source),
        ...names.map((n) => `^${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      ];
      consumer.subscribe(new RegExp(sources.map((s) => `(?:${s})`).join('|')));
    } else consumer.subscribe(names);
    const eachMessage = config.eachMessage;
    const eachBatch = config.eachBatch;
    // KafkaJS's run resolves once the consumer is started; processing continues in the background.
    this.running = consumer
      .run({
        ...(config.eachBatchAutoResolve === undefined ? {} : { eachBatchAutoResolve: config.eachBatchAutoResolve }),
        ...(eachMessage === undefined
          ? {}
          : {
              eachMessage: async ({ topic, partition, message }) =>
                eachMessage({
                  topic,
                  partition,
                  message: toKafkaJSMessage(message),
                  heartbeat: async () => {},
                  pause: () => this.pauseOne(topic, partition),
                }),
            }),
        ...(eachBatch === undefined
          ? {}
          : {
              eachBatch: async (payload) => {
                const messages = payload.messages.map(toKafkaJSMessage);
                const high = payload.highWatermark;
                const last = payload.messages[payload.messages.length - 1]?.offset ?? -1n;
                await eachBatch({
                  batch: {
                    topic: payload.topic,
                    partition: payload.partition,
                    highWatermark: high.toString(),
                    messages,
                    isEmpty: () => messages.length === 0,
                    firstOffset: () => messages[0]?.offset ?? null,
                    lastOffset: () => last.toString(),
                    offsetLag: () => (high - 1n - last).toString(),
                    offsetLagLow: () => (high - 1n - (payload.messages[0]?.offset ?? last)).toString(),
                  },
                  resolveOffset: (offset) => payload.resolveOffset(BigInt(offset)),
                  heartbeat: async () => {},
                  pause: () => this.pauseOne(payload.topic, payload.partition),
                  commitOffsetsIfNecessary: () => payload.commitOffsetsIfNecessary(),
                  uncommittedOffsets: () => ({ topics: [] }),
                  isRunning: () => payload.isRunning(),
                  isStale: () => payload.isStale(),
                });
              },
            }),
      })
      .catch((error: unknown) => {
        this.emit(EVENTS.CRASH, { error, groupId: this.config.groupId, restart: false });
      });
  }

  private pauseOne(topic: string, partition: number): () => void {
    this.consumer?.pause([{ topic, partition }]);
    return () => this.consumer?.resume([{ topic, partition }]);
  }

  /** Commits explicit offsets (the next offset to consume, as strings). */
  async commitOffsets(
    offsets: { topic: string; partition: number; offset: string; metadata?: string | null }[],
  ): Promise<void> {
    const consumer = this.requireRunning('commitOffsets');
    await wrap(() =>
      consumer.commitSync(
        offsets.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          offset: BigInt(o.offset),
          metadata: o.metadata ?? null,
        })),
      ),
    );
    this.emit(EVENTS.COMMIT_OFFSETS, { groupId: this.config.groupId, topics: offsets });
  }

  seek(args: { topic: string; partition: number; offset: string }): void {
    const offset = BigInt(args.offset);
    const consumer = this.consumer;
    if (consumer?.assignment().some((tp) => tp.topic === args.topic && tp.partition === args.partition) === true) {
      consumer.seek({ topic: args.topic, partition: args.partition }, offset);
    } else this.pendingSeeks.set(`${args.topic}\u0000${args.partition}`, offset);
  }

  pause(topics: { topic: string; partitions?: number[] }[]): void {
    const consumer = this.requireRunning('pause');
    consumer.pause(this.expand(consumer, topics));
  }

  resume(topics: { topic: string; partitions?: number[] }[]): void {
    const consumer = this.requireRunning('resume');
    consumer.resume(this.expand(consumer, topics));
  }

  paused(): { topic: string; partitions: number[] }[] {
    const byTopic = new Map<string, number[]>();
    for (const tp of this.consumer?.paused() ?? [])
      byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  private expand(
    consumer: Consumer<Buffer, Buffer>,
    topics: { topic: string; partitions?: number[] }[],
  ): TopicPartition[] {
    const assigned = consumer.assignment();
    return topics.flatMap((t) =>
      assigned.filter(
        (tp) => tp.topic === t.topic && (t.partitions === undefined || t.partitions.includes(tp.partition)),
      ),
    );
  }

  private requireRunning(action: string): Consumer<Buffer, Buffer> {
    if (this.consumer === undefined) throw new KafkaJSNonRetriableError(`${action}: the consumer is not running`);
    return this.consumer;
  }

  async describeGroup(): Promise<{
    groupId: string;
    members: { memberId: string }[];
    protocol: string | null;
    state: string;
  }> {
    const m = this.consumer?.membership;
    return {
      groupId: this.config.groupId,
      members: m === undefined ? [] : [{ memberId: m.memberId }],
      protocol: m?.protocol ?? null,
      state: m === undefined ? 'Empty' : 'Stable',
    };
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.running;
    this.running = undefined;
    this.emit(EVENTS.STOP, null);
  }

  async disconnect(): Promise<void> {
    await this.consumer?.close();
    await this.running;
    this.running = undefined;
    this.consumer = undefined;
    this.emit(EVENTS.DISCONNECT, null);
  }
}
