import { type TopicPartition, tpKey } from '../common/topic-partition.js';
import { ClientError, ClientErrorCode } from '../errors/client-errors.js';
import type { ConsumerRecord } from './consumer-record.js';
import type { SubscriptionState } from './subscription-state.js';

/** What `eachBatch` receives: one partition's records from one poll, in offset order. */
export interface EachBatchPayload<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumerRecord<K, V>[];
  readonly highWatermark: bigint;
  /** Marks records up to `offset` as processed (the commit will be `offset + 1`). */
  resolveOffset(offset: bigint): void;
  /** True while the partition is still assigned and not moved by a seek. */
  isRunning(): boolean;
  isStale(): boolean;
  /** Pauses this partition (its unprocessed records are fetched again on resume). */
  pause(): void;
  commitOffsetsIfNecessary(): Promise<void>;
}

export interface EachMessagePayload<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly message: ConsumerRecord<K, V>;
}

export interface RunOptions<K, V> {
  eachMessage?(payload: EachMessagePayload<K, V>): Promise<void> | void;
  eachBatch?(payload: EachBatchPayload<K, V>): Promise<void> | void;
  /** With eachBatch: mark the whole batch processed when the handler returns (default true). */
  readonly eachBatchAutoResolve?: boolean;
  /** Stops the loop (as `stop()` does). */
  readonly signal?: AbortSignal;
  /** Overrides `enable.auto.commit` for this run (KafkaJS's `autoCommit`). */
  readonly autoCommit?: boolean;
  /** Overrides `auto.commit.interval.ms` for this run. */
  readonly autoCommitIntervalMs?: number;
}

/**
 * What the runner needs from its consumer. The consumer owns the partition states, the poll and
 * the stop flag; the runner only drives handlers over what a poll returns.
 */
export interface ConsumerRunnerHost<K, V> {
  readonly subscriptions: SubscriptionState;
  /** Throws if the consumer is closed. */
  checkOpen(): void;
  /** A run starts: a previous `stop()` no longer applies, and records count as processed one by one. */
  startRun(): void;
  /** Applies a run's auto-commit overrides; throws if they need a group the consumer has not. */
  overrideAutoCommit(autoCommit: boolean | undefined, intervalMs: number | undefined): void;
  /** One poll of up to `max.poll.records`, waiting up to a second. */
  poll(): Promise<ConsumerRecord<K, V>[]>;
  /** `stop()` was called or the consumer closed. */
  stopping(): boolean;
  /** What the run's signal does: stop after the current handler. */
  requestStop(): void;
  /** Bumped by every seek of the partition, so a run knows to drop the rest of a batch. */
  seekGeneration(key: string): number;
  markProcessed(record: ConsumerRecord<unknown, unknown>): void;
  /** Drops fetched data of the partition (its position moved). */
  invalidate(topic: string, partition: number): void;
  pause(partitions: readonly TopicPartition[]): void;
  /** `commitOffsetsIfNecessary`: commits the partition's processed offset if auto-commit is on. */
  commitIfAutoCommit(partition: TopicPartition): Promise<void>;
}

/**
 * KafkaJS's runner on a consumer: `run({ eachMessage | eachBatch })` polls and hands records to
 * the handler; a record counts as processed when its handler resolves. A handler error stops the
 * run (rejecting it) and seeks the partition back to the failed record so it is delivered again;
 * a pause, a seek or a stop mid-batch rewinds what was not handled.
 *
 * One run at a time per consumer. `stop()` from inside a handler must not wait for the run (it
 * would wait for itself), hence `inHandler`.
 */
export class ConsumerRunner<K, V> {
  private running = false;
  /** Handlers currently executing. */
  private handlerDepth = 0;

  constructor(private readonly host: ConsumerRunnerHost<K, V>) {}

  get isRunning(): boolean {
    return this.running;
  }

  get inHandler(): boolean {
    return this.handlerDepth > 0;
  }

