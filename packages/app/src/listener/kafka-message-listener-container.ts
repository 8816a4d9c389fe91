import { EventEmitter } from 'node:events';
import { Consumer, type ConsumerRecord, type Deserializer, type TopicPartition } from '@samsa/client';
import type { CommonErrorHandler, ErrorHandlerContext, FailedRecord } from '../error/common-error-handler.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import { ListenerExecutionFailedException, toError } from '../error/listener-execution-failed-exception.js';
import { DeserializationException, isDeserializationException } from '../serde/deserialization-exception.js';
import { type Logger, stderrLogger } from '../support/logger.js';
import { AckMode } from './ack-mode.js';
import { type AckDecision, createAcknowledgment } from './acknowledgment.js';
import type { ContainerOptions } from './container-options.js';
import { KafkaBackoffException } from './kafka-backoff-exception.js';
import { type ListenerConsumer, listenerConsumer } from './listener-consumer.js';
import type { BatchListener, ListenerContext, RecordListener } from './listener-context.js';
import { batchHeaders, recordHeaders } from './listener-message.js';
import { emptyMetrics, type ListenerMetrics, publishListenerEvent } from './listener-metrics.js';
import { OffsetCommitter } from './offset-committer.js';
import { PartitionPauses } from './partition-pauses.js';
import { replyTo } from './reply-sender.js';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
const identity = ((data: Buffer) => data) as unknown as Deserializer<never>;

type Step = 'next' | 'break';

/**
 * One consumer and the loop around it (Spring's KafkaMessageListenerContainer): poll, hand each
 * record (or the poll's records as a batch) to the listener in partition order, commit as the ack
 * mode says, and route failures through the listener error handler and then the container's
 * error handler.
 *
 * The consumer fetches bytes; deserialization happens here, per record, so that a record that
 * cannot be deserialized becomes a `DeserializationException` for the error handler (and, by
 * default, a dead letter) instead of an error that stops the consumer: what Spring's
 * ErrorHandlingDeserializer achieves.
 *
 * Redelivery is by seek: when a record is to be delivered again, its partition is sought back to
 * it and every other partition with records left in this poll to the first of them, and the rest
 * of the poll is dropped. Records are never handled twice concurrently and never out of order.
 *
 * Events: `started`, `stopped` (with the error that stopped it, if any), `idle`,
 * `partitionsAssigned`, `partitionsRevoked`.
 */
export class KafkaMessageListenerContainer<K = Buffer, V = Buffer> extends EventEmitter {
  readonly id: string;
  readonly groupId: string | null;
  private readonly options: ContainerOptions<K, V>;
  private readonly errorHandler: CommonErrorHandler;
  private readonly logger: Logger;
  private readonly keyDeserializer: Deserializer<K>;
  private readonly valueDeserializer: Deserializer<V>;
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private facade: ListenerConsumer | undefined;
  private committer: OffsetCommitter | undefined;
  private pauses: PartitionPauses | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private abort = new AbortController();
  private wakeSleepers: (() => void)[] = [];
  /** Partitions sought during the current poll's handling: their remaining records are dropped. */
  private readonly sought = new Set<string>();
  private lastRecordsMs = Date.now();
  private lastIdleEventMs = 0;
  /**
   * Pause requests belong to the container, not to one consumer (Spring's pauseRequested and
   * pauseRequestedPartitions): made before start(), they apply once partitions are assigned, and
   * they outlive stop()/start() and rebalances, which replace or re-assign the consumer's state.
   */
  private pauseRequested = false;
  private readonly pauseRequestedPartitions = new Map<string, TopicPartition>();
  private readonly counters = emptyMetrics();
  /** The error that stopped the container, if one did. */
  failure: Error | undefined;

