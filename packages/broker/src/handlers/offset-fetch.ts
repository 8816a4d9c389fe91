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
 */
import {
  ApiKey,
  ErrorCode,
  type OffsetFetchRequest,
  type OffsetFetchResponseInput,
  type OffsetFetchResponseTopicInput,
} from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponseInput>({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    const coordinator = ctx.services.groupCoordinator;
    if (ctx.apiVersion >= 8) {
      const groups = await Promise.all(
        request.groups.map((g) => coordinator.fetchOffsets(g.groupId, g.topics, request.requireStable)),
      );
      return { groups };
    }
    const group = await coordinator.fetchOffsets(request.groupId, request.topics, request.requireStable);
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
