import type { OffsetCommitValue } from '@samsa/protocol';

/**
 * A committed offset as the coordinator keeps it: what an `OffsetCommitValue` record holds, and
 * where that record stands in the log. Immutable; a new commit replaces the whole value.
 */
export interface OffsetAndMetadata {
  readonly committedOffset: bigint;
  /** -1 when the committer did not know the leader epoch (`RecordBatch.NO_PARTITION_LEADER_EPOCH`). */
  readonly leaderEpoch: number;
  /** Never null: a null metadata in a commit is stored as "" as Kafka does. */
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /**
   * Set only by OffsetCommit v2-v4 with an explicit retention time: the offset then expires at
   * this time regardless of the group's state (the pre-KIP-211 semantics, stored in value v1).
   */
  readonly expireTimestampMs: number | undefined;
  /**
   * Grows with the record's position in the log (Kafka's `recordOffset`): when a transaction
   * commits, its offset replaces the committed one only if its record is the later of the two,
   * so that replaying the log after a restart (or a compaction) gives the same answer. It is the
   * record's offset when loaded; a record an operation produces is replayed before its offset is
   * known and gets the next number after the last one replayed, which keeps the order.
   */
  readonly recordOrder: number;
}

/** What an offset commit writes: everything but the record's place in the log. */
export type OffsetCommitData = Omit<OffsetAndMetadata, 'recordOrder'>;

export function offsetAndMetadataFromRecord(
  value: OffsetCommitValue,
  valueVersion: number,
  recordOrder: number,
): OffsetAndMetadata {
  const expire = valueVersion === 1 && value.expireTimestamp !== -1n ? Number(value.expireTimestamp) : undefined;
  return {
    committedOffset: value.offset,
    leaderEpoch: value.leaderEpoch,
    metadata: value.metadata,
    commitTimestampMs: Number(value.commitTimestamp),
    expireTimestampMs: expire,
    recordOrder,
  };
}
