import { ErrorCode } from '@samsa/protocol';
import type { FetchPartitionResult } from '../replica/replica-manager.js';

/** What a fetcher asks of one partition (the per-partition fields of a Fetch request). */
export interface FetchRequestPartitionData {
  readonly fetchOffset: number;
  /** A follower's own log start offset; -1 from consumers. */
  readonly logStartOffset: number;
  readonly maxBytes: number;
  /** -1 when the fetcher sends none (before Fetch v9). */
  readonly currentLeaderEpoch: number;
  /** -1 when the fetcher sends none (before Fetch v12). */
  readonly lastFetchedEpoch: number;
}

/** A partition named by a Fetch request: by name before v13, by topic id from v13. */
export interface RequestedPartition {
  /** ZERO_UUID before Fetch v13. */
  readonly topicId: string;
  /** undefined when a v13+ topic id names no topic this broker knows. */
  readonly topic: string | undefined;
  readonly partition: number;
  readonly data: FetchRequestPartitionData;
}

/**
 * How a session tells its partitions apart: by topic id when the session uses ids (Fetch v13+),
 * by name otherwise — so a topic recreated under the same name is a different partition to a
 * v13+ session, as in Kafka.
 */
export function sessionPartitionKey(
  usesTopicIds: boolean,
  topicId: string,
  topic: string | undefined,
  partition: number,
): string {
  return usesTopicIds ? `${topicId}:${partition}` : `${topic ?? ''}:${partition}`;
}

/**
 * One partition of an incremental fetch session (Kafka's CachedPartition): the fetcher's last
 * request data, and what the last response that included the partition told it — so that a
 * later response can leave the partition out when nothing it would carry changed.
 */
export class CachedPartition implements RequestedPartition {
  /** -1 until a response carried it, and after an error (so the partition is sent once it clears). */
  highWatermark = -1;
  /**
   * Kafka does not track this one; we do, so that a read_committed consumer hears of a last
   * stable offset that moved without the high watermark (a transaction marker already below it).
   */
  lastStableOffset = -1;
  /** The log start offset the fetcher was last told. */
  logStartOffset = -1;

  constructor(
    readonly topicId: string,
    public topic: string | undefined,
    readonly partition: number,
    public data: FetchRequestPartitionData,
  ) {}

  /**
   * Whether `result` must go in the response: it carries records, an error, a preferred read
   * replica or a diverging epoch, or one of the offsets the fetcher was last told has moved.
   * With `update`, the fetcher is taken to have been told.
   */
  maybeUpdateResponseData(result: FetchPartitionResult, update: boolean): boolean {
    let mustRespond = result.records.length > 0;
    if (this.highWatermark !== result.highWatermark) {
      mustRespond = true;
      if (update) this.highWatermark = result.highWatermark;
    }
    if (this.lastStableOffset !== result.lastStableOffset) {
      mustRespond = true;
      if (update) this.lastStableOffset = result.lastStableOffset;
    }
    if (this.logStartOffset !== result.logStartOffset) {
      mustRespond = true;
      if (update) this.logStartOffset = result.logStartOffset;
    }
    if (result.preferredReadReplica !== undefined && result.preferredReadReplica >= 0) mustRespond = true;
    if (result.errorCode !== ErrorCode.NONE) {
      if (update) this.highWatermark = -1;
      mustRespond = true;
    }
    if (result.divergingEpoch !== undefined) mustRespond = true;
    return mustRespond;
  }
}
