import { isolationLevel } from '../common/isolation-level.js';
import { type TopicPartition, tpKey } from '../common/topic-partition.js';
import type { ConsumerConfig } from '../config/client-config.js';
import { type ConfigInput, resolveConfig } from '../config/resolve-config.js';
import { abortError, ClientError, ClientErrorCode, ConfigError, closedError } from '../errors/client-errors.js';
import { Cluster } from '../metadata/cluster.js';
import { listOffsets, OffsetSpec } from '../metadata/list-offsets.js';
import type { ConsumerGroupMetadata } from '../producer/transaction-manager.js';
import { type Deserializer, deserializerByName } from '../serdes/serdes.js';
import { createAssignors } from './assignors/index.js';
import type { PartitionAssignor } from './assignors/partition-assignor.js';
import { type CommitEntry, type CommittedOffset, ConsumerCoordinator } from './consumer-coordinator.js';
import { ConsumerGroupMembership } from './consumer-group-membership.js';
import type { ConsumerRecord } from './consumer-record.js';
import { ConsumerRunner, type RunOptions } from './consumer-runner.js';
import { FetchPositions } from './fetch-positions.js';
import { Fetcher } from './fetcher.js';
import type { GroupMembership } from './group-membership.js';
import type { CoordinatorHooks } from './partition-ownership.js';
import type { RebalanceListener } from './rebalance-listener.js';
import { type PartitionState, SubscriptionState } from './subscription-state.js';

export interface ConsumerOptions<K, V> extends Readonly<Record<string, unknown>> {
  readonly keyDeserializer?: Deserializer<K> | 'string' | 'json' | 'buffer';
  readonly valueDeserializer?: Deserializer<V> | 'string' | 'json' | 'buffer';
  readonly rebalanceListener?: RebalanceListener;
  readonly partitionAssignmentStrategy?: string | readonly (string | PartitionAssignor)[];
}

/** An offset to commit or seek to: `bigint`, or a number/decimal string for convenience. */
export type OffsetInput = bigint | number | string;

export interface CommitOffset extends TopicPartition {
  /** The next offset to consume (last processed + 1), as Kafka commits it. */
  readonly offset: OffsetInput;
  readonly leaderEpoch?: number;
  readonly metadata?: string | null;
}

export interface PollOptions {
  /** How long to wait for records; `default.api.timeout.ms`-independent, 1000 ms if omitted. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

function toOffset(value: OffsetInput, what: string): bigint {
  try {
    const n = typeof value === 'bigint' ? value : BigInt(value);
    if (n < 0n) throw new RangeError('negative');
    return n;
  } catch {
    throw new ClientError(ClientErrorCode.ILLEGAL_STATE, `${what}: ${String(value)} is not a valid offset`);
  }
}

/**
 * Kafka consumer: group membership with the classic protocol, or manual `assign`.
 *
 * Three ways to consume, all on the same machinery:
 * - `poll()` — Java's loop: returns up to `max.poll.records`; auto-commit commits what previous
 *   polls returned.
 * - `for await (const record of consumer)` — one record at a time; a record counts as processed
 *   once the loop asks for the next one.
 * - `run({ eachMessage | eachBatch })` — KafkaJS's runner; a record counts as processed when its
 *   handler resolves. A handler error stops the run (rejecting it) and seeks the partition back
 *   to the failed record so it is delivered again.
 *
 * Auto-commit (`enable.auto.commit`, every `auto.commit.interval.ms`) commits only processed
 * offsets, and commits synchronously before partitions are revoked and on close. Heartbeats run
 * on a timer, so they continue while handlers work; a handler exceeding `max.poll.interval.ms`
 * makes the consumer leave the group, as Java's does.
 *
 * Offsets are `bigint` in every result and accepted as bigint, number or string.
 */
export class Consumer<K = Buffer, V = Buffer> implements AsyncIterable<ConsumerRecord<K, V>> {
  readonly config: ConsumerConfig;
  readonly cluster: Cluster;
  private readonly subscriptions = new SubscriptionState();
  private readonly fetcher: Fetcher;
  private readonly coordinator: GroupMembership | undefined;
  private readonly positions: FetchPositions;
  private readonly assignors: PartitionAssignor[];
  private listener: RebalanceListener | undefined;
  private closed = false;
  private stopRequested = false;
  /**
   * Aborted by `stop()`/`close()`: ends a group rejoin that waits for a coordinator (one that may
   * never come, e.g. `__consumer_offsets` cannot be created) so that closing never hangs.
   */
  private stopController = new AbortController();
  private wake: (() => void) | undefined;
  private fatal: Error | undefined;
  private nextAutoCommitMs: number;
  private autoCommitting: Promise<void> | undefined;
  /** Bumped by seeks, so a run loop knows to drop the rest of a batch. */
  private readonly seekGeneration = new Map<string, number>();
  private readonly runner: ConsumerRunner<K, V>;
  private lastPatternCheckMs = 0;
  /** `enable.auto.commit` and its interval, unless a `run` overrides them. */
  private autoCommit: boolean;
  private autoCommitIntervalMs: number;

