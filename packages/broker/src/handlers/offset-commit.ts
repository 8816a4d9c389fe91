/**
 * OffsetCommit (key 8), versions 0-9: stores a group's consumed positions.
 * v0: no generation or member id (a commit outside group management). v1: generation, member id,
 * per-partition commit timestamp. v2: retention time instead (stored as value version 1 with an
 * expire timestamp when set). v3: throttle time. v4: same as v3. v5: no retention time (KIP-211).
 * v6: committed leader epoch (KIP-320). v7: group instance id (KIP-345). v8: flexible. v9:
 * generation id or member epoch (KIP-848); an unknown group is GROUP_ID_NOT_FOUND instead of
 * ILLEGAL_GENERATION.
 *
 * As in Kafka, partitions of topics the cluster does not have are refused here
 * (UNKNOWN_TOPIC_OR_PARTITION) and never reach the coordinator.
 *
 * ACLs (KafkaApis.handleOffsetCommitRequest): READ on the group, else every partition answers
 * GROUP_AUTHORIZATION_FAILED; then READ on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked).
 */
import {
  ApiKey,
  ErrorCode,
  type OffsetCommitRequest,
  type OffsetCommitResponseInput,
  type OffsetCommitResponseTopicInput,
} from '@samsa/protocol';
import type { OffsetCommitTopicArgs } from '../coordinator/group/offset-metadata-manager.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized, requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponseInput>({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const image = ctx.services.metadata.image;
    const known: OffsetCommitTopicArgs[] = [];
    for (const topic of request.topics) {
      if (!readable.has(topic.name)) continue;
      const partitions = topic.partitions.filter((p) => image.partition(topic.name, p.partitionIndex) !== undefined);
      if (partitions.length > 0) known.push({ name: topic.name, partitions });
    }
    const errors = new Map<string, number>();
    if (known.length > 0) {
      const committed: OffsetCommitResponseTopicInput[] = await ctx.services.groupCoordinator.commitOffsets({
        groupId: request.groupId,
        generationIdOrMemberEpoch: request.generationIdOrMemberEpoch,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        retentionTimeMs: request.retentionTimeMs,
        topics: known,
        unknownGroupErrorCode: ctx.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION,
        apiVersion: ctx.apiVersion,
      });
      for (const t of committed) {
        for (const p of t.partitions ?? [])
          errors.set(key(t.name ?? '', p.partitionIndex ?? 0), p.errorCode ?? ErrorCode.NONE);
      }
    }
    return {
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: !readable.has(t.name)
            ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
            : (errors.get(key(t.name, p.partitionIndex)) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
        })),
      })),
    };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  }),
});
