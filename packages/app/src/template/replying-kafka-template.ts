import { setTimeout as delay } from 'node:timers/promises';
import { debuglog } from 'node:util';
import {
  ClientError,
  ClientErrorCode,
  Consumer,
  type ConsumerOptions,
  type ConsumerRecord,
  type HeadersInput,
  type Producer,
  type ProducerOptions,
  type ProducerRecord,
  type TopicPartition,
} from '@samsa/client';
import { KafkaHeaders } from '../support/kafka-headers.js';
import { correlationKeyOf, newCorrelationId } from './correlation-key.js';
import { KafkaTemplate, type KafkaTemplateOptions } from './kafka-template.js';
import { RequestReplyFuture } from './request-reply-future.js';

/** Where the template reports: unknown or late replies at 'debug', reply-consumer failures at 'error'. */
export type ReplyLog = (level: 'debug' | 'error', message: string, error?: unknown) => void;

export interface ReplyingKafkaTemplateOptions<K, V, R> extends KafkaTemplateOptions<K, V> {
  readonly replyTopic: string;
  /** The reply consumer's config (Kafka's dotted names, with `bootstrap.servers` and the deserializers of R); no `group.id` needed. */
  readonly replyConsumerConfig: ConsumerOptions<K, R>;
  /** Read only this partition of the reply topic and ask for it with `kafka_replyPartition`. */
  readonly replyPartition?: number;
  /** Spring's default: 5 seconds. */
  readonly defaultReplyTimeoutMs?: number;
  /** `NODE_DEBUG=samsa-app` shows debug lines by default; errors go to console.error. */
  readonly log?: ReplyLog;
}

export interface SendAndReceiveOptions {
  readonly timeoutMs?: number;
}

type HeaderEntry = { readonly key: string; readonly value: string | Uint8Array | null };

interface ReplyContainer<K, R> {
  readonly consumer: Consumer<K, R>;
  readonly partitions: readonly TopicPartition[];
  readonly abort: AbortController;
  loop: Promise<void>;
}

const debug = debuglog('samsa-app');
const defaultLog: ReplyLog = (level, message, error) => {
  if (level === 'error') console.error(message, error ?? '');
  else debug('%s', message);
};

function headerList(input: HeadersInput | undefined): HeaderEntry[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return [...(input as readonly HeaderEntry[])];
  return Object.entries(input as Record<string, string | Uint8Array | null | undefined>)
    .filter((entry): entry is [string, string | Uint8Array | null] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, value }));
}

function lastHeader<H extends { readonly key: string }>(headers: readonly H[], key: string): H | undefined {
  return headers.findLast((h) => h.key === key);
}

/**
 * Spring's `ReplyingKafkaTemplate`: `sendAndReceive` sends a request carrying `kafka_replyTopic`
 * and `kafka_correlationId` (16 random bytes) headers — kept if the record has them — and
 * resolves with the record that comes back on the reply topic with the same correlation id.
 *
 * The reply container is a Consumer with every partition of the reply topic manually assigned
 * (or `replyPartition` alone), positioned at the end by `start()`, before any request is sent.
 * Spring uses a group instead, but a group adds nothing here and costs a race: a reply written
 * before the group's assignment (and its `latest` reset) completes is skipped, so the first
 * requests would time out; and instances sharing a reply topic would need a group each anyway,
 * or each would miss the replies the group hands to the others. Assigning all partitions is what
 * a group of one would get, with no rebalance and nothing to commit. Cost: partitions added to
 * the reply topic after `start()` are not read.
 *
 * Spring's `sharedReplyTopic` only chooses the log level of replies matching no pending request
 * (other instances' replies on a shared topic, or replies after a timeout); here those are always
 * counted (`lateReplyCount`) and logged at debug, so the flag has no use. Spring's check of
 * deserialization-failure headers on replies is not done: a reply is delivered as received.
 *
 * `start()` runs on the first `sendAndReceive` (Spring's auto-startup); `stop()` rejects the
 * requests still waiting; `close()` stops and closes the producers.
 */
export class ReplyingKafkaTemplate<K = unknown, V = unknown, R = unknown> extends KafkaTemplate<K, V> {
  readonly replyTopic: string;
  readonly replyPartition: number | undefined;
  defaultReplyTimeoutMs: number;
  private readonly replyConsumerConfig: ConsumerOptions<K, R>;
  private readonly log: ReplyLog;
  /** Waiting requests by correlation key; an entry leaves when its future settles. */
  private readonly pending = new Map<string, RequestReplyFuture<K, R>>();
  private starting: Promise<ReplyContainer<K, R>> | undefined;
  private lateReplies = 0;

  constructor(producer: ProducerOptions<K, V> | Producer<K, V>, options: ReplyingKafkaTemplateOptions<K, V, R>) {
    super(producer, options);
    this.replyTopic = options.replyTopic;
    this.replyPartition = options.replyPartition;
    this.replyConsumerConfig = options.replyConsumerConfig;
    this.defaultReplyTimeoutMs = options.defaultReplyTimeoutMs ?? 5000;
    this.log = options.log ?? defaultLog;
  }

  /** Requests waiting for a reply. */
  get pendingReplyCount(): number {
    return this.pending.size;
  }

  /** Replies that matched no waiting request (late ones, or another requester's on a shared topic); dropped. */
  get lateReplyCount(): number {
    return this.lateReplies;
  }

  isRunning(): boolean {
    return this.starting !== undefined;
  }

