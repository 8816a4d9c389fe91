/**
 * DeleteAcls (API key 31), versions 0-3: deletes the ACL bindings each filter matches and returns
 * them (Kafka's AclApis.handleDeleteAcls). Needs ALTER on the cluster; without an authorizer
 * every filter gets SECURITY_DISABLED. A filter with UNKNOWN parts gets INVALID_REQUEST.
 * - v1: the pattern type filter and the matching bindings' pattern type; v0 filters are LITERAL.
 * - v2: flexible versions.
 * - v3: same as v2.
 */
import { AclOperation, ApiKey, type DeleteAclsRequest, type DeleteAclsResponseInput, ErrorCode } from '@samsa/protocol';
import { bindingFilterOf, NO_AUTHORIZER_MESSAGE } from './acl-request-support.js';
import { authorizeCluster } from './authorization.js';
import { defineHandler } from './handler.js';

export const deleteAclsHandler = defineHandler<DeleteAclsRequest, DeleteAclsResponseInput>({
  apiKey: ApiKey.DeleteAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const authorizer = ctx.services.authorizer;
    if (authorizer?.deleteAcls === undefined) {
      return everyFilter(request, ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER_MESSAGE);
    }
    if (!authorizeCluster(ctx, AclOperation.ALTER)) {
      return everyFilter(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null);
    }
    const results = await authorizer.deleteAcls(request.filters.map(bindingFilterOf));
    return {
      throttleTimeMs: 0,
      filterResults: results.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        matchingAcls: r.deleted.map(({ binding: { pattern, entry }, errorCode, errorMessage }) => ({
          errorCode,
          errorMessage,
          resourceType: pattern.resourceType,
          resourceName: pattern.name,
          patternType: pattern.patternType,
          principal: entry.principal,
          host: entry.host,
          operation: entry.operation,
          permissionType: entry.permissionType,
        })),
      })),
    };
  },
  errorResponse(request, errorCode) {
    return everyFilter(request, errorCode, null);
  },
});

function everyFilter(
  request: DeleteAclsRequest,
  errorCode: number,
  errorMessage: string | null,
): DeleteAclsResponseInput {
  return {
    throttleTimeMs: 0,
    filterResults: request.filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })),
  };
}