  constructor(options: ConsumerOptions<K, V>) {
    const config = resolveConfig('consumer', options as ConfigInput) as unknown as ConsumerConfig;
    if (config.groupId === null && config.groupInstanceId !== null) {
      throw new ConfigError('group.instance.id', 'needs a group.id');
    }
    if (config.heartbeatIntervalMs >= config.sessionTimeoutMs) {
      throw new ConfigError('heartbeat.interval.ms', 'must be lower than session.timeout.ms');
    }
    if (
      config.groupId === null &&
      (options.enableAutoCommit === true ||
        options['enable.auto.commit'] === true ||
        options['enable.auto.commit'] === 'true')
    ) {
      throw new ConfigError('enable.auto.commit', 'needs a group.id');
    }
    this.config = config;
    this.cluster = new Cluster(config, config.allowAutoCreateTopics);
    const keyDeserializer = (
      typeof config.keyDeserializer === 'function' ? config.keyDeserializer : deserializerByName(config.keyDeserializer)
    ) as Deserializer<unknown>;
    const valueDeserializer = (
      typeof config.valueDeserializer === 'function'
        ? config.valueDeserializer
        : deserializerByName(config.valueDeserializer)
    ) as Deserializer<unknown>;
    this.listener = config.rebalanceListener as RebalanceListener | undefined;
    this.assignors = createAssignors(config.partitionAssignmentStrategy);
    this.fetcher = new Fetcher(config, this.cluster, this.subscriptions, keyDeserializer, valueDeserializer, {
      onOffsetOutOfRange: (state) => this.positions.resetAfterOutOfRange(state),
      onDivergingEpoch: (state, _epoch, endOffset) => this.positions.handleTruncation(state, endOffset),
      onData: () => this.wakeup(),
      onError: (error) => {
        this.fatal = error;
        this.wakeup();
      },
    });
    this.coordinator = config.groupId === null ? undefined : this.createMembership(config);
    this.positions = new FetchPositions(config, this.cluster, this.subscriptions, this.coordinator, {
      fail: (error) => {
        this.fatal = error;
        this.wakeup();
      },
      invalidate: (topic, partition) => this.fetcher.invalidate(topic, partition),
    });
    this.autoCommit = config.enableAutoCommit;
    this.autoCommitIntervalMs = config.autoCommitIntervalMs;
    this.nextAutoCommitMs = Date.now() + config.autoCommitIntervalMs;
    this.cluster.onUpdate(() => this.wakeup());
    this.runner = new ConsumerRunner<K, V>({
      subscriptions: this.subscriptions,
      checkOpen: () => this.checkOpen(),
      startRun: () => {
        this.resetStop();
        this.pollMode = false;
      },
      overrideAutoCommit: (autoCommit, intervalMs) => {
        if (autoCommit !== undefined) {
          if (autoCommit && this.coordinator === undefined) {
            throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'autoCommit needs a group.id');
          }
          this.autoCommit = autoCommit;
        }
        if (intervalMs !== undefined) this.autoCommitIntervalMs = intervalMs;
      },
      poll: () => this.pollInternal({ timeoutMs: 1000 }),
      stopping: () => this.closed || this.stopRequested,
      requestStop: () => this.requestStop(),
      seekGeneration: (key) => this.seekGeneration.get(key) ?? 0,
      markProcessed: (record) => this.markProcessed(record),
      invalidate: (topic, partition) => this.fetcher.invalidate(topic, partition),
      pause: (partitions) => this.pause(partitions),
      commitIfAutoCommit: async (partition) => {
        if (this.autoCommit) await this.commitEntries(this.processedEntries([partition]));
      },
    });
  }

