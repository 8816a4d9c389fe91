import { EventEmitter } from 'node:events';
import { Consumer, type ConsumerRecord, type TopicPartition } from '@samsa/client';
import type { CommonErrorHandler } from '../error/common-error-handler.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import { toError } from '../error/listener-execution-failed-exception.js';
import { type Logger, stderrLogger } from '../support/logger.js';
import { AckMode } from './ack-mode.js';
import { BatchInvoker } from './batch-invoker.js';
import type { ContainerOptions } from './container-options.js';
import { listenerConsumer } from './listener-consumer.js';
import type { InvokerHost, ListenerInvoker } from './listener-invoker.js';
import {
  emptyMetrics,
  type ListenerEventFields,
  type ListenerMetrics,
  publishListenerEvent,
} from './listener-metrics.js';
import { OffsetCommitter } from './offset-committer.js';
import { PartitionPauses } from './partition-pauses.js';
import { isRetriablePollError, PollBackOff, Sleeps } from './poll-errors.js';
import { PollSeeks } from './poll-seeks.js';
import { RecordInvoker } from './record-invoker.js';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * One consumer and the loop around it (Spring's KafkaMessageListenerContainer): poll, hand each
 * record (or the poll's records as a batch) to the listener in partition order, commit as the ack
 * mode says, and route failures through the listener error handler and then the container's
 * error handler.
 *
 * This class owns the lifecycle (start, stop, the consumer's settings and subscription), the poll
 * loop, pause requests, rebalance callbacks, idle events and metrics. Each start makes a run: a
 * consumer with its own OffsetCommitter, PartitionPauses and PollSeeks, and an invoker
 * (RecordInvoker or BatchInvoker, on ListenerInvoker) that hands each poll's records to the
 * listener, deserializing them one by one so that a record that cannot be deserialized goes to
 * the error handler instead of stopping the consumer.
 *
 * Redelivery is by seek (PollSeeks): a record to be delivered again has its partition sought
 * back to it, every other partition with records left in this poll to the first of them, and
 * the rest of the poll dropped. Records are never handled twice concurrently nor out of order:
 * the loop alone calls the invoker, and awaits each poll's handling before the next poll.
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
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private committer: OffsetCommitter | undefined;
  private pauses: PartitionPauses | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private abort = new AbortController();
  private readonly sleeps = new Sleeps();
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
    const committer = new OffsetCommitter(
      consumer,
      this.options.ackMode ?? AckMode.BATCH,
      this.options.ackCount ?? 1,
      this.options.ackTimeMs ?? 5000,
      !autoCommit && this.groupId !== null,
      this.logger,
      (count) => this.publish('commit', { count }),
    );
    this.committer = committer;
    const pauses = new PartitionPauses(consumer);
    this.pauses = pauses;
    if (this.pauseRequested) pauses.pauseAll('container');
    pauses.pause([...this.pauseRequestedPartitions.values()], 'partition');
    // Idle time counts from this start, not from construction or an earlier run.
    this.lastRecordsMs = Date.now();
    const seeks = new PollSeeks(consumer, committer);
    const invoker = this.invokerFor({
      listenerId: this.id,
      groupId: this.groupId,
      settings: this.options,
      errorHandler: this.errorHandler,
      counters: this.counters,
      consumer: listenerConsumer(consumer, seeks),
      committer,
      pauses,
      seeks,
      isStopping: () => this.stopping,
      sleep: (ms) => this.sleeps.sleep(ms, this.stopping),
      publish: (event, fields) => this.publish(event, fields),
    });
    await this.subscribe(consumer);
    this.loop = this.run(consumer, seeks, invoker);
    this.publish('start');
    this.emit('started');
  }

  private invokerFor(host: InvokerHost<K, V>): ListenerInvoker<K, V> {
    const options = this.options;
    return options.batch === true
      ? new BatchInvoker(host, options.listener)
      : new RecordInvoker(host, options.listener);
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
    this.sleeps.wakeAll();
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

  /**
   * Polls until stopped. A retriable poll error is logged and polling goes on after a back-off.
   * Any other error ends the loop; one while a poll's records are in hand (an error handler that
   * throws, e.g. ContainerStoppedException) first seeks each partition back to its first record
   * not handled, so that neither the final commit nor an auto-commit on close passes it.
   */
  private async run(
    consumer: Consumer<Buffer, Buffer>,
    seeks: PollSeeks,
    invoker: ListenerInvoker<K, V>,
  ): Promise<void> {
    let inHand: ConsumerRecord<Buffer, Buffer>[] = [];
    const backOff = new PollBackOff();
    try {
      while (!this.stopping) {
        let records: ConsumerRecord<Buffer, Buffer>[];
        try {
          records = await consumer.poll({ timeoutMs: this.options.pollTimeoutMs ?? 5000, signal: this.abort.signal });
        } catch (error) {
          if (this.stopping) break;
          if (!isRetriablePollError(error)) throw error;
          const waitMs = backOff.next();
          this.logger.warn(`listener container ${this.id}: poll failed; polling again in ${waitMs} ms`, { error });
          await this.sleeps.sleep(waitMs, this.stopping);
          continue;
        }
        backOff.reset();
        seeks.clear();
        if (records.length === 0) {
          this.maybeIdle();
          await this.committer?.afterPoll();
          continue;
        }
        this.lastRecordsMs = Date.now();
        inHand = records;
        await invoker.invoke(records);
        inHand = [];
        await this.committer?.afterPoll();
      }
    } catch (error) {
      this.failure = toError(error);
      this.logger.error(`listener container ${this.id} stopped by an error`, { error: this.failure });
      try {
        seeks.seekUnhandled(inHand);
      } catch (error) {
        this.logger.warn(`listener container ${this.id}: seeking back to unhandled records failed`, { error });
      }
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

  private publish(event: string, fields: ListenerEventFields = {}): void {
    publishListenerEvent({ listenerId: this.id, groupId: this.groupId, event, ...fields });
  }
}
