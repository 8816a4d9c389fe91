/**
 * OffsetFetch (API key 9), versions 0-9: a group's committed offsets.
 * - v0: offsets that Kafka kept in ZooKeeper; here there is only the coordinator's storage, as v1.
 * - v1: offsets stored by the coordinator.
 * - v2: top-level error code; null topics means every committed partition.
 * - v3: throttle time in the response.
 * - v4: same as v3.
 * - v5: committed leader epoch (KIP-320).
 * - v6: flexible versions.
 * - v7: require stable (KIP-447): partitions with pending transactional commits answer
 *   UNSTABLE_OFFSET_COMMIT.
 * - v8: several groups per request (KIP-709).
 * - v9: member id and epoch (KIP-848), meaningless for classic groups and ignored.
 *
 * ACLs (KafkaApis.handleOffsetFetchRequestFromCoordinator): DESCRIBE on each group, else the group
 * answers GROUP_AUTHORIZATION_FAILED. Offsets of topics the principal may not DESCRIBE are never
 * shown: left out when all the group's offsets are asked for, TOPIC_AUTHORIZATION_FAILED on the
 * partitions when the topics are named (not asked of the coordinator at all).
 */
import {
  ApiKey,
  ErrorCode,
  type OffsetFetchRequest,
  type OffsetFetchResponseGroupInput,
  type OffsetFetchResponseInput,
  type OffsetFetchResponseTopicInput,
} from '@samsa/protocol';
import type { OffsetFetchTopicsArg } from '../coordinator/group/offset-metadata-manager.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize, filterAuthorized } from './authorization.js';
import { defineHandler, type RequestContext } from './handler.js';

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponseInput>({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    if (ctx.apiVersion >= 8) {
      const groups = await Promise.all(
        request.groups.map((g) =>
          fetchGroupOffsets(
            ctx,
            g.groupId,
            g.topics,
            request.requireStable,
            // v9 (KIP-848): a consumer group member's fetch is checked against its epoch.
            ctx.apiVersion >= 9 ? { memberId: g.memberId, memberEpoch: g.memberEpoch } : undefined,
          ),
        ),
      );
      return { groups };
    }
    const group = await fetchGroupOffsets(ctx, request.groupId, request.topics, request.requireStable);
    const errorCode = group.errorCode ?? ErrorCode.NONE;
    if (ctx.apiVersion < 2 && errorCode !== ErrorCode.NONE) {
      // v0-v1 have no group-level error: every requested partition carries it.
      const topics: OffsetFetchResponseTopicInput[] = (request.topics ?? []).map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({
          partitionIndex,
          committedOffset: -1n,
          metadata: '',
          errorCode,
        })),
      }));
      return { topics };
    }
    return { errorCode, topics: group.topics ?? [] };
  },
  // v0-1 carry errors per partition, v8+ per group.
  errorResponse: (request, errorCode, ctx) =>
    ctx.apiVersion >= 8
      ? { groups: request.groups.map((g) => ({ groupId: g.groupId, errorCode })) }
      : {
          errorCode,
          topics: (request.topics ?? []).map((t) => ({
            name: t.name,
            partitions: t.partitionIndexes.map((partitionIndex) => ({
              partitionIndex,
              committedOffset: -1n,
              errorCode,
            })),
          })),
        },
});

/** One group's offsets, as far as the principal may see them. */
async function fetchGroupOffsets(
  ctx: RequestContext,
  groupId: string,
  topics: OffsetFetchTopicsArg,
  requireStable: boolean,
  member?: { readonly memberId: string | null; readonly memberEpoch: number },
): Promise<OffsetFetchResponseGroupInput> {
  const coordinator = ctx.services.groupCoordinator;
  if (ctx.services.authorizer === undefined) return coordinator.fetchOffsets(groupId, topics, requireStable, member);
  if (!authorize(ctx, AclOperationCode.DESCRIBE, ResourceType.GROUP, groupId)) {
    return { groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] };
  }
  if (topics === null) {
    const group = await coordinator.fetchOffsets(groupId, null, requireStable, member);
    if ((group.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) return group;
    const found = group.topics ?? [];
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TOPIC,
      found.map((t) => t.name ?? ''),
    );
    return { ...group, topics: found.filter((t) => describable.has(t.name ?? '')) };
  }
  const describable = filterAuthorized(
    ctx,
    AclOperationCode.DESCRIBE,
    ResourceType.TOPIC,
    topics.map((t) => t.name),
  );
  const group = await coordinator.fetchOffsets(
    groupId,
    topics.filter((t) => describable.has(t.name)),
    requireStable,
    member,
  );
  if ((group.errorCode ?? ErrorCode.NONE) !== ErrorCode.NONE) return group;
  const denied = topics
    .filter((t) => !describable.has(t.name))
    .map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1n,
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      })),
    }));
  return denied.length === 0 ? group : { ...group, topics: [...(group.topics ?? []), ...denied] };
}
