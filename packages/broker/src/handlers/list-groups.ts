/**
 * ListGroups (API key 16), versions 0-5: the groups this broker coordinates.
 * - v1: throttle time in the response.
 * - v2: same as v1.
 * - v3: flexible versions.
 * - v4: states filter and each group's state (KIP-518).
 * - v5: types filter and each group's type, always "classic" here (KIP-848).
 */
import { ApiKey, type ListGroupsRequest, type ListGroupsResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponseInput>({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(request, ctx) {
    return ctx.services.groupCoordinator.listGroups(request.statesFilter, request.typesFilter);
  },
});