  /** The reply partitions read (empty until started). */
  async assignedReplyTopicPartitions(): Promise<readonly TopicPartition[]> {
    const container = await this.starting?.catch(() => undefined);
    return container?.partitions ?? [];
  }

  /** Assigns the reply partitions and resolves their end offsets; resolves when replies can be received. */
  start(): Promise<void> {
    this.starting ??= this.startContainer().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting.then(() => {});
  }

  private async startContainer(): Promise<ReplyContainer<K, R>> {
    const consumer = new Consumer<K, R>(this.replyConsumerConfig);
    let partitions: TopicPartition[];
    try {
      const numbers =
        this.replyPartition !== undefined
          ? [this.replyPartition]
          : (await this.partitionsFor(this.replyTopic)).map((p) => p.partition);
      partitions = numbers.map((partition) => ({ topic: this.replyTopic, partition }));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // seekToEnd is lazy: resolved at the next poll, which may come after a fast reply was
      // written, and the end found then would be past that reply. Resolving it now, before any
      // request goes out, puts every reply to a later request at or after the position.
      for (const tp of partitions) await consumer.position(tp);
    } catch (error) {
      await consumer.close();
      throw error;
    }
    const container: ReplyContainer<K, R> = {
      consumer,
      partitions,
      abort: new AbortController(),
      loop: Promise.resolve(),
    };
    container.loop = this.pollReplies(container);
    return container;
  }

  private async pollReplies({ consumer, abort }: ReplyContainer<K, R>): Promise<void> {
    while (!abort.signal.aborted) {
      let records: ConsumerRecord<K, R>[];
      try {
        records = await consumer.poll({ timeoutMs: 1000, signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) return;
        this.log('error', `reply consumer of ${this.replyTopic} failed; polling again`, error);
        await delay(100, undefined, { signal: abort.signal }).catch(() => {});
        continue;
      }
      for (const record of records) this.onReply(record);
    }
  }

  private onReply(record: ConsumerRecord<K, R>): void {
    const where = `${record.topic}-${record.partition}@${record.offset}`;
    const id = lastHeader(record.headers, KafkaHeaders.CORRELATION_ID)?.value;
    if (id === undefined || id === null) {
      this.log('error', `No correlationId found in reply ${where}; dropped`);
      return;
    }
    const key = correlationKeyOf(id);
    const future = this.pending.get(key);
    if (future === undefined) {
      this.lateReplies++;
      this.log(
        'debug',
        `Reply ${where} for correlationId ${key} matches no waiting request (late, or another requester's); dropped`,
      );
      return;
    }
    this.pending.delete(key);
    future.complete(record);
  }

  /**
   * Sends `record` as a request and resolves with its reply, or rejects with
   * `KafkaReplyTimeoutException` after `timeoutMs` (`defaultReplyTimeoutMs`), or with the send's error.
   */
  async sendAndReceive(
    record: ProducerRecord<K, V>,
    options: SendAndReceiveOptions = {},
  ): Promise<ConsumerRecord<K, R>> {
    await this.start();
    const headers = headerList(record.headers);
    let id = lastHeader(headers, KafkaHeaders.CORRELATION_ID)?.value;
    if (id === undefined || id === null) {
      id = newCorrelationId();
      headers.push({ key: KafkaHeaders.CORRELATION_ID, value: id });
    }
    if (lastHeader(headers, KafkaHeaders.REPLY_TOPIC) === undefined) {
      headers.push({ key: KafkaHeaders.REPLY_TOPIC, value: Buffer.from(this.replyTopic, 'utf8') });
    }
    if (this.replyPartition !== undefined && lastHeader(headers, KafkaHeaders.REPLY_PARTITION) === undefined) {
      // Spring writes the partition as a 4-byte big-endian int.
      const partition = Buffer.alloc(4);
      partition.writeInt32BE(this.replyPartition);
      headers.push({ key: KafkaHeaders.REPLY_PARTITION, value: partition });
    }
    const key = correlationKeyOf(typeof id === 'string' ? Buffer.from(id, 'utf8') : id);
    if (this.pending.has(key)) {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, `correlationId ${key} is already used by a waiting request`);
    }
    const future = new RequestReplyFuture<K, R>(options.timeoutMs ?? this.defaultReplyTimeoutMs, () =>
      this.forget(key, future),
    );
    this.pending.set(key, future);
    try {
      this.send({ ...record, headers }).catch((error: Error) => {
        this.forget(key, future);
        future.fail(error);
      });
    } catch (error) {
      this.forget(key, future);
      future.fail(error as Error);
    }
    return future.promise;
  }

  /** Removes the entry only if it is still this request's: a timed-out id may have been reused since. */
  private forget(key: string, future: RequestReplyFuture<K, R>): void {
    if (this.pending.get(key) === future) this.pending.delete(key);
  }

  /** Stops the reply consumer; waiting requests are rejected (no reply can reach them any more). */
  async stop(): Promise<void> {
    const starting = this.starting;
    if (starting === undefined) return;
    this.starting = undefined;
    const container = await starting.catch(() => undefined);
    if (container !== undefined) {
      container.abort.abort();
      await container.loop;
      await container.consumer.close();
    }
    const error = new ClientError(ClientErrorCode.CLOSED, 'ReplyingKafkaTemplate stopped before the reply came');
    for (const future of this.pending.values()) future.fail(error);
    this.pending.clear();
  }

  override async close(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.stop();
    await super.close(options);
  }
}
