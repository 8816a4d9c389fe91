/**
 * DescribeAcls (API key 29), versions 0-3: the stored ACL bindings a filter matches, grouped by
 * resource pattern (Kafka's AclApis.handleDescribeAcls), from this broker's ACL cache. Needs
 * DESCRIBE on the cluster; without an authorizer the answer is SECURITY_DISABLED.
 * - v1: the pattern type filter (ANY, MATCH, LITERAL, PREFIXED); v0 filters are LITERAL, so v0
 *   clients see LITERAL bindings only, as in Kafka.
 * - v2: flexible versions.
 * - v3: same as v2.
 */
import {
  AclOperation,
  ApiKey,
  type DescribeAclsRequest,
  type DescribeAclsResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { type AclBinding, patternKey } from '../security/acl/acl-binding.js';
import { invalidFilterReason } from '../security/acl/acl-validation.js';
import { bindingFilterOf, NO_AUTHORIZER_DESCRIBE_MESSAGE } from './acl-request-support.js';
import { authorizeCluster } from './authorization.js';
import { defineHandler } from './handler.js';

export const describeAclsHandler = defineHandler<DescribeAclsRequest, DescribeAclsResponseInput>({
  apiKey: ApiKey.DescribeAcls,
  minVersion: 0,
  maxVersion: 3,
  handle(request, ctx) {
    const authorizer = ctx.services.authorizer;
    if (authorizer?.acls === undefined) return failed(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER_DESCRIBE_MESSAGE);
    if (!authorizeCluster(ctx, AclOperation.DESCRIBE)) {
      return failed(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null);
    }
    const filter = bindingFilterOf(request);
    const invalid = invalidFilterReason(filter);
    if (invalid !== undefined) return failed(ErrorCode.INVALID_REQUEST, invalid);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      resources: byPattern(authorizer.acls(filter)),
    };
  },
});

function failed(errorCode: number, errorMessage: string | null): DescribeAclsResponseInput {
  return { throttleTimeMs: 0, errorCode, errorMessage, resources: [] };
}

interface DescribedResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly patternType: number;
  readonly acls: { principal: string; host: string; operation: number; permissionType: number }[];
}

/** Kafka's DescribeAclsResponse.aclsResources: one resource per pattern, with its entries. */
function byPattern(bindings: readonly AclBinding[]): DescribedResource[] {
  const resources = new Map<string, DescribedResource>();
  for (const { pattern, entry } of bindings) {
    const key = patternKey(pattern);
    let resource = resources.get(key);
    if (resource === undefined) {
      resource = {
        resourceType: pattern.resourceType,
        resourceName: pattern.name,
        patternType: pattern.patternType,
        acls: [],
      };
      resources.set(key, resource);
    }
    const { principal, host, operation, permissionType } = entry;
    resource.acls.push({ principal, host, operation, permissionType });
  }
  return [...resources.values()];
}