  /**
   * Runs handlers until `stop()`, `close()` or the signal. Resolves when stopped; rejects with
   * a handler's error (after seeking its partition back to the failed record).
   */
  async run(options: RunOptions<K, V>): Promise<void> {
    this.host.checkOpen();
    if (options.eachMessage === undefined && options.eachBatch === undefined) {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'run needs eachMessage or eachBatch');
    }
    if (this.running) throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'the consumer is already running');
    this.running = true;
    this.host.startRun();
    try {
      this.host.overrideAutoCommit(options.autoCommit, options.autoCommitIntervalMs);
    } catch (error) {
      this.running = false;
      throw error;
    }
    const onAbort = () => this.host.requestStop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!this.host.stopping() && options.signal?.aborted !== true) {
        const records = await this.host.poll();
        if (records.length === 0) continue;
        if (options.eachBatch !== undefined) await this.runBatches(records, options);
        else await this.runMessages(records, options);
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.running = false;
    }
  }

  private async runMessages(records: ConsumerRecord<K, V>[], options: RunOptions<K, V>): Promise<void> {
    const host = this.host;
    const handler = options.eachMessage as NonNullable<RunOptions<K, V>['eachMessage']>;
    const skip = new Set<string>();
    const generations = new Map<string, number>();
    for (const record of records) {
      const key = tpKey(record.topic, record.partition);
      if (skip.has(key)) continue;
      if (!generations.has(key)) generations.set(key, host.seekGeneration(key));
      const state = host.subscriptions.state(record.topic, record.partition);
      if (state === undefined || state.paused || host.seekGeneration(key) !== generations.get(key)) {
        skip.add(key);
        if (state?.paused === true) this.rewind(record);
        continue;
      }
      this.handlerDepth++;
      try {
        await handler({ topic: record.topic, partition: record.partition, message: record });
      } catch (error) {
        this.rewind(record);
        throw error;
      } finally {
        this.handlerDepth--;
      }
      if (host.seekGeneration(key) === generations.get(key)) host.markProcessed(record);
      if (host.stopping()) {
        this.rewindRest(records, record);
        return;
      }
    }
  }

  /** Seeks a partition back so `record` is fetched again (handler error, pause or stop mid-batch). */
  private rewind(record: ConsumerRecord<unknown, unknown>): void {
    const s = this.host.subscriptions.state(record.topic, record.partition);
    if (s === undefined) return;
    s.seek(record.offset, record.leaderEpoch);
    this.host.invalidate(record.topic, record.partition);
  }

  private rewindRest(records: ConsumerRecord<K, V>[], last: ConsumerRecord<K, V>): void {
    const seen = new Set<string>();
    const index = records.indexOf(last);
    for (const r of records.slice(index + 1)) {
      const key = tpKey(r.topic, r.partition);
      if (seen.has(key)) continue;
      seen.add(key);
      this.rewind(r);
    }
  }

  private async runBatches(records: ConsumerRecord<K, V>[], options: RunOptions<K, V>): Promise<void> {
    const host = this.host;
    const handler = options.eachBatch as NonNullable<RunOptions<K, V>['eachBatch']>;
    const byPartition = new Map<string, ConsumerRecord<K, V>[]>();
    for (const r of records) {
      const key = tpKey(r.topic, r.partition);
      const list = byPartition.get(key);
      if (list === undefined) byPartition.set(key, [r]);
      else list.push(r);
    }
    for (const [key, messages] of byPartition) {
      const first = messages[0] as ConsumerRecord<K, V>;
      const generation = host.seekGeneration(key);
      const state = host.subscriptions.state(first.topic, first.partition);
      if (state === undefined) continue;
      let resolved = -1n;
      const stale = () =>
        !host.subscriptions.isAssigned(first.topic, first.partition) || host.seekGeneration(key) !== generation;
      const payload: EachBatchPayload<K, V> = {
        topic: first.topic,
        partition: first.partition,
        messages,
        highWatermark: state.highWatermark,
        resolveOffset: (offset: bigint) => {
          if (stale()) return;
          resolved = offset;
          const record = messages.find((m) => m.offset === offset);
          host.markProcessed(record ?? { ...first, offset });
        },
        isRunning: () => !host.stopping() && !stale(),
        isStale: stale,
        pause: () => host.pause([{ topic: first.topic, partition: first.partition }]),
        commitOffsetsIfNecessary: () => host.commitIfAutoCommit(first),
      };
      this.handlerDepth++;
      try {
        await handler(payload);
      } catch (error) {
        const failedAt = messages.find((m) => m.offset > resolved) ?? first;
        if (!stale()) this.rewind(failedAt);
        throw error;
      } finally {
        this.handlerDepth--;
      }
      if (options.eachBatchAutoResolve !== false && !stale()) {
        host.markProcessed(messages[messages.length - 1] as ConsumerRecord<K, V>);
      } else if (!stale()) {
        const next = messages.find((m) => m.offset > resolved);
        if (next !== undefined) this.rewind(next);
      }
      if (state.paused && !stale()) {
        const next = messages.find((m) => m.offset > (state.committable ?? -1n) - 1n);
        if (next !== undefined) this.rewind(next);
      }
      if (host.stopping()) return;
    }
  }
}
