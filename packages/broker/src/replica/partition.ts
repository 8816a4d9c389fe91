import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { AppendInfo, AppendOrigin, Log } from '@samsa/storage';
import type { PartitionRegistration } from '../metadata/cluster-image.js';

/**
 * One partition replica on this broker: its log plus the replication state the controller
 * assigned (leader, leader epoch, replicas, ISR).
 *
 * The high watermark is the smallest log end offset among the in-sync replicas; on a single node
 * the ISR is this broker alone, so it follows the log end offset. Followers' end offsets are
 * recorded from their fetches (`updateFollowerEndOffset`) once replication exists — the rule
 * stays the same.
 *
 * Not reentrant with respect to appends: `appendRecordsToLeader` is synchronous, so appends from
 * concurrent requests are ordered by the event loop.
 */
export class Partition {
  private registration: PartitionRegistration;
  /** Log end offsets of followers, by broker id (leader only). */
  private readonly followerEndOffsets = new Map<number, number>();
  /** Total bytes ever appended here; delayed fetches compare it to decide whether enough arrived. */
  bytesAppended = 0;
  private readonly highWatermarkListeners = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly topicId: string,
    readonly log: Log,
    registration: PartitionRegistration,
    private readonly localBrokerId: number,
  ) {
    this.registration = registration;
    if (this.isLeader) this.onBecomeLeader();
  }

  get leaderId(): number {
    return this.registration.leader;
  }

  get leaderEpoch(): number {
    return this.registration.leaderEpoch;
  }

  get replicas(): readonly number[] {
    return this.registration.replicas;
  }

  get isr(): readonly number[] {
    return this.registration.isr;
  }

  get isLeader(): boolean {
    return this.registration.leader === this.localBrokerId;
  }

  get highWatermark(): number {
    return this.log.highWatermark;
  }

  /** Applies a new registration from the controller (leader change, ISR change, epoch bump). */
  update(registration: PartitionRegistration): void {
    const becameLeader = registration.leader === this.localBrokerId && registration.leaderEpoch !== this.leaderEpoch;
    this.registration = registration;
    if (becameLeader) this.onBecomeLeader();
    else this.maybeIncrementHighWatermark();
  }

  /**
   * Kafka records the new epoch at the log end offset when a replica becomes leader, and forgets
   * what it knew of followers. The high watermark then moves as far as the ISR allows — for a
   * sole replica that is the log end offset, which restores it after a crash lost the checkpoint.
   */
  private onBecomeLeader(): void {
    const latest = this.log.leaderEpochCache.latestEpoch;
    if (latest === undefined || this.registration.leaderEpoch > latest) {
      this.log.leaderEpochCache.assign(this.registration.leaderEpoch, this.log.logEndOffset);
    }
    this.followerEndOffsets.clear();
    this.maybeIncrementHighWatermark();
  }

  /**
   * Checks the leader epoch a client believes is current (KIP-320): older → FENCED_LEADER_EPOCH,
   * newer → UNKNOWN_LEADER_EPOCH, -1 → no check.
   */
  checkLeaderEpoch(currentLeaderEpoch: number): number {
    if (currentLeaderEpoch < 0 || currentLeaderEpoch === this.leaderEpoch) return ErrorCode.NONE;
    return currentLeaderEpoch < this.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
  }

  /** min.insync.replicas of this partition's topic (topic override, else the broker's). */
  get minInSyncReplicas(): number {
    return this.log.config.minInSyncReplicas;
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
    this.maybeIncrementHighWatermark();
    return info;
  }

  /**
   * Resolves when the records up to `lastOffset` are as durable as the topic's flush settings
   * demand (`flush.messages`): with `flush.messages=1` that is an fsync, shared with every other
   * append waiting at the same time (group commit, off the event loop).
   */
  async awaitDurable(lastOffset: number): Promise<void> {
    if (this.log.recoveryPoint > lastOffset) return;
    if (this.log.unflushedMessageCount < this.log.config.flushMessages) return;
    await this.log.flush();
  }

  /** Records a follower's fetch position (leader only) and moves the high watermark if it can. */
  updateFollowerEndOffset(brokerId: number, logEndOffset: number): void {
    this.followerEndOffsets.set(brokerId, logEndOffset);
    this.maybeIncrementHighWatermark();
  }

  private maybeIncrementHighWatermark(): void {
    if (!this.isLeader) return;
    let hw = this.log.logEndOffset;
    for (const replica of this.isr) {
      if (replica === this.localBrokerId) continue;
      hw = Math.min(hw, this.followerEndOffsets.get(replica) ?? this.log.highWatermark);
    }
    if (hw > this.log.highWatermark) {
      this.log.updateHighWatermark(hw);
      for (const listener of this.highWatermarkListeners) listener();
    }
  }

  /** Calls `listener` whenever the high watermark advances; returns the unsubscribe function. */
  onHighWatermarkAdvance(listener: () => void): () => void {
    this.highWatermarkListeners.add(listener);
    return () => this.highWatermarkListeners.delete(listener);
  }

  get name(): string {
    return `${this.topic}-${this.partition}`;
  }
}