  constructor(options: ContainerOptions<K, V>) {
    super();
    const groupId = options.groupId ?? (options.consumerConfig['group.id'] as string | undefined) ?? options.id;
    this.id = options.id;
    // Explicit partitions need no group, but one named in the consumer config is still the group
    // (the consumer joins it for commits): only the `id` fallback is skipped.
    const named = options.groupId !== undefined || options.consumerConfig['group.id'] !== undefined;
    this.groupId = options.topicPartitions !== undefined && !named ? null : groupId;
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.errorHandler = options.errorHandler ?? new DefaultErrorHandler({ logger: this.logger });
    this.keyDeserializer = options.keyDeserializer ?? identity;
    this.valueDeserializer = options.valueDeserializer ?? identity;
    const sources = [options.topics, options.topicPattern, options.topicPartitions].filter((s) => s !== undefined);
    if (sources.length !== 1) {
      throw new Error(`listener ${options.id}: give exactly one of topics, topicPattern and topicPartitions`);
    }
  }

  /** Topics named by the container (none for a pattern). */
  get topics(): readonly string[] {
    return this.options.topics ?? [...new Set(this.options.topicPartitions?.map((t) => t.topic) ?? [])];
  }

  get isRunning(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  /** Creates the consumer, subscribes (or assigns) and starts the poll loop. */
  async start(): Promise<void> {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.failure = undefined;
    this.abort = new AbortController();
    // The consumer hands over bytes: the container deserializes (so any configured
    // deserializer names are dropped here, in both spellings).
    const {
      'key.deserializer': _kd,
      'value.deserializer': _vd,
      keyDeserializer: _kdc,
      valueDeserializer: _vdc,
      ...config
    } = this.options.consumerConfig;
    const autoCommitSet = config['enable.auto.commit'] !== undefined || config.enableAutoCommit !== undefined;
    const consumer = new Consumer<Buffer, Buffer>({
      ...config,
      ...(this.groupId === null ? {} : { 'group.id': this.groupId }),
      ...(autoCommitSet ? {} : { 'enable.auto.commit': false }),
      ...(this.options.clientIdPrefix === undefined ? {} : { 'client.id': this.options.clientIdPrefix }),
      keyDeserializer: 'buffer',
      valueDeserializer: 'buffer',
      rebalanceListener: {
        onPartitionsAssigned: (partitions) => this.onAssigned(partitions),
        onPartitionsRevoked: (partitions) => this.onRevoked(partitions),
        onPartitionsLost: (partitions) => this.onLost(partitions),
      },
    });
    const autoCommit = consumer.config.enableAutoCommit;
    this.consumer = consumer;
    this.committer = new OffsetCommitter(
      consumer,
      this.options.ackMode ?? AckMode.BATCH,
      this.options.ackCount ?? 1,
      this.options.ackTimeMs ?? 5000,
      !autoCommit && this.groupId !== null,
      this.logger,
    );
    this.pauses = new PartitionPauses(consumer);
    if (this.pauseRequested) this.pauses.pauseAll('container');
    this.pauses.pause([...this.pauseRequestedPartitions.values()], 'partition');
    // Idle time counts from this start, not from construction or an earlier run.
    this.lastRecordsMs = Date.now();
    this.facade = listenerConsumer(consumer, {
      seeked: (tp, offset) => {
        this.sought.add(tpKey(tp));
        this.committer?.capAt(tp, offset);
      },
    });
    await this.subscribe(consumer);
    this.loop = this.run(consumer);
    this.publish('start');
    this.emit('started');
  }

  private async subscribe(consumer: Consumer<Buffer, Buffer>): Promise<void> {
    const { topics, topicPattern, topicPartitions } = this.options;
    if (topics !== undefined) consumer.subscribe(topics);
    else if (topicPattern !== undefined) consumer.subscribe(topicPattern);
    else if (topicPartitions !== undefined) {
      consumer.assign(topicPartitions.map(({ topic, partition }) => ({ topic, partition })));
      const relative = topicPartitions.filter((t) => t.initialOffset !== undefined && BigInt(t.initialOffset) < 0n);
      const ends = relative.length === 0 ? [] : await consumer.endOffsets(relative);
      for (const t of topicPartitions) {
        if (t.initialOffset === undefined) continue;
        const offset = BigInt(t.initialOffset);
        if (offset >= 0n) consumer.seek(t, offset);
        else {
          const end = ends.find((e) => e.topic === t.topic && e.partition === t.partition)?.offset ?? 0n;
          consumer.seek(t, end + offset < 0n ? 0n : end + offset);
        }
      }
    }
  }

  /**
   * Stops polling, lets the record in hand (or the poll in hand, unless `immediateStop`) finish,
   * commits, and closes the consumer (leaving the group). Resolves when all that is done.
   */
  async stop(): Promise<void> {
    if (this.loop === undefined) return;
    this.stopping = true;
    this.abort.abort();
    for (const wake of this.wakeSleepers.splice(0)) wake();
    await this.loop;
  }

  /** Pauses every assigned partition (and those assigned later) until `resume`. */
  pause(): void {
    this.pauseRequested = true;
    this.pauses?.pauseAll('container');
  }

  resume(): void {
    this.pauseRequested = false;
    this.pauses?.resumeAll('container');
  }

  pausePartition(tp: TopicPartition): void {
    this.pauseRequestedPartitions.set(tpKey(tp), { topic: tp.topic, partition: tp.partition });
    this.pauses?.pause([tp], 'partition');
  }

  resumePartition(tp: TopicPartition): void {
    this.pauseRequestedPartitions.delete(tpKey(tp));
    this.pauses?.resume([tp], 'partition');
  }

  get isPauseRequested(): boolean {
    return this.pauseRequested;
  }

  assignment(): TopicPartition[] {
    return this.consumer?.assignment() ?? [];
  }

  metrics(): ListenerMetrics {
    let lag = 0;
    if (this.consumer !== undefined && !this.stopping) {
      for (const tp of this.consumer.assignment()) lag += Number(this.consumer.currentLag(tp) ?? 0n);
    }
    return { ...this.counters, commits: this.committer?.commits ?? 0, lag };
  }

  // ---- the loop ----

  private async run(consumer: Consumer<Buffer, Buffer>): Promise<void> {
    try {
      while (!this.stopping) {
        let records: ConsumerRecord<Buffer, Buffer>[];
        try {
          records = await consumer.poll({ timeoutMs: this.options.pollTimeoutMs ?? 5000, signal: this.abort.signal });
        } catch (error) {
          if (this.stopping) break;
          throw error;
        }
        this.sought.clear();
        this.seekTargets.clear();
        if (records.length === 0) {
          this.maybeIdle();
          await this.committer?.afterPoll();
          continue;
        }
        this.lastRecordsMs = Date.now();
        if (this.options.batch === true) await this.handleBatch(records);
        else await this.handleRecords(records);
        await this.committer?.afterPoll();
      }
    } catch (error) {
      this.failure = toError(error);
      this.logger.error(`listener container ${this.id} stopped by an error`, { error: this.failure });
    } finally {
      this.stopping = true;
      this.pauses?.clear();
      try {
        await this.committer?.commit();
        await consumer.close();
      } catch (error) {
        this.logger.warn(`listener container ${this.id}: closing the consumer failed`, { error });
      }
      this.loop = undefined;
      this.publish('stop', this.failure === undefined ? {} : { error: this.failure });
      this.emit('stopped', this.failure);
    }
  }

  private maybeIdle(): void {
    const interval = this.options.idleEventIntervalMs;
    if (interval === undefined) return;
    const now = Date.now();
    const idleMs = now - this.lastRecordsMs;
    if (idleMs >= interval && now - this.lastIdleEventMs >= interval) {
      this.lastIdleEventMs = now;
      this.publish('idle');
      this.emit('idle', { listenerId: this.id, idleTimeMs: idleMs });
    }
  }

  private async handleRecords(records: ConsumerRecord<Buffer, Buffer>[]): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const raw = records[i] as ConsumerRecord<Buffer, Buffer>;
      if (this.sought.has(tpKey(raw))) continue;
      if (this.stopping && this.options.immediateStop === true) {
        this.seekRemaining(records, i);
        return;
      }
      if ((await this.handleRecord(raw, records, i)) === 'break') return;
      await this.committer?.afterRecord();
    }
  }

  private async handleRecord(
    raw: ConsumerRecord<Buffer, Buffer>,
    records: ConsumerRecord<Buffer, Buffer>[],
    index: number,
  ): Promise<Step> {
    let record: ConsumerRecord<K, V>;
    try {
      record = this.deserialize(raw);
    } catch (error) {
      return this.recordFailed(toError(error), { raw, record: undefined }, records, index);
    }
    const deliveryAttempt = this.errorHandler.deliveryAttempt(raw);
    const { ctx, decision } = this.context(
      recordHeaders(record, this.groupId, deliveryAttempt),
      [raw],
      deliveryAttempt,
    );
    try {
      const result = await (this.options.listener as RecordListener<K, V>)(record, ctx);
      await this.reply(record, result);
    } catch (thrown) {
      const error = toError(thrown);
      if (error instanceof KafkaBackoffException) return this.backOff(error, raw);
      const handled = await this.listenerErrorHandler(error, record.value, ctx);
      if (handled.error !== undefined) return this.recordFailed(handled.error, { raw, record }, records, index);
      await this.reply(record, handled.result);
    }
    this.errorHandler.clear?.(raw);
    this.counters.records++;
    this.publish('record', { topic: raw.topic, partition: raw.partition, offset: raw.offset });
    if (decision.nack !== undefined) {
      this.seekRemaining(records, index);
      this.pauses?.pauseAllFor(decision.nack.sleepMs);
      return 'break';
    }
    if (!this.sought.has(tpKey(raw)) && this.committer?.isManual !== true) this.committer?.ack(raw);
    return 'next';
  }

  /**
   * Spring's KafkaListenerErrorHandler: `result` when it handled the error (sent on like a
   * listener's result), else the `error` the container's error handler gets.
   */
  private async listenerErrorHandler(
    error: Error,
    payload: unknown,
    ctx: ListenerContext,
  ): Promise<{ error?: Error; result?: unknown }> {
    const wrapped = new ListenerExecutionFailedException(
      `Listener ${this.id} threw: ${error.message}`,
      this.groupId,
      error,
    );
    const handler = this.options.listenerErrorHandler;
    if (handler === undefined) return { error: wrapped };
    try {
      return { result: await handler({ payload, headers: ctx.headers }, error, ctx.consumer) };
    } catch (thrown) {
      const again = toError(thrown);
      return {
        error: again === error ? wrapped : new ListenerExecutionFailedException(again.message, this.groupId, again),
      };
    }
  }

  private async recordFailed(
    error: Error,
    failed: FailedRecord,
    records: ConsumerRecord<Buffer, Buffer>[],
    index: number,
  ): Promise<Step> {
    const raw = failed.raw;
    this.counters.failures++;
    this.publish('failure', { topic: raw.topic, partition: raw.partition, offset: raw.offset, error });
    const decision = await this.errorHandler.handleRecord(error, failed, this.errorHandlerContext());
    if (decision === 'recovered') {
      this.counters.recovered++;
      this.publish('recovered', { topic: raw.topic, partition: raw.partition, offset: raw.offset });
      if (!this.sought.has(tpKey(raw))) this.committer?.ack(raw);
      return 'next';
    }
    this.counters.retries++;
    this.publish('retry', { topic: raw.topic, partition: raw.partition, offset: raw.offset });
    this.seekRemaining(records, index);
    return 'break';
  }

  private backOff(error: KafkaBackoffException, raw: ConsumerRecord<Buffer, Buffer>): Step {
    this.consumer?.seek(raw, raw.offset);
    this.sought.add(tpKey(raw));
    this.pauses?.pauseUntil(raw, error.dueTimestampMs);
    return 'next';
  }

  // ---- batches ----

  private async handleBatch(raws: ConsumerRecord<Buffer, Buffer>[]): Promise<void> {
    const handled: ConsumerRecord<Buffer, Buffer>[] = [];
    const good: { raw: ConsumerRecord<Buffer, Buffer>; record: ConsumerRecord<K, V> }[] = [];
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i] as ConsumerRecord<Buffer, Buffer>;
      try {
        good.push({ raw, record: this.deserialize(raw) });
      } catch (thrown) {
        const error = toError(thrown);
        this.counters.failures++;
        const decision = await this.errorHandler.handleRecord(
          error,
          { raw, record: undefined },
          this.errorHandlerContext(),
        );
        if (decision === 'recovered') {
          this.counters.recovered++;
          handled.push(raw);
          continue;
        }
        this.counters.retries++;
        // Deliver what came before now; this record and the rest come again with the next poll.
        this.seekRemaining(raws, i);
        break;
      }
    }
    if (good.length === 0) {
      this.ackUnlessSought(handled);
      return;
    }
    const records = good.map((g) => g.record);
    const first = good[0] as (typeof good)[number];
    const deliveryAttempt = this.errorHandler.deliveryAttempt(first.raw);
    const { ctx, decision } = this.context(
      batchHeaders(records, this.groupId),
      good.map((g) => g.raw),
      deliveryAttempt,
    );
    try {
      await (this.options.listener as BatchListener<K, V>)(records, ctx);
    } catch (thrown) {
      const outcome = await this.listenerErrorHandler(
        toError(thrown),
        records.map((r) => r.value),
        ctx,
      );
      if (outcome.error === undefined) {
        await this.reply(first.record, outcome.result);
      } else {
        this.counters.failures++;
        const batchDecision = await this.errorHandler.handleBatch(outcome.error, good, this.errorHandlerContext());
        const goodRaws = good.map((g) => g.raw);
        const from = batchDecision.decision === 'retry' ? batchDecision.index : batchDecision.index + 1;
        if (batchDecision.decision === 'retry') this.counters.retries++;
        else this.counters.recovered += batchDecision.index + 1;
        this.seekRemaining(goodRaws, from);
        this.ackUnlessSought([...handled, ...goodRaws.slice(0, Math.max(from, 0))]);
        return;
      }
    }
    this.counters.records += good.length;
    this.counters.batches++;
    this.publish('batch', { count: good.length });
    const goodRaws = good.map((g) => g.raw);
    if (decision.nack !== undefined) {
      this.seekRemaining(goodRaws, decision.nack.index);
      this.ackUnlessSought([...handled, ...goodRaws.slice(0, decision.nack.index)]);
      this.pauses?.pauseAllFor(decision.nack.sleepMs);
      return;
    }
    if (this.committer?.isManual === true) this.ackUnlessSought(handled);
    else this.ackUnlessSought([...handled, ...goodRaws]);
  }

  /** Acks records, except those at or after a seek in their partition (they come again). */
  private ackUnlessSought(records: readonly ConsumerRecord<Buffer, Buffer>[]): void {
    const committer = this.committer;
    if (committer === undefined) return;
    for (const r of records) {
      const k = tpKey(r);
      const target = this.seekTargets.get(k);
      if (this.sought.has(k) && (target === undefined || r.offset >= target)) continue;
      committer.ack(r);
    }
  }

  // ---- shared ----

  /** Offsets this poll's handling sought partitions to (undefined for seeks to beginning/end). */
  private readonly seekTargets = new Map<string, bigint>();

  /** Seeks each partition with records from `from` on to its first such record; they come again. */
  private seekRemaining(records: readonly ConsumerRecord<Buffer, Buffer>[], from: number): void {
    for (let i = Math.max(from, 0); i < records.length; i++) {
      const r = records[i] as ConsumerRecord<Buffer, Buffer>;
      const k = tpKey(r);
      if (this.sought.has(k)) continue;
      this.sought.add(k);
      this.seekTargets.set(k, r.offset);
      this.consumer?.seek(r, r.offset);
      this.committer?.capAt(r, r.offset);
    }
  }

  /**
   * Any deserializer failure becomes a DeserializationException carrying the bytes, which error
   * handlers classify as not retryable: a poison record goes to the recoverer at once.
   */
  private deserialize(raw: ConsumerRecord<Buffer, Buffer>): ConsumerRecord<K, V> {
    const read = <T>(deserializer: Deserializer<T>, data: Buffer | null, isKey: boolean): T | null => {
      if (data === null) return null;
      try {
        return deserializer(data, raw.topic, raw.headers);
      } catch (error) {
        if (isDeserializationException(error)) throw error;
        const what = `${isKey ? 'key' : 'value'} of ${raw.topic}-${raw.partition}@${raw.offset}`;
        throw new DeserializationException(
          `failed to deserialize the ${what}: ${toError(error).message}`,
          data,
          isKey,
          error,
          {
            topic: raw.topic,
            headers: raw.headers,
          },
        );
      }
    };
    return {
      ...raw,
      key: read(this.keyDeserializer, raw.key, true),
      value: read(this.valueDeserializer, raw.value, false),
    };
  }

  private context(
    headers: Record<string, unknown> | Readonly<Record<string, unknown>>,
    raws: readonly ConsumerRecord<Buffer, Buffer>[],
    deliveryAttempt: number,
  ): { ctx: ListenerContext; decision: AckDecision } {
    const committer = this.committer;
    const manual = committer?.isManual === true;
    const { acknowledgment, decision } = createAcknowledgment(raws.length, () => {
      for (const r of raws) committer?.ack(r);
      if (committer?.isImmediate === true) void committer.commit();
    });
    const ctx: ListenerContext = {
      listenerId: this.id,
      groupId: this.groupId,
      headers,
      deliveryAttempt,
      acknowledgment: manual ? acknowledgment : undefined,
      consumer: this.facade as ListenerConsumer,
    };
    if (!manual) decision.nack = undefined;
    return { ctx, decision };
  }

  private async reply(record: ConsumerRecord<K, V>, result: unknown): Promise<void> {
    if (result === undefined || result === null || this.options.sendTo === undefined) return;
    const publisher = this.options.replyPublisher;
    if (publisher === undefined) throw new Error(`listener ${this.id} has sendTo but no reply publisher`);
    await replyTo(publisher, this.options.sendTo, record, result);
  }

  private errorHandlerContext(): ErrorHandlerContext {
    return {
      listenerId: this.id,
      groupId: this.groupId,
      consumer: this.facade as ListenerConsumer,
      isStopping: () => this.stopping,
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          if (this.stopping) return resolve();
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.wakeSleepers.push(done);
        }),
    };
  }

  private async onAssigned(partitions: TopicPartition[]): Promise<void> {
    // A revocation forgot the partitions' pauses; the requested ones hold again when they come back.
    this.pauses?.pause(
      partitions.filter((tp) => this.pauseRequestedPartitions.has(tpKey(tp))),
      'partition',
    );
    this.pauses?.applyTo(partitions);
    this.publish('assigned', { count: partitions.length });
    this.emit('partitionsAssigned', partitions);
    await this.options.rebalanceListener?.onPartitionsAssigned?.(partitions);
  }

  private async onRevoked(partitions: TopicPartition[]): Promise<void> {
    await this.committer?.commit(partitions);
    this.committer?.drop(partitions);
    this.pauses?.forget(partitions);
    this.publish('revoked', { count: partitions.length });
    this.emit('partitionsRevoked', partitions);
    await this.options.rebalanceListener?.onPartitionsRevoked?.(partitions);
  }

  private async onLost(partitions: TopicPartition[]): Promise<void> {
    this.committer?.drop(partitions);
    this.pauses?.forget(partitions);
    this.emit('partitionsRevoked', partitions);
    await (this.options.rebalanceListener?.onPartitionsLost ?? this.options.rebalanceListener?.onPartitionsRevoked)?.(
      partitions,
    );
  }

  private publish(
    event: string,
    fields: { topic?: string; partition?: number; offset?: bigint; count?: number; error?: Error } = {},
  ): void {
    publishListenerEvent({ listenerId: this.id, groupId: this.groupId, event, ...fields });
  }
}
