import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { AppendInfo, AppendOrigin, Log } from '@samsa/storage';
import type { PartitionRegistration } from '../metadata/cluster-image.js';
import { FollowerState } from './follower-state.js';

/** What a leader asks of the controller when its ISR should change (AlterPartition). */
export interface IsrChangeRequest {
  readonly partition: Partition;
  readonly leaderEpoch: number;
  readonly newIsr: readonly number[];
  readonly partitionEpoch: number;
}

/** What a partition reports to the broker's metrics. */
export interface PartitionStats {
  /** A committed ISR change of a partition led here, by the sizes before and after. */
  isrChanged(before: number, after: number): void;
  /** Bytes a follower appended from its leader (ReplicationBytesInPerSec). */
  replicationBytesIn(bytes: number): void;
}

export interface PartitionDeps {
  readonly localBrokerId: number;
  readonly stats?: PartitionStats;
  /** Sends an ISR change to the controller; the answer comes back through `onIsrChangeCommitted`/`Failed`. */
  readonly requestIsrChange?: (request: IsrChangeRequest) => void;
  readonly nowMs?: () => number;
}

/** An acks=all append waiting for the in-sync replicas (Kafka's DelayedProduce, keyed by offset). */
interface PendingAck {
  /** The last offset of the batch: done when the high watermark passes it. */
  readonly lastOffset: number;
  readonly resolve: (errorCode: number) => void;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

/**
 * One partition replica on this broker: its log plus the replication state the controller
 * assigned (leader, leader epoch, replicas, ISR) and, as leader, what it knows of its followers.
 *
 * High watermark: the smallest log end offset among the in-sync replicas. The leader learns a
 * follower's end offset from the follower's fetch offset; followers learn the high watermark from
 * the leader's fetch responses. Consumers read only below it.
 *
 * ISR: a follower whose fetches have not reached the leader's end offset for
 * replica.lag.time.max.ms leaves the ISR; one that reaches the high watermark (and the start of
 * the current leader epoch) joins it. The leader proposes each change to the controller
 * (AlterPartition) and applies it only once committed; meanwhile the high watermark and acks=all
 * count the larger of the two sets (Kafka's "maximal ISR"), so neither ever gets ahead of a
 * replica that might still be in the ISR.
 *
 * acks=all: an append waits until the high watermark passes its last offset — every replica of
 * the ISR then has it — with NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below
 * min.insync.replicas meanwhile.
 *
 * Not reentrant with respect to appends: `appendRecordsToLeader` and `appendRecordsAsFollower` are
 * synchronous, so appends from concurrent requests are ordered by the event loop.
 */
export class Partition {
  private registration: PartitionRegistration;
  /** The leader's view of each follower, by broker id (leader only). */
  private readonly followers = new Map<number, FollowerState>();
  /** An ISR change sent to the controller and not yet answered. */
  private pendingIsr: readonly number[] | undefined;
  /** Total bytes ever appended here; delayed fetches compare it to decide whether enough arrived. */
  bytesAppended = 0;
  private readonly highWatermarkListeners = new Set<() => void>();
  private readonly appendListeners = new Set<() => void>();
  private readonly pendingAcks: PendingAck[] = [];
  private readonly nowMs: () => number;
  private _log: Log;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly topicId: string,
    log: Log,
    registration: PartitionRegistration,
    private readonly deps: PartitionDeps,
  ) {
    this._log = log;
    this.registration = registration;
    this.nowMs = deps.nowMs ?? Date.now;
    if (this.isLeader) this.onBecomeLeader();
  }

  /**
   * The partition's current log. It changes only when a move between log dirs completes
   * (`replaceLog`), so code that awaits between two uses of it reads it again rather than keeping
   * the old one, which is closed by then.
   */
  get log(): Log {
    return this._log;
  }

  /**
   * A future log that has caught up replaces the current one (AlterReplicaLogDirs), in the same
   * tick as the check that both end at the same offset — the event loop is the partition's lock.
   * Offsets, high watermark, leader epochs and producer state are the same in both by then.
   */
  replaceLog(log: Log): void {
    this._log = log;
  }

  private get localBrokerId(): number {
    return this.deps.localBrokerId;
  }

  get leaderId(): number {
    return this.registration.leader;
  }

  get leaderEpoch(): number {
    return this.registration.leaderEpoch;
  }

  get partitionEpoch(): number {
    return this.registration.partitionEpoch;
  }

