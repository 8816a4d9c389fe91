import { AclOperation, AclPatternType, AclPermissionType, AclResourceType } from '@samsa/protocol';
import {
  type AccessControlEntry,
  type AccessControlEntryFilter,
  type AclBinding,
  type AclBindingFilter,
  type ResourcePattern,
  type ResourcePatternFilter,
  WILDCARD_RESOURCE,
} from './acl-binding.js';

/**
 * Kafka's filter semantics (ResourcePatternFilter.matches, AccessControlEntryFilter.matches), which
 * DescribeAcls and DeleteAcls apply to stored bindings.
 */

/** Whether a pattern filter selects a stored pattern. */
export function patternFilterMatches(filter: ResourcePatternFilter, pattern: ResourcePattern): boolean {
  if (filter.resourceType !== AclResourceType.ANY && filter.resourceType !== pattern.resourceType) return false;
  const anyOrMatch = filter.patternType === AclPatternType.ANY || filter.patternType === AclPatternType.MATCH;
  if (!anyOrMatch && filter.patternType !== pattern.patternType) return false;
  if (filter.name === null) return true;
  if (filter.patternType === AclPatternType.ANY || filter.patternType === pattern.patternType) {
    return filter.name === pattern.name;
  }
  // MATCH: the patterns that apply to a resource named `filter.name`.
  return pattern.patternType === AclPatternType.LITERAL
    ? filter.name === pattern.name || pattern.name === WILDCARD_RESOURCE
    : filter.name.startsWith(pattern.name);
}

/** Whether an entry filter selects a stored entry. */
export function entryFilterMatches(filter: AccessControlEntryFilter, entry: AccessControlEntry): boolean {
  if (filter.principal !== null && filter.principal !== entry.principal) return false;
  if (filter.host !== null && filter.host !== entry.host) return false;
  if (filter.operation !== AclOperation.ANY && filter.operation !== entry.operation) return false;
  return filter.permissionType === AclPermissionType.ANY || filter.permissionType === entry.permissionType;
}

export function bindingFilterMatches(filter: AclBindingFilter, binding: AclBinding): boolean {
  return (
    patternFilterMatches(filter.patternFilter, binding.pattern) && entryFilterMatches(filter.entryFilter, binding.entry)
  );
}

/**
 * The one pattern a pattern filter can name without looking at what is stored, when it has no
 * ANY/MATCH/UNKNOWN part and a name (Kafka's `matchesAtMostOne`); with ANY as pattern type, the
 * LITERAL and PREFIXED patterns of that name. DeleteAcls looks these up in the store even if this
 * broker's cache does not have them yet (Kafka's AclAuthorizer `filterToResources`).
 */
export function patternsNamedBy(filter: ResourcePatternFilter): ResourcePattern[] {
  const concreteType = filter.resourceType !== AclResourceType.ANY && filter.resourceType !== AclResourceType.UNKNOWN;
  if (!concreteType || filter.name === null) return [];
  const { resourceType, name } = filter;
  switch (filter.patternType) {
    case AclPatternType.LITERAL:
    case AclPatternType.PREFIXED:
      return [{ resourceType, name, patternType: filter.patternType }];
    case AclPatternType.ANY:
      return [
        { resourceType, name, patternType: AclPatternType.LITERAL },
        { resourceType, name, patternType: AclPatternType.PREFIXED },
      ];
    default:
      return [];
  }
}
