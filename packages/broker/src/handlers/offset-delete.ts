/**
 * OffsetDelete (API key 47), version 0 (KIP-496): deletes committed offsets of a group, refusing
 * (GROUP_SUBSCRIBED_TO_TOPIC) partitions of topics a member of a live consumer group subscribes to.
 */
import { ApiKey, type OffsetDeleteRequest, type OffsetDeleteResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const offsetDeleteHandler = defineHandler<OffsetDeleteRequest, OffsetDeleteResponseInput>({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  handle(request, ctx) {
    return ctx.services.groupCoordinator.deleteOffsets(request.groupId, request.topics);
  },
});
