import { AclOperation, AclPatternType, AclPermissionType, AclResourceType, aclEnumName } from '@samsa/protocol';
import { CLUSTER_RESOURCE_NAME } from '../authorizer.js';
import { parsePrincipal } from '../kafka-principal.js';
import { type AclBinding, type AclBindingFilter, WILDCARD_RESOURCE } from './acl-binding.js';

/**
 * Why CreateAcls refuses a binding (INVALID_REQUEST), or undefined when it may be stored: the
 * checks of Kafka's AclApis, AclAuthorizer.validateAclBinding and AclControlManager.validateNewAcl,
 * plus two Samsa adds (a PREFIXED `*`, which Kafka stores but which only matches names starting
 * with `*`, and a principal without a type, which Kafka refuses with UNKNOWN_SERVER_ERROR).
 */
export function invalidBindingReason(binding: AclBinding): string | undefined {
  const { pattern, entry } = binding;
  const resourceType = aclEnumName(AclResourceType, pattern.resourceType);
  if (resourceType === 'UNKNOWN' || resourceType === 'ANY') return `Invalid resourceType ${resourceType}`;
  if (pattern.patternType !== AclPatternType.LITERAL && pattern.patternType !== AclPatternType.PREFIXED) {
    return `Invalid patternType ${aclEnumName(AclPatternType, pattern.patternType)}`;
  }
  const operation = aclEnumName(AclOperation, entry.operation);
  if (operation === 'UNKNOWN' || operation === 'ANY') return `Invalid operation ${operation}`;
  if (entry.permissionType !== AclPermissionType.ALLOW && entry.permissionType !== AclPermissionType.DENY) {
    return `Invalid permissionType ${aclEnumName(AclPermissionType, entry.permissionType)}`;
  }
  if (pattern.resourceType === AclResourceType.CLUSTER && pattern.name !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  }
  if (pattern.name === '') return 'Invalid empty resource name';
  // The name is a znode name in ZooKeeper mode.
  if (pattern.name.includes('/')) return `ACL binding contains invalid resource name: ${pattern.name}`;
  if (pattern.patternType === AclPatternType.PREFIXED && pattern.name === WILDCARD_RESOURCE) {
    return "The wildcard resource name '*' is only valid with the LITERAL pattern type";
  }
  if (parsePrincipal(entry.principal) === undefined) {
    return `expected a string in format principalType:principalName but got ${entry.principal}`;
  }
  return undefined;
}

/**
 * Why DescribeAcls or DeleteAcls refuses a filter (INVALID_REQUEST): UNKNOWN parts, as Kafka's
 * request classes refuse them.
 */
export function invalidFilterReason(filter: AclBindingFilter): string | undefined {
  const { patternFilter, entryFilter } = filter;
  if (aclEnumName(AclResourceType, patternFilter.resourceType) === 'UNKNOWN') return 'Resource type is UNKNOWN.';
  if (aclEnumName(AclPatternType, patternFilter.patternType) === 'UNKNOWN') return 'Resource pattern type is UNKNOWN.';
  if (aclEnumName(AclOperation, entryFilter.operation) === 'UNKNOWN') return 'Operation is UNKNOWN';
  if (aclEnumName(AclPermissionType, entryFilter.permissionType) === 'UNKNOWN') return 'Permission type is UNKNOWN';
  return undefined;
}
