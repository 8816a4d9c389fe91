import {
  AclOperation,
  type AclOperationCode,
  AclPatternType,
  AclPermissionType,
  type AclResourceTypeCode,
} from '@samsa/protocol';
import { WILDCARD_RESOURCE } from './acl-binding.js';
import type { AclCache } from './acl-cache.js';
import { entryApplies } from './acl-decision.js';

/**
 * The ACL part of Kafka's default `Authorizer.authorizeByResourceType` (KIP-679), which its
 * authorizers run after asking `authorize` about a resource named "hardcode" (that covers super
 * users and `allow.everyone.if.no.acl.found`): whether some ALLOW of exactly `operation` (or ALL)
 * for the caller names a resource of the type that no DENY covers. A LITERAL `*` DENY denies
 * everything, a LITERAL `*` ALLOW allows; a LITERAL ALLOW is covered by a LITERAL DENY of the same
 * name or a PREFIXED DENY of a prefix of it, a PREFIXED ALLOW by a PREFIXED DENY of a prefix of
 * it. Implied operations do not count here, as in Kafka.
 */
export function allowedOnSomeResource(
  cache: AclCache,
  principal: string,
  host: string,
  operation: AclOperationCode,
  resourceType: AclResourceTypeCode,
): boolean {
  const denyLiteral = new Set<string>();
  const denyPrefixed = new Set<string>();
  const allowLiteral = new Set<string>();
  const allowPrefixed = new Set<string>();
  let wildcardAllow = false;
  for (const { pattern, entries } of cache.resources()) {
    if (pattern.resourceType !== resourceType) continue;
    const literal = pattern.patternType === AclPatternType.LITERAL;
    for (const entry of entries) {
      if (!entryApplies(entry, principal, host)) continue;
      if (entry.operation !== operation && entry.operation !== AclOperation.ALL) continue;
      if (entry.permissionType === AclPermissionType.DENY) {
        if (literal && pattern.name === WILDCARD_RESOURCE) return false;
        (literal ? denyLiteral : denyPrefixed).add(pattern.name);
      } else if (literal && pattern.name === WILDCARD_RESOURCE) {
        wildcardAllow = true;
      } else {
        (literal ? allowLiteral : allowPrefixed).add(pattern.name);
      }
    }
  }
  if (wildcardAllow) return true;
  const dominatedByPrefixDeny = (name: string): boolean => {
    for (let length = 1; length <= name.length; length++) if (denyPrefixed.has(name.slice(0, length))) return true;
    return false;
  };
  for (const name of allowLiteral) if (!denyLiteral.has(name) && !dominatedByPrefixDeny(name)) return true;
  for (const name of allowPrefixed) if (!dominatedByPrefixDeny(name)) return true;
  return false;
}
