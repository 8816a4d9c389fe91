import { setTimeout as sleep } from 'node:timers/promises';
import { BatchHeader, ErrorCode, IsolationLevel, isControl, isTransactional, readBatchHeader } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import type { GroupConfigStore } from '../config/group-config-store.js';
import type { Logger } from '../logger.js';
import type { ReplicaManager } from '../replica/replica-manager.js';
import { autoOffsetResetStart } from './share-auto-offset-reset.js';
import {
  type AcknowledgementBatch,
  type AcquiredRange,
  type FetchedBatch,
  SharePartition,
  type SharePartitionConfig,
} from './share-partition.js';

/** One partition's answer to a share fetch. */
export interface ShareFetchPartitionResult {
  readonly errorCode: number;
  readonly records: Buffer;
  readonly acquired: AcquiredRange[];
}

export interface ShareFetchPartition {
  /** The topic's id keys the share partition: a topic deleted and created again starts afresh. */
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
}

const EMPTY = Buffer.alloc(0);

interface Entry {
  readonly partition: SharePartition;
  /** The partition's config, kept to follow changes of the group's lock duration. */
  readonly config: SharePartitionConfig;
  /** The leader epoch it was built in: a later leadership of this broker starts afresh. */
  readonly leaderEpoch: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The share partitions this broker leads (Kafka's SharePartitionManager): per (group,
 * topic-partition) a SharePartition, created at the first fetch from where
 * `share.auto.offset.reset` says, fed by reads of the log (batch headers only: no record is
 * decoded), acknowledged by ShareFetch and ShareAcknowledge, and released when a lock expires
 * (one timer per partition, at its earliest lock deadline) or a member's share session closes.
 *
 * Kept in memory: Kafka persists each share partition's state in `__share_group_state` through
 * the share coordinator. Here a restarted broker or a new leader starts the group again from
 * `share.auto.offset.reset`.
 */
export class SharePartitionManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly replicaManager: ReplicaManager,
    private readonly groupConfigs: () => GroupConfigStore,
    private readonly config: BrokerConfig,
    private readonly logger: Logger,
  ) {}

  /** The lock duration given to a group's acquired records. */
  lockDurationMs(groupId: string): number {
    return this.groupConfigs().config(groupId).int('share.record.lock.duration.ms');
  }

  private key(groupId: string, topicId: string, partition: number): string {
    return `${groupId}\u0000${topicId}\u0000${partition}`;
  }

  /** The group's share partition, created from `share.auto.offset.reset` when new; an error code when not led here. */
  private partitionFor(groupId: string, topicId: string, topic: string, partition: number): Entry | number {
    const replica = this.replicaManager.getPartition(topic, partition);
    if (replica === undefined) return this.replicaManager.notHostedError(topic, partition);
    if (!replica.isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    const key = this.key(groupId, topicId, partition);
    let entry = this.entries.get(key);
    if (entry !== undefined && entry.leaderEpoch !== replica.leaderEpoch) {
      // Leadership went elsewhere and came back: what this broker knew is stale (in memory only).
      this.drop(key, entry);
      entry = undefined;
    }
    if (entry === undefined) {
      const reset = String(this.groupConfigs().config(groupId).get('share.auto.offset.reset'));
      const start = autoOffsetResetStart(reset, replica.log, replica.highWatermark, Date.now());
      const config: SharePartitionConfig = {
        recordLockDurationMs: this.lockDurationMs(groupId),
        deliveryCountLimit: this.config.int('group.share.delivery.count.limit'),
        maxInFlightRecords: this.config.int('group.share.partition.max.record.locks'),
      };
      entry = {
        partition: new SharePartition(start, config),
        config,
        leaderEpoch: replica.leaderEpoch,
        timer: undefined,
      };
      this.entries.set(key, entry);
    } else {
      // Retention may have removed records the share partition still tracks.
      entry.partition.advanceStartOffset(replica.log.logStartOffset);
    }
    return entry;
  }

  /** Applies a member's acknowledgements to one partition: NONE, or the error to report. */
  acknowledge(
    groupId: string,
    memberId: string,
    { topicId, topic, partition }: ShareFetchPartition,
    batches: readonly AcknowledgementBatch[],
  ): number {
    const replica = this.replicaManager.getPartition(topic, partition);
    if (replica?.isLeader !== true) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    const entry = this.entries.get(this.key(groupId, topicId, partition));
    if (entry === undefined || entry.leaderEpoch !== replica.leaderEpoch) return ErrorCode.INVALID_RECORD_STATE;
    const result = entry.partition.acknowledge(memberId, batches);
    this.armTimer(entry);
    if (result === 'ok') return ErrorCode.NONE;
    return result === 'INVALID_REQUEST' ? ErrorCode.INVALID_REQUEST : ErrorCode.INVALID_RECORD_STATE;
  }

  /** A member's share session closed or was replaced: what it still holds on `partitions` becomes available. */
  releaseMember(groupId: string, memberId: string, partitions: Iterable<ShareFetchPartition>): void {
    for (const { topicId, partition } of partitions) {
      const entry = this.entries.get(this.key(groupId, topicId, partition));
      if (entry === undefined) continue;
      entry.partition.releaseMember(memberId);
      this.armTimer(entry);
    }
  }

  /**
   * Reads each partition from where its share partition wants records next and acquires up to
   * `maxRecords` in all for the member. Waits up to `maxWaitMs` for `minBytes` (the log's long
   * poll) when nothing is there yet.
   */
  async fetch(
    groupId: string,
    memberId: string,
    partitions: readonly ShareFetchPartition[],
    limits: {
      readonly maxWaitMs: number;
      readonly minBytes: number;
      readonly maxBytes: number;
      readonly maxRecords: number;
    },
  ): Promise<ShareFetchPartitionResult[]> {
    const results: ShareFetchPartitionResult[] = partitions.map(() => ({
      errorCode: ErrorCode.NONE,
      records: EMPTY,
      acquired: [],
    }));
    // A new share partition starts where the group's share.auto.offset.reset says: read it fresh.
    const isNew = (p: ShareFetchPartition) =>
      !this.entries.has(this.key(groupId, p.topicId, p.partition)) &&
      this.replicaManager.getPartition(p.topic, p.partition)?.isLeader === true;
    if (partitions.some(isNew)) {
      await this.groupConfigs().refresh(groupId);
    }
    const reads: { index: number; entry: Entry }[] = [];
    partitions.forEach(({ topicId, topic, partition }, index) => {
      const entry = this.partitionFor(groupId, topicId, topic, partition);
      if (typeof entry === 'number') results[index] = { errorCode: entry, records: EMPTY, acquired: [] };
      else if (entry.partition.canAcquire()) reads.push({ index, entry });
    });
    // MaxBytes 0 asks for acknowledgements only, as MaxRecords 0 does (KIP-74's first batch does not apply).
    if (limits.maxRecords <= 0 || limits.maxBytes <= 0) return results;
    if (reads.length === 0) {
      // Nothing can be acquired now (every in-flight record held, the window full): wait as a
      // fetch waits for data, so that members do not spin; records released meanwhile go out at
      // the next fetch.
      if (limits.maxWaitMs > 0 && results.every((r) => r.errorCode === ErrorCode.NONE)) await sleep(limits.maxWaitMs);
      return results;
    }
    const lockDurationMs = this.lockDurationMs(groupId);
    for (const { entry } of reads) entry.config.recordLockDurationMs = lockDurationMs;
    const readCommitted = this.groupConfigs().config(groupId).get('share.isolation.level') === 'read_committed';
    const readFrom = reads.map(({ entry }) => entry.partition.nextFetchOffset());
    const read = await this.replicaManager.fetchMessages({
      replicaId: -1,
      maxWaitMs: limits.maxWaitMs,
      minBytes: Math.min(limits.minBytes, limits.maxBytes),
      maxBytes: limits.maxBytes,
      isolationLevel: readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED,
      partitions: reads.map(({ index }, i) => ({
        topic: (partitions[index] as ShareFetchPartition).topic,
        partition: (partitions[index] as ShareFetchPartition).partition,
        fetchOffset: readFrom[i] as number,
        partitionMaxBytes: limits.maxBytes,
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
      })),
    });
    let remaining = limits.maxRecords;
    const nowMs = Date.now();
    read.forEach((r, i) => {
      const { index, entry } = reads[i] as { index: number; entry: Entry };
      if (r.errorCode !== ErrorCode.NONE) {
        results[index] = { errorCode: r.errorCode, records: EMPTY, acquired: [] };
        return;
      }
      if (remaining <= 0 || r.records.length === 0) return;
      const fetchOffset = readFrom[i] as number;
      const { batches, endOffset } = scanBatches(r.records, r.abortedTransactions);
      const acquired = entry.partition.acquire(memberId, batches, remaining, nowMs, {
        startOffset: fetchOffset,
        endOffset: Math.max(fetchOffset, endOffset),
      });
      for (const range of acquired) remaining -= range.lastOffset - range.firstOffset + 1;
      this.armTimer(entry);
      if (acquired.length > 0) results[index] = { errorCode: ErrorCode.NONE, records: r.records, acquired };
    });
    return results;
  }

  private drop(key: string, entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  /** One timer per share partition, at its earliest lock deadline: expired locks release their records. */
  private armTimer(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    const deadline = entry.partition.nextLockDeadlineMs();
    if (deadline === undefined) return;
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        const released = entry.partition.expireLocks(Date.now());
        if (released > 0) this.logger.debug(`released ${released} records whose acquisition lock expired`);
        this.armTimer(entry);
      },
      Math.max(0, deadline - Date.now()),
    );
    entry.timer.unref();
  }

  close(): void {
    for (const entry of this.entries.values()) if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.clear();
  }
}