  get replicas(): readonly number[] {
    return this.registration.replicas;
  }

  /** The committed ISR. */
  get isr(): readonly number[] {
    return this.registration.isr;
  }

  /** The committed ISR together with any replica a pending change adds: what HW and acks wait for. */
  get maximalIsr(): readonly number[] {
    const pending = this.pendingIsr;
    if (pending === undefined) return this.registration.isr;
    return [...new Set([...this.registration.isr, ...pending])];
  }

  get isLeader(): boolean {
    return this.registration.leader === this.localBrokerId;
  }

  get highWatermark(): number {
    return this.log.highWatermark;
  }

  /** min.insync.replicas of this partition's topic (topic override, else the broker's). */
  get minInSyncReplicas(): number {
    return this.log.config.minInSyncReplicas;
  }

  /** Applies a new registration from the controller (leader change, ISR change, epoch bump). */
  update(registration: PartitionRegistration): void {
    const wasLeader = this.isLeader;
    const newEpoch = registration.leaderEpoch !== this.leaderEpoch;
    this.registration = registration;
    // Whatever was pending is superseded by what the controller says now.
    this.pendingIsr = undefined;
    if (this.isLeader) {
      if (!wasLeader || newEpoch) this.onBecomeLeader();
      else this.maybeIncrementHighWatermark();
    } else if (wasLeader) {
      this.onBecomeFollower();
    }
  }

  /**
   * Kafka records the new epoch at the log end offset when a replica becomes leader, and starts
   * its followers afresh (ISR members counted as caught up now, so that they are not dropped
   * before their first fetch). The high watermark then moves as far as the ISR allows — for a sole
   * replica that is the log end offset, which restores it after a crash lost the checkpoint.
   */
  private onBecomeLeader(): void {
    const latest = this.log.leaderEpochCache.latestEpoch;
    if (latest === undefined || this.registration.leaderEpoch > latest) {
      this.log.leaderEpochCache.assign(this.registration.leaderEpoch, this.log.logEndOffset);
    }
    this.followers.clear();
    const now = this.nowMs();
    for (const replica of this.registration.replicas) {
      if (replica === this.localBrokerId) continue;
      this.followers.set(replica, new FollowerState(this.registration.isr.includes(replica) ? now : 0));
    }
    this.maybeIncrementHighWatermark();
  }