  private createMembership(config: ConsumerConfig): GroupMembership {
    const hooks: CoordinatorHooks = {
      commitBeforeRevoke: (partitions) => this.commitProcessed(partitions),
      onAssignmentChange: () => this.fetcher.invalidate(),
      wakeup: () => this.wakeup(),
    };
    return config.groupProtocol === 'consumer'
      ? new ConsumerGroupMembership(config, this.cluster, this.subscriptions, () => this.listener, hooks)
      : new ConsumerCoordinator(config, this.cluster, this.subscriptions, this.assignors, () => this.listener, hooks);
  }

  private wakeup(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private requireGroup(action: string): GroupMembership {
    if (this.coordinator === undefined) {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, `${action} needs a group.id`);
    }
    return this.coordinator;
  }

  private checkOpen(): void {
    if (this.closed) throw closedError('consumer');
  }

  private requestStop(): void {
    this.stopRequested = true;
    this.stopController.abort();
    this.wakeup();
  }

  private resetStop(): void {
    this.stopRequested = false;
    if (this.stopController.signal.aborted) this.stopController = new AbortController();
  }

  // ---- subscription ----

  /** Subscribes to topics (or a pattern matching topic names) through the group. */
  subscribe(topics: string | readonly string[] | RegExp, listener?: RebalanceListener): void {
    this.checkOpen();
    const coordinator = this.requireGroup('subscribe');
    if (this.subscriptions.mode === 'assigned') {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'subscribe after assign: call unsubscribe() first');
    }
    if (listener !== undefined) this.listener = listener;
    if (topics instanceof RegExp) {
      this.subscriptions.mode = 'pattern';
      this.subscriptions.pattern = new RegExp(topics.source, topics.flags.replace(/[gy]/g, ''));
      this.subscriptions.topics = new Set();
      this.lastPatternCheckMs = 0;
    } else {
      const list = typeof topics === 'string' ? [topics] : [...topics];
      if (list.length === 0 || list.some((t) => typeof t !== 'string' || t === '')) {
        throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'subscribe needs non-empty topic names');
      }
      this.subscriptions.mode = 'topics';
      this.subscriptions.topics = new Set(list);
      this.cluster.addTopics(list);
    }
    coordinator.subscriptionChanged();
    this.wakeup();
  }

  /**
   * Java's `enforceRebalance(reason)`: the member rejoins its group at the next poll, so the leader
   * assigns again (Kafka Streams uses it for probing rebalances). Under `group.protocol=consumer`
   * it does nothing, as in Java: the coordinator decides there.
   */
  enforceRebalance(reason = 'the application asked for a rebalance'): void {
    this.checkOpen();
    if (this.subscriptions.mode !== 'topics' && this.subscriptions.mode !== 'pattern') {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_STATE,
        'enforceRebalance needs a group subscription (subscribe first)',
      );
    }
    this.requireGroup('enforceRebalance').enforceRebalance(reason);
    this.wakeup();
  }

  /** Takes partitions directly, without group management (commits still use group.id if set). */
  assign(partitions: readonly TopicPartition[]): void {
    this.checkOpen();
    if (this.subscriptions.mode === 'topics' || this.subscriptions.mode === 'pattern') {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, 'assign after subscribe: call unsubscribe() first');
    }
    this.subscriptions.mode = 'assigned';
    this.subscriptions.setAssignment(partitions);
    this.subscriptions.topics = new Set(partitions.map((p) => p.topic));
    this.cluster.addTopics(this.subscriptions.topics);
    this.fetcher.invalidate();
    this.wakeup();
  }

  /** Gives up the subscription (revoking partitions, committing processed offsets, leaving the group) or the assignment. */
  async unsubscribe(): Promise<void> {
    if (
      this.coordinator !== undefined &&
      this.subscriptions.mode !== 'assigned' &&
      this.subscriptions.mode !== 'none'
    ) {
      await this.coordinator.unsubscribe();
    }
    this.subscriptions.mode = 'none';
    this.subscriptions.topics = new Set();
    this.subscriptions.setAssignment([]);
    this.fetcher.invalidate();
  }

  assignment(): TopicPartition[] {
    return this.subscriptions.assignedPartitions;
  }

  subscription(): string[] {
    return [...this.subscriptions.topics];
  }

  // ---- polling ----

  /** Returns up to `max.poll.records` records, waiting up to `timeoutMs` (default 1000) for some. */
  async poll(options: PollOptions = {}): Promise<ConsumerRecord<K, V>[]> {
    this.pollMode = true;
    this.markPolledProcessed();
    return this.pollInternal(options);
  }

  /**
   * With `poll`, everything returned so far counts as processed at the next poll or commit
   * (Java's semantics); `run` and `for await` mark records one by one instead.
   */
  private pollMode = false;

  private markPolledProcessed(): void {
    if (!this.pollMode) return;
    for (const s of this.subscriptions.states()) {
      if (s.position !== null) {
        s.committable = s.position;
        s.committableEpoch = s.positionEpoch;
      }
    }
  }

  private async pollInternal(options: PollOptions): Promise<ConsumerRecord<K, V>[]> {
    this.checkOpen();
    const timeoutMs = options.timeoutMs ?? 1000;
    const signal = options.signal;
    const deadline = Date.now() + timeoutMs;
    let waited = false;
    for (;;) {
      if (signal?.aborted === true) throw abortError(signal);
      if (this.fatal !== undefined) {
        const error = this.fatal;
        this.fatal = undefined;
        throw error;
      }
      if (this.closed || this.stopRequested) return [];
      await this.maybeUpdatePattern();
      if (
        this.coordinator !== undefined &&
        (this.subscriptions.mode === 'topics' || this.subscriptions.mode === 'pattern')
      ) {
        const stop = this.stopController.signal;
        try {
          await this.coordinator.poll(signal === undefined ? stop : AbortSignal.any([signal, stop]));
        } catch (error) {
          // Stopped while (re)joining: the rejoin is abandoned and resumes at the next poll.
          if (stop.aborted && !(signal?.aborted ?? false) && isAbort(error)) return [];
          throw error;
        }
      }
      this.maybeAutoCommit();
      await this.positions.update();
      const records = this.fetcher.collect(this.config.maxPollRecords) as ConsumerRecord<K, V>[];
      // Pipelining: the next fetches go out while the application handles these records.
      this.fetcher.sendFetches();
      if (records.length > 0) {
        // Heartbeats, fetch responses and timers run on the event loop. Records served from what
        // an earlier fetch buffered resolve this poll without I/O, so a loop of polls (a Streams
        // thread, a runner) would starve them until the buffer is empty; one loop turn per poll
        // that did not wait keeps them running (Java's consumer has a heartbeat thread instead).
        if (!waited) await new Promise<void>((resolve) => setImmediate(resolve));
        return records;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return [];
      await this.waitForWakeup(Math.min(remaining, this.nextWakeupMs()), signal);
      waited = true;
    }
  }

  /** How long poll may sleep before something time-based needs doing (heartbeat-driven rejoin, auto-commit). */
  private nextWakeupMs(): number {
    let ms = this.config.fetchMaxWaitMs + 100;
    if (this.autoCommit && this.coordinator !== undefined)
      ms = Math.min(ms, Math.max(1, this.nextAutoCommitMs - Date.now()));
    if (this.coordinator !== undefined) ms = Math.min(ms, this.config.heartbeatIntervalMs);
    return ms;
  }

  private waitForWakeup(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private async maybeUpdatePattern(): Promise<void> {
    if (this.subscriptions.mode !== 'pattern' || this.coordinator === undefined) return;
    const now = Date.now();
    if (now - this.lastPatternCheckMs < Math.min(this.config.metadataMaxAgeMs, 5000) && this.lastPatternCheckMs > 0)
      return;
    this.lastPatternCheckMs = now;
    const metadata = await this.cluster.fetchMetadata(null, false);
    const matched = new Set<string>();
    for (const t of metadata.topics) {
      if (t.name === null || t.errorCode !== 0) continue;
      if (t.isInternal && this.config.excludeInternalTopics) continue;
      if (this.subscriptions.pattern?.test(t.name) === true) matched.add(t.name);
    }
    const current = this.subscriptions.topics;
    if (matched.size !== current.size || [...matched].some((t) => !current.has(t))) {
      this.subscriptions.topics = matched;
      this.cluster.setTopics(matched);
      this.coordinator.subscriptionChanged();
    }
  }

  // ---- commits ----

  private processedEntries(partitions?: readonly TopicPartition[]): CommitEntry[] {
    const out: CommitEntry[] = [];
    const wanted = partitions === undefined ? undefined : new Set(partitions.map((p) => tpKey(p.topic, p.partition)));
    for (const s of this.subscriptions.states()) {
      if (wanted !== undefined && !wanted.has(tpKey(s.topic, s.partition))) continue;
      if (s.committable === null || s.committable === s.lastCommitted) continue;
      out.push({
        topic: s.topic,
        partition: s.partition,
        offset: s.committable,
        leaderEpoch: s.committableEpoch,
        metadata: '',
      });
    }
    return out;
  }

  private async commitEntries(entries: CommitEntry[], signal?: AbortSignal): Promise<void> {
    const coordinator = this.requireGroup('commit');
    await coordinator.commit(entries, signal);
    for (const e of entries) {
      const s = this.subscriptions.state(e.topic, e.partition);
      if (s !== undefined) s.lastCommitted = e.offset;
    }
  }

  /** Auto-commit before revocation and on close. */
  private async commitProcessed(partitions?: readonly TopicPartition[]): Promise<void> {
    if (!this.autoCommit || this.coordinator === undefined) return;
    this.markPolledProcessed();
    await this.autoCommitting?.catch(() => {});
    await this.commitEntries(this.processedEntries(partitions));
  }

  private maybeAutoCommit(): void {
    if (!this.autoCommit || this.coordinator === undefined || this.autoCommitting !== undefined) return;
    if (Date.now() < this.nextAutoCommitMs) return;
    this.nextAutoCommitMs = Date.now() + this.autoCommitIntervalMs;
    const entries = this.processedEntries();
    if (entries.length === 0) return;
    this.autoCommitting = this.commitEntries(entries)
      .catch(() => {
        // Retried at the next interval; a rebalance in progress makes commits fail for a moment.
      })
      .finally(() => {
        this.autoCommitting = undefined;
      });
  }

  /**
   * Commits and waits. Without `offsets`, commits what was processed (what `poll` returned, what
   * `run` handlers completed).
   */
  async commitSync(offsets?: readonly CommitOffset[], options: { signal?: AbortSignal } = {}): Promise<void> {
    this.checkOpen();
    if (offsets === undefined) this.markPolledProcessed();
    const entries =
      offsets === undefined
        ? this.processedEntries()
        : offsets.map((o) => ({
            topic: o.topic,
            partition: o.partition,
            offset: toOffset(o.offset, 'commit'),
            leaderEpoch: o.leaderEpoch ?? -1,
            metadata: o.metadata ?? '',
          }));
    await this.commitEntries(entries, options.signal);
  }

  /** Commits without waiting; `callback` gets the outcome. */
  commitAsync(offsets?: readonly CommitOffset[], callback?: (error: Error | null) => void): void {
    this.commitSync(offsets).then(
      () => callback?.(null),
      (error: Error) => callback?.(error),
    );
  }

  /** The group's committed offsets (offset -1n where none). */
  async committed(
    partitions: readonly TopicPartition[],
    options: { signal?: AbortSignal } = {},
  ): Promise<CommittedOffset[]> {
    return this.requireGroup('committed').fetchCommitted(partitions, options.signal);
  }

  // ---- positions ----

  /** Number of log truncations detected (KIP-320) and recovered from by resetting the position. */
  get truncations(): number {
    return this.positions.truncations;
  }

  private assignedState(tp: TopicPartition, action: string): PartitionState {
    const s = this.subscriptions.state(tp.topic, tp.partition);
    if (s === undefined) {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_STATE,
        `${action}: ${tp.topic}-${tp.partition} is not assigned to this consumer`,
      );
    }
    return s;
  }

  private bumpSeek(tp: TopicPartition): void {
    const key = tpKey(tp.topic, tp.partition);
    this.seekGeneration.set(key, (this.seekGeneration.get(key) ?? 0) + 1);
    this.fetcher.invalidate(tp.topic, tp.partition);
    this.wakeup();
  }

  /** The next fetch of the partition starts at `offset`. */
  seek(tp: TopicPartition, offset: OffsetInput, leaderEpoch = -1): void {
    const s = this.assignedState(tp, 'seek');
    s.seek(toOffset(offset, 'seek'), leaderEpoch);
    if (leaderEpoch >= 0) s.awaitingValidation = true;
    this.bumpSeek(tp);
  }

  seekToBeginning(partitions: readonly TopicPartition[] = this.assignment()): void {
    for (const tp of partitions) {
      this.assignedState(tp, 'seekToBeginning').pendingReset = 'earliest';
      this.bumpSeek(tp);
    }
  }

  seekToEnd(partitions: readonly TopicPartition[] = this.assignment()): void {
    for (const tp of partitions) {
      this.assignedState(tp, 'seekToEnd').pendingReset = 'latest';
      this.bumpSeek(tp);
    }
  }

  /** The offset of the next record to be returned (resolving committed offsets or resets first). */
  async position(tp: TopicPartition): Promise<bigint> {
    const s = this.assignedState(tp, 'position');
    if (s.position === null || s.pendingReset !== null) await this.positions.update();
    return s.position ?? -1n;
  }

  /**
   * Records between the position and the high watermark of the last fetch response (Java's
   * `currentLag`, KIP-695): known without a request, `undefined` until the partition was fetched.
   */
  currentLag(tp: TopicPartition): bigint | undefined {
    const s = this.subscriptions.state(tp.topic, tp.partition);
    if (s === undefined || s.position === null || s.highWatermark < 0n) return undefined;
    const lag = s.highWatermark - s.position;
    return lag < 0n ? 0n : lag;
  }

  /** For each partition, the first offset whose timestamp is at or after the one given (-1n if none). */
  async offsetsForTimes(
    queries: readonly (TopicPartition & { readonly timestamp: number | bigint })[],
  ): Promise<{ topic: string; partition: number; offset: bigint; timestamp: number; leaderEpoch: number }[]> {
    const listed = await listOffsets(
      this.cluster,
      queries.map((q) => ({ topic: q.topic, partition: q.partition, timestamp: BigInt(q.timestamp) })),
      isolationLevel(this.config.isolationLevel),
      this.config.defaultApiTimeoutMs,
    );
    return listed.map((l) => ({ ...l, timestamp: Number(l.timestamp) }));
  }

  async beginningOffsets(
    partitions: readonly TopicPartition[],
  ): Promise<{ topic: string; partition: number; offset: bigint }[]> {
    return this.listSpec(partitions, OffsetSpec.EARLIEST);
  }

  async endOffsets(
    partitions: readonly TopicPartition[],
  ): Promise<{ topic: string; partition: number; offset: bigint }[]> {
    return this.listSpec(partitions, OffsetSpec.LATEST);
  }

  private async listSpec(
    partitions: readonly TopicPartition[],
    spec: bigint,
  ): Promise<{ topic: string; partition: number; offset: bigint }[]> {
    const listed = await listOffsets(
      this.cluster,
      partitions.map((p) => ({ topic: p.topic, partition: p.partition, timestamp: spec })),
      isolationLevel(this.config.isolationLevel),
      this.config.defaultApiTimeoutMs,
    );
    return listed.map((l) => ({ topic: l.topic, partition: l.partition, offset: l.offset }));
  }

  /** Stops fetching the partitions until `resume`; their buffered records are kept. */
  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.assignedState(tp, 'pause').paused = true;
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.assignedState(tp, 'resume').paused = false;
    this.wakeup();
  }

  paused(): TopicPartition[] {
    return [...this.subscriptions.states()]
      .filter((s) => s.paused)
      .map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  /** For `producer.sendOffsetsToTransaction`. */
  groupMetadata(): ConsumerGroupMetadata {
    const c = this.requireGroup('groupMetadata');
    return {
      groupId: c.groupId,
      generationId: c.generationId,
      memberId: c.memberId,
      groupInstanceId: this.config.groupInstanceId,
    };
  }

  /** Member ID and generation (for tests and tooling). */
  get membership(): { memberId: string; generationId: number; isLeader: boolean; protocol: string | null } {
    return {
      memberId: this.coordinator?.memberId ?? '',
      generationId: this.coordinator?.generationId ?? -1,
      isLeader: this.coordinator?.isLeader ?? false,
      protocol: this.coordinator?.protocolName ?? null,
    };
  }

  private markProcessed(record: ConsumerRecord<unknown, unknown>): void {
    const s = this.subscriptions.state(record.topic, record.partition);
    if (s === undefined) return;
    const next = record.offset + 1n;
    if (s.committable === null || next > s.committable) {
      s.committable = next;
      s.committableEpoch = record.leaderEpoch;
    }
  }

  // ---- iteration and the runner ----

  async *[Symbol.asyncIterator](): AsyncIterator<ConsumerRecord<K, V>> {
    this.resetStop();
    this.pollMode = false;
    while (!this.closed && !this.stopRequested) {
      const records = await this.pollInternal({ timeoutMs: 1000 });
      for (const record of records) {
        const key = tpKey(record.topic, record.partition);
        const generation = this.seekGeneration.get(key) ?? 0;
        if (!this.subscriptions.isAssigned(record.topic, record.partition)) continue;
        yield record;
        if ((this.seekGeneration.get(key) ?? 0) === generation) this.markProcessed(record);
        if (this.closed || this.stopRequested) return;
      }
    }
  }

  /**
   * Runs handlers until `stop()`, `close()` or the signal (see `ConsumerRunner`). Resolves when
   * stopped; rejects with a handler's error (after seeking its partition back to the failed record).
   */
  run(options: RunOptions<K, V>): Promise<void> {
    return this.runner.run(options);
  }

  /**
   * Ends `run` (and a `for await` loop) after the current handler; resolves when it has stopped.
   * Called from inside a handler it resolves at once (waiting there would wait for itself).
   */
  async stop(): Promise<void> {
    this.requestStop();
    if (this.runner.inHandler) return;
    while (this.runner.isRunning) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * Commits processed offsets (auto-commit), revokes, leaves the group (dynamic members) and
   * closes connections. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop();
    try {
      if (this.coordinator !== undefined && this.subscriptions.mode !== 'none') {
        try {
          if (this.subscriptions.mode === 'assigned') await this.commitProcessed();
          else await this.coordinator.revokeAll();
        } catch {
          // The group may have moved on; nothing more can be committed.
        }
        await this.coordinator.close();
      }
    } finally {
      this.closed = true;
      this.wakeup();
      this.fetcher.close();
      this.cluster.close();
    }
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof ClientError && error.code === ClientErrorCode.ABORTED;
}