/**
 * The data batches of a log read, by their headers (a read may end inside a batch: that part is
 * left out). Control batches (transaction markers) are not records to deliver, and under
 * read_committed neither are the batches of aborted transactions (`aborted`, as a read_committed
 * Fetch reports them): the offsets they hold become gaps, which the share partition archives.
 * Aborted batches are found as Java's consumer finds them: a transactional batch of a producer
 * whose aborted transaction began at or before the batch's end, until that producer's marker.
 */
export function batchesOf(
  records: Buffer,
  aborted: readonly { readonly producerId: number; readonly firstOffset: number }[] | null = null,
): FetchedBatch[] {
  return scanBatches(records, aborted).batches;
}

/** batchesOf, with the offset after the read's last whole batch (data or control; -1 when none is whole). */
export function scanBatches(
  records: Buffer,
  aborted: readonly { readonly producerId: number; readonly firstOffset: number }[] | null = null,
): { batches: FetchedBatch[]; endOffset: number } {
  const batches: FetchedBatch[] = [];
  let endOffset = -1;
  const pending = aborted === null ? [] : [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  let pos = 0;
  while (pos + BatchHeader.SIZE <= records.length) {
    const header = readBatchHeader(records, pos);
    if (pos + header.sizeInBytes > records.length) break;
    pos += header.sizeInBytes;
    const lastOffset = header.baseOffset + header.lastOffsetDelta;
    endOffset = lastOffset + 1;
    while (pending.length > 0 && (pending[0] as { firstOffset: number }).firstOffset <= lastOffset) {
      abortedProducers.add((pending.shift() as { producerId: number }).producerId);
    }
    if (isControl(header.attributes)) {
      // The marker ends the producer's transaction, aborted or not.
      abortedProducers.delete(header.producerId);
      continue;
    }
    if (isTransactional(header.attributes) && abortedProducers.has(header.producerId)) continue;
    batches.push({ baseOffset: header.baseOffset, lastOffset });
  }
  return { batches, endOffset };
}