  /** Leadership lost: appends waiting for acks will never get them from here. */
  private onBecomeFollower(): void {
    this.followers.clear();
    this.failPendingAcks(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    for (const listener of this.highWatermarkListeners) listener();
  }

  /** The partition is going away from this broker (StopReplica, shutdown). */
  close(): void {
    this.failPendingAcks(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  }

  /**
   * Checks the leader epoch a client believes is current (KIP-320): older → FENCED_LEADER_EPOCH,
   * newer → UNKNOWN_LEADER_EPOCH, -1 → no check.
   */
  checkLeaderEpoch(currentLeaderEpoch: number): number {
    if (currentLeaderEpoch < 0 || currentLeaderEpoch === this.leaderEpoch) return ErrorCode.NONE;
    return currentLeaderEpoch < this.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
  }

  /**
   * Appends as leader. `requiredAcks` -1 needs at least `min.insync.replicas` in the ISR before the
   * append, as Kafka checks it (NOT_ENOUGH_REPLICAS).
   */
  appendRecordsToLeader(records: Buffer, origin: AppendOrigin, requiredAcks: number): AppendInfo {
    if (!this.isLeader) {
      throw new KafkaError(
        ErrorCode.NOT_LEADER_OR_FOLLOWER,
        `broker ${this.localBrokerId} is not the leader of ${this.name}`,
      );
    }
    if (requiredAcks === -1 && this.isr.length < this.minInSyncReplicas) {
      throw new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `The size of the current ISR [${this.isr.join(', ')}] is insufficient to satisfy the min.isr requirement of ${this.minInSyncReplicas} for partition ${this.name}`,
      );
    }
    const info = this.log.appendAsLeader(records, this.leaderEpoch, origin);
    if (info.duplicate !== true) this.bytesAppended += info.validBytes;
    for (const listener of this.appendListeners) listener();
    this.maybeIncrementHighWatermark();
    return info;
  }

  /**
   * Appends batches fetched from the leader, offsets and epochs as the leader assigned them. Only
   * complete batches at the log end offset are accepted: the fetcher trims a partial last batch.
   */
  appendRecordsAsFollower(records: Buffer): AppendInfo {
    if (this.isLeader) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.localBrokerId} leads ${this.name}`);
    }
    const info = this.log.appendAsFollower(records);
    this.bytesAppended += info.validBytes;
    this.deps.stats?.replicationBytesIn(info.validBytes);
    for (const listener of this.appendListeners) listener();
    return info;
  }

  /** A follower's copy of the leader's high watermark (never beyond its own log end). */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const hw = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (hw > this.log.highWatermark) {
      this.log.updateHighWatermark(hw);
      for (const listener of this.highWatermarkListeners) listener();
    }
  }

  /**
   * Resolves when the records up to `lastOffset` are as durable as the topic's flush settings
   * demand (`flush.messages`): with `flush.messages=1` that is an fsync, shared with every other
   * append waiting at the same time (group commit, off the event loop).
   */
  async awaitDurable(lastOffset: number): Promise<void> {
    const log = this.log;
    if (log.recoveryPoint > lastOffset) return;
    if (log.unflushedMessageCount < log.config.flushMessages) return;
    await log.flush();
    // The log was replaced meanwhile by a future log holding the records too: the old one's flush
    // says nothing about the copy that stays.
    if (this.log !== log && this.log.recoveryPoint <= lastOffset) await this.log.flush();
  }

  /**
   * acks=all: resolves with NONE once every in-sync replica has the records up to `lastOffset`
   * (the high watermark passed it), NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR is then smaller
   * than min.insync.replicas, REQUEST_TIMED_OUT after `timeoutMs`, NOT_LEADER_OR_FOLLOWER if
   * leadership is lost first.
   */
  awaitReplication(lastOffset: number, timeoutMs: number): Promise<number> {
    if (this.log.highWatermark > lastOffset) return Promise.resolve(this.ackOutcome());
    return new Promise<number>((resolve) => {
      const pending: PendingAck = { lastOffset, resolve, timer: undefined, done: false };
      pending.timer = setTimeout(
        () => {
          if (pending.done) return;
          pending.done = true;
          resolve(ErrorCode.REQUEST_TIMED_OUT);
        },
        Math.max(0, timeoutMs),
      );
      this.pendingAcks.push(pending);
    });
  }

  private ackOutcome(): number {
    return this.isr.length < this.minInSyncReplicas ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE;
  }

  private completePendingAcks(): void {
    const hw = this.log.highWatermark;
    let done = 0;
    for (const pending of this.pendingAcks) {
      if (pending.lastOffset >= hw) break;
      done++;
      if (pending.done) continue;
      pending.done = true;
      if (pending.timer !== undefined) clearTimeout(pending.timer);
      pending.resolve(this.ackOutcome());
    }
    if (done > 0) this.pendingAcks.splice(0, done);
  }

  private failPendingAcks(errorCode: number): void {
    for (const pending of this.pendingAcks) {
      if (pending.done) continue;
      pending.done = true;
      if (pending.timer !== undefined) clearTimeout(pending.timer);
      pending.resolve(errorCode);
    }
    this.pendingAcks.length = 0;
  }

  /**
   * A follower fetched from `fetchOffset` (leader only): its log end offset is that, it is caught
   * up if it reached the leader's end offset, it may join the ISR, and the high watermark may move.
   */
  updateFollowerFetchState(followerId: number, fetchOffset: number, nowMs: number): void {
    const follower = this.followers.get(followerId);
    if (follower === undefined) return;
    follower.onFetch(fetchOffset, this.log.logEndOffset, nowMs);
    this.maybeExpandIsr(followerId, follower);
    this.maybeIncrementHighWatermark();
  }

  /** Kafka's isFollowerInSync for expansion: at the high watermark and within the current epoch. */
  private maybeExpandIsr(followerId: number, follower: FollowerState): void {
    if (this.pendingIsr !== undefined || this.isr.includes(followerId)) return;
    const epochStart = this.log.leaderEpochCache.latestEntry()?.startOffset ?? 0;
    if (follower.logEndOffset < this.log.highWatermark || follower.logEndOffset < epochStart) return;
    this.proposeIsr([...this.isr, followerId].sort((a, b) => a - b));
  }

  /**
   * Drops followers that have not caught up for `replicaLagTimeMaxMs` from the ISR (leader only;
   * run periodically). The leader itself always stays.
   */
  maybeShrinkIsr(nowMs: number, replicaLagTimeMaxMs: number): void {
    if (!this.isLeader || this.pendingIsr !== undefined) return;
    const outOfSync = this.isr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const follower = this.followers.get(id);
      return follower === undefined || nowMs - follower.lastCaughtUpTimeMs > replicaLagTimeMaxMs;
    });
    if (outOfSync.length === 0) return;
    this.proposeIsr(this.isr.filter((id) => !outOfSync.includes(id)));
  }

  private proposeIsr(newIsr: readonly number[]): void {
    const request = this.deps.requestIsrChange;
    if (request === undefined) return;
    this.pendingIsr = newIsr;
    this.proposedFromIsrSize = this.isr.length;
    request({ partition: this, leaderEpoch: this.leaderEpoch, newIsr, partitionEpoch: this.partitionEpoch });
  }

  /** The ISR size when the pending change was proposed: what a committed change is counted against. */
  private proposedFromIsrSize = 0;

  /** The controller committed an ISR change: apply it (if it is still about this leadership). */
  onIsrChangeCommitted(committed: { leaderEpoch: number; isr: readonly number[]; partitionEpoch: number }): void {
    const wasPending = this.pendingIsr !== undefined;
    this.pendingIsr = undefined;
    if (!this.isLeader || committed.leaderEpoch !== this.leaderEpoch) return;
    // Counted even when the controller's LeaderAndIsr already applied it (a later partition epoch
    // then arrived first): the shrink or expansion is this leader's either way, as Kafka counts it
    // on the AlterPartition answer.
    if (wasPending) this.deps.stats?.isrChanged(this.proposedFromIsrSize, committed.isr.length);
    if (committed.partitionEpoch <= this.partitionEpoch) return;
    this.registration = { ...this.registration, isr: committed.isr, partitionEpoch: committed.partitionEpoch };
    this.maybeIncrementHighWatermark();
  }

  /** The controller refused or could not be reached: the next check may propose again. */
  onIsrChangeFailed(): void {
    this.pendingIsr = undefined;
  }

  /**
   * The followers a consumer could read from instead of the leader (KIP-392): those that have the
   * fetch offset and were caught up within `replicaLagTimeMaxMs`.
   */
  readableFollowers(
    fetchOffset: number,
    nowMs: number,
    replicaLagTimeMaxMs: number,
  ): { brokerId: number; logEndOffset: number; timeSinceLastCaughtUpMs: number }[] {
    const out: { brokerId: number; logEndOffset: number; timeSinceLastCaughtUpMs: number }[] = [];
    for (const [brokerId, follower] of this.followers) {
      const lag = nowMs - follower.lastCaughtUpTimeMs;
      if (follower.logEndOffset >= fetchOffset && lag <= replicaLagTimeMaxMs) {
        out.push({ brokerId, logEndOffset: follower.logEndOffset, timeSinceLastCaughtUpMs: lag });
      }
    }
    return out;
  }

  /** What a follower's lastFetchedEpoch says about divergence (KIP-595): where to truncate to, if anywhere. */
  divergingEpoch(lastFetchedEpoch: number, fetchOffset: number): { epoch: number; endOffset: number } | undefined {
    if (lastFetchedEpoch < 0) return undefined;
    const found = this.log.leaderEpochCache.endOffsetFor(lastFetchedEpoch, this.log.logEndOffset);
    if (found.epoch < lastFetchedEpoch || found.endOffset < fetchOffset) return found;
    return undefined;
  }

  private maybeIncrementHighWatermark(): void {
    if (!this.isLeader) return;
    let hw = this.log.logEndOffset;
    for (const replica of this.maximalIsr) {
      if (replica === this.localBrokerId) continue;
      const known = this.followers.get(replica)?.logEndOffset ?? -1;
      hw = Math.min(hw, known < 0 ? this.log.highWatermark : known);
    }
    if (hw > this.log.highWatermark) {
      this.log.updateHighWatermark(hw);
      this.completePendingAcks();
      for (const listener of this.highWatermarkListeners) listener();
    }
  }

  /** Calls `listener` whenever the high watermark advances; returns the unsubscribe function. */
  onHighWatermarkAdvance(listener: () => void): () => void {
    this.highWatermarkListeners.add(listener);
    return () => this.highWatermarkListeners.delete(listener);
  }

  /** Calls `listener` after every append (replica fetches wait for data, not for the HW). */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  get name(): string {
    return `${this.topic}-${this.partition}`;
  }
}
