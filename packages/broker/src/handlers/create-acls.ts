/**
 * CreateAcls (API key 30), versions 0-3: stores ACL bindings (Kafka's AclApis.handleCreateAcls).
 * Needs ALTER on the cluster; without an authorizer every binding gets SECURITY_DISABLED. Each
 * binding has its own outcome: INVALID_REQUEST for one that cannot be stored (see
 * acl-validation.ts), NONE when stored or already there.
 * - v1: the resource pattern type (LITERAL or PREFIXED; v0 bindings are LITERAL).
 * - v2: flexible versions.
 * - v3: same as v2.
 */
import {
  AclOperation,
  type AclOperationCode,
  type AclPatternTypeCode,
  type AclPermissionTypeCode,
  type AclResourceTypeCode,
  ApiKey,
  type CreateAclsRequest,
  type CreateAclsResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import type { AclBinding } from '../security/acl/acl-binding.js';
import { NO_AUTHORIZER_MESSAGE } from './acl-request-support.js';
import { authorizeCluster } from './authorization.js';
import { defineHandler } from './handler.js';

export const createAclsHandler = defineHandler<CreateAclsRequest, CreateAclsResponseInput>({
  apiKey: ApiKey.CreateAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const authorizer = ctx.services.authorizer;
    if (authorizer?.createAcls === undefined) {
      return everyCreation(request, ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER_MESSAGE);
    }
    if (!authorizeCluster(ctx, AclOperation.ALTER)) {
      return everyCreation(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null);
    }
    const bindings = request.creations.map(
      (c): AclBinding => ({
        pattern: {
          resourceType: c.resourceType as AclResourceTypeCode,
          name: c.resourceName,
          patternType: c.resourcePatternType as AclPatternTypeCode,
        },
        entry: {
          principal: c.principal,
          host: c.host,
          operation: c.operation as AclOperationCode,
          permissionType: c.permissionType as AclPermissionTypeCode,
        },
      }),
    );
    return { throttleTimeMs: 0, results: await authorizer.createAcls(bindings) };
  },
  errorResponse(request, errorCode) {
    return everyCreation(request, errorCode, null);
  },
});

function everyCreation(
  request: CreateAclsRequest,
  errorCode: number,
  errorMessage: string | null,
): CreateAclsResponseInput {
  return { throttleTimeMs: 0, results: request.creations.map(() => ({ errorCode, errorMessage })) };
}
