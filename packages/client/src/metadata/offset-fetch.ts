import { OffsetFetchApi, type OffsetFetchRequestInput, type OffsetFetchResponse } from '@samsa/protocol';
import { groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { Connection, RequestOptions } from '../connection/connection.js';

/** One partition of an OffsetFetch answer, with its own error code (0 when the offset is usable). */
export interface FetchedOffset extends TopicPartition {
  readonly errorCode: number;
  /** -1n when the group has no offset for the partition. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

/** One group's part of an OffsetFetch answer: its group-level error code and its partitions, in response order. */
export interface GroupOffsetsFetched {
  readonly errorCode: number;
  readonly partitions: readonly FetchedOffset[];
}

/**
 * OffsetFetch's request body for a version: one group in the single-group form (v0-7) or as the
 * only entry of `groups` (v8+, KIP-709). `partitions` null asks for every partition the group
 * has an offset for (v2+).
 */
export function offsetFetchRequest(
  version: number,
  groupId: string,
  partitions: readonly TopicPartition[] | null,
  requireStable: boolean,
): OffsetFetchRequestInput {
  const topics =
    partitions === null
      ? null
      : groupByTopic(partitions).map((t) => ({ name: t.topic, partitionIndexes: t.partitions }));
  return version >= 8
    ? { groups: [{ groupId, memberId: null, memberEpoch: -1, topics }], requireStable }
    : { groupId, topics, requireStable };
}

/**
 * The one group's answer out of an OffsetFetch response of either form; undefined when a v8+
 * response has no group entry (callers decide what that means — a broker bug either way). The
 * request asked for one group, so a v8+ answer's first entry is taken as its. Before v2 the
 * response has no group-level error code: it reads as 0.
 */
export function offsetFetchResult(version: number, response: OffsetFetchResponse): GroupOffsetsFetched | undefined {
  const source = version >= 8 ? response.groups[0] : { errorCode: response.errorCode, topics: response.topics };
  if (source === undefined) return undefined;
  const partitions: FetchedOffset[] = [];
  for (const t of source.topics) {
    for (const p of t.partitions) {
      partitions.push({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.metadata,
      });
    }
  }
  return { errorCode: source.errorCode, partitions };
}

/** Asks `connection` (the group's coordinator) for the group's committed offsets, in the negotiated version's form. */
export async function fetchGroupOffsets(
  connection: Connection,
  groupId: string,
  partitions: readonly TopicPartition[] | null,
  requireStable: boolean,
  options: RequestOptions = {},
): Promise<GroupOffsetsFetched | undefined> {
  const { version, response } = await connection.requestVersioned(
    OffsetFetchApi,
    (v) => offsetFetchRequest(v, groupId, partitions, requireStable),
    options,
  );
  return offsetFetchResult(version, response);
}

/** The committed offset alone, as the admin and consumer APIs return it. */
export function withoutErrorCode(fetched: FetchedOffset): Omit<FetchedOffset, 'errorCode'> {
  return {
    topic: fetched.topic,
    partition: fetched.partition,
    offset: fetched.offset,
    leaderEpoch: fetched.leaderEpoch,
    metadata: fetched.metadata,
  };
}
