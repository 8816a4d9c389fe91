/**
 * OffsetCommit (API key 8), versions 0-9: stores a group's consumed positions.
 * - v0: no generation or member id (a commit outside group management).
 * - v1: generation and member id; a per-partition commit timestamp.
 * - v2: retention time instead of per-partition timestamps (stored as value version 1 with an
 *   expire timestamp when set).
 * - v3: throttle time in the response.
 * - v4: same as v3.
 * - v5: no retention time (KIP-211: offsets expire by group state).
 * - v6: committed leader epoch (KIP-320).
 * - v7: group instance id (KIP-345).
 * - v8: flexible versions.
 * - v9: generation id or member epoch (KIP-848); an unknown group is GROUP_ID_NOT_FOUND instead of
 *   ILLEGAL_GENERATION.
 */
import { ApiKey, ErrorCode, type OffsetCommitRequest, type OffsetCommitResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponseInput>({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    const topics = await ctx.services.groupCoordinator.commitOffsets({
      groupId: request.groupId,
      generationIdOrMemberEpoch: request.generationIdOrMemberEpoch,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      retentionTimeMs: request.retentionTimeMs,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: p.committedLeaderEpoch,
          commitTimestamp: p.commitTimestamp,
          committedMetadata: p.committedMetadata,
        })),
      })),
      unknownGroupErrorCode: ctx.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION,
    });
    return { topics };
  },
});
