import { AclOperation, type AclOperationCode, AclPermissionType, type AclResourceTypeCode } from '@samsa/protocol';
import { type AccessControlEntry, WILDCARD_HOST, WILDCARD_PRINCIPAL } from './acl-binding.js';
import type { AclCache } from './acl-cache.js';

/** What decides besides the ACLs (`super.users`, `allow.everyone.if.no.acl.found`). */
export interface DecisionConfig {
  /** Principals in `Type:name` form allowed everything. */
  readonly superUsers: ReadonlySet<string>;
  readonly allowEveryoneIfNoAclFound: boolean;
}

/**
 * Operations whose ALLOW also allows another (Kafka's AclOperation docs): READ, WRITE, DELETE
 * and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS. DENY implies nothing.
 */
const ALLOWED_BY: ReadonlyMap<AclOperationCode, readonly AclOperationCode[]> = new Map([
  [
    AclOperation.DESCRIBE,
    [AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER],
  ],
  [AclOperation.DESCRIBE_CONFIGS, [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS]],
]);

/**
 * Kafka's AclAuthorizer.authorizeAction, synchronous over the cache: a super user is allowed;
 * otherwise the ACLs applying to the resource (its LITERAL name, the LITERAL `*`, the PREFIXED
 * prefixes of its name) decide — none at all allows only with allow.everyone.if.no.acl.found; a
 * matching DENY wins over any ALLOW; else some matching ALLOW (of the operation, an operation
 * implying it, or ALL) is needed. An entry matches when its principal is the caller's or
 * `User:*`, and its host is the caller's address or `*`.
 */
export function isAllowed(
  cache: AclCache,
  config: DecisionConfig,
  principal: string,
  host: string,
  operation: AclOperationCode,
  resourceType: AclResourceTypeCode,
  resourceName: string,
): boolean {
  if (config.superUsers.has(principal)) return true;
  const lists = cache.matching(resourceType, resourceName);
  if (lists.length === 0) return config.allowEveryoneIfNoAclFound;
  const allowedBy = ALLOWED_BY.get(operation) ?? [operation];
  let allowed = false;
  for (const entries of lists) {
    for (const entry of entries) {
      if (!entryApplies(entry, principal, host)) continue;
      if (entry.permissionType === AclPermissionType.DENY) {
        if (entry.operation === operation || entry.operation === AclOperation.ALL) return false;
      } else if (!allowed) {
        allowed = entry.operation === AclOperation.ALL || allowedBy.includes(entry.operation);
      }
    }
  }
  return allowed;
}

/** Whether an entry is about this principal and host. */
export function entryApplies(entry: AccessControlEntry, principal: string, host: string): boolean {
  return (
    (entry.principal === principal || entry.principal === WILDCARD_PRINCIPAL) &&
    (entry.host === host || entry.host === WILDCARD_HOST)
  );
}
