import {
  AclOperation,
  type AclOperationCode,
  AclPatternType,
  type AclPatternTypeCode,
  AclPermissionType,
  type AclPermissionTypeCode,
  AclResourceType,
  type AclResourceTypeCode,
  aclEnumName,
} from '@samsa/protocol';

/**
 * Kafka's ACL model (org.apache.kafka.common.acl / common.resource): a binding grants or denies one
 * principal one operation from one host on the resources a pattern names.
 *
 * Principals are kept in their `Type:name` text form, as Kafka's AccessControlEntry keeps them:
 * that is what the wire, ZooKeeper and the CLI carry, and what matching compares.
 */

/** The resource name meaning every resource of its type (LITERAL patterns only). */
export const WILDCARD_RESOURCE = '*';
/** The host meaning every host. */
export const WILDCARD_HOST = '*';
/** The principal meaning every user. */
export const WILDCARD_PRINCIPAL = 'User:*';

/** Which resources a binding is about (Kafka's ResourcePattern): LITERAL or PREFIXED only. */
export interface ResourcePattern {
  readonly resourceType: AclResourceTypeCode;
  readonly name: string;
  readonly patternType: AclPatternTypeCode;
}

/** Who may (or may not) do what from where (Kafka's AccessControlEntry). */
export interface AccessControlEntry {
  /** `Type:name`, e.g. `User:alice`; `User:*` is every user. */
  readonly principal: string;
  /** An IP address, or `*`. */
  readonly host: string;
  readonly operation: AclOperationCode;
  /** ALLOW or DENY. */
  readonly permissionType: AclPermissionTypeCode;
}

export interface AclBinding {
  readonly pattern: ResourcePattern;
  readonly entry: AccessControlEntry;
}

/** The ACLs of one resource pattern: what ZooKeeper keeps in one znode. */
export interface ResourceAcls {
  readonly pattern: ResourcePattern;
  readonly entries: readonly AccessControlEntry[];
}

/**
 * Kafka's ResourcePatternFilter: resourceType ANY matches every type; name null every name;
 * patternType ANY matches both pattern types with the name compared exactly, MATCH matches the
 * patterns that would apply to a resource of that name (itself, `*`, and the prefixes of it).
 */
export interface ResourcePatternFilter {
  readonly resourceType: AclResourceTypeCode;
  readonly name: string | null;
  readonly patternType: AclPatternTypeCode;
}

/** Kafka's AccessControlEntryFilter: null principal or host, or ANY operation or permission, match all. */
export interface AccessControlEntryFilter {
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperationCode;
  readonly permissionType: AclPermissionTypeCode;
}

export interface AclBindingFilter {
  readonly patternFilter: ResourcePatternFilter;
  readonly entryFilter: AccessControlEntryFilter;
}

/** Matches every binding (Kafka's AclBindingFilter.ANY). */
export const ANY_BINDING_FILTER: AclBindingFilter = {
  patternFilter: { resourceType: AclResourceType.ANY, name: null, patternType: AclPatternType.ANY },
  entryFilter: {
    principal: null,
    host: null,
    operation: AclOperation.ANY,
    permissionType: AclPermissionType.ANY,
  },
};

/** A key equal for equal patterns (the cache and the stores index by it). */
export function patternKey(pattern: ResourcePattern): string {
  return `${pattern.resourceType}:${pattern.patternType}:${pattern.name}`;
}

/** A key equal for equal entries: an entry is in a resource's ACLs at most once. */
export function entryKey(entry: AccessControlEntry): string {
  return `${entry.operation}:${entry.permissionType}:${entry.host}:${entry.principal}`;
}

/** Kafka's `ResourcePattern.toString()`, which kafka-acls.sh prints. */
export function formatPattern(pattern: ResourcePattern | ResourcePatternFilter): string {
  return (
    `ResourcePattern(resourceType=${aclEnumName(AclResourceType, pattern.resourceType)}, ` +
    `name=${pattern.name ?? '<any>'}, patternType=${aclEnumName(AclPatternType, pattern.patternType)})`
  );
}

/** Kafka's `AccessControlEntry.toString()`. */
export function formatEntry(entry: AccessControlEntry | AccessControlEntryFilter): string {
  return (
    `(principal=${entry.principal ?? '<any>'}, host=${entry.host ?? '<any>'}, ` +
    `operation=${aclEnumName(AclOperation, entry.operation)}, ` +
    `permissionType=${aclEnumName(AclPermissionType, entry.permissionType)})`
  );
}

/** Kafka's `AclBinding.toString()`. */
export function formatBinding(binding: AclBinding): string {
  return `(pattern=${formatPattern(binding.pattern)}, entry=${formatEntry(binding.entry)})`;
}
