import {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  aclEnumName,
  parseAclEnum,
  pascalCase,
} from '@samsa/protocol';
import type { AccessControlEntry, ResourceAcls, ResourcePattern } from './acl-binding.js';

/**
 * ACLs as JSON, in Kafka's ZooKeeper form (AclEntry.toJsonCompatibleMap), which the metadata file
 * of a single node reuses:
 *
 *   {"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}
 *
 * Operation and permission names in Pascal case (`IdempotentWrite`); reading also accepts the enum
 * names (`IDEMPOTENT_WRITE`), as Kafka's SecurityUtils does.
 */
export interface AclEntryJson {
  readonly principal: string;
  readonly permissionType: string;
  readonly operation: string;
  readonly host: string;
}

/** A pattern's ACLs in the metadata file (`acls` of samsa-metadata.json). */
export interface StoredResourceAcls {
  /** Kafka's ZooKeeper name of the type: Topic, Group, Cluster, TransactionalId, DelegationToken, User. */
  readonly resourceType: string;
  readonly patternType: 'LITERAL' | 'PREFIXED';
  readonly name: string;
  readonly acls: readonly AclEntryJson[];
}

export const ACL_JSON_VERSION = 1;

/** Kafka's ZooKeeper name of a resource type (SecurityUtils.resourceTypeName): `TransactionalId`. */
export function zkResourceTypeName(resourceType: number): string {
  return pascalCase(aclEnumName(AclResourceType, resourceType));
}

export function entryToJson(entry: AccessControlEntry): AclEntryJson {
  return {
    principal: entry.principal,
    permissionType: pascalCase(aclEnumName(AclPermissionType, entry.permissionType)),
    operation: pascalCase(aclEnumName(AclOperation, entry.operation)),
    host: entry.host,
  };
}

/** An entry read back; throws on a field that is missing or names nothing Kafka knows. */
export function entryFromJson(json: unknown, what: string): AccessControlEntry {
  if (typeof json !== 'object' || json === null) throw new Error(`${what}: an ACL is not a JSON object`);
  const fields = json as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string') throw new Error(`${what}: ACL field ${name} is not a string`);
    return value;
  };
  const operation = parseAclEnum(AclOperation, text('operation'));
  const permissionType = parseAclEnum(AclPermissionType, text('permissionType'));
  if (operation === AclOperation.UNKNOWN || operation === AclOperation.ANY) {
    throw new Error(`${what}: unknown operation ${text('operation')}`);
  }
  if (permissionType !== AclPermissionType.ALLOW && permissionType !== AclPermissionType.DENY) {
    throw new Error(`${what}: unknown permission type ${text('permissionType')}`);
  }
  return { principal: text('principal'), host: text('host'), operation, permissionType };
}

/** A znode's bytes: `{"version":1,"acls":[…]}`. */
export function encodeAclsZNode(entries: readonly AccessControlEntry[]): Buffer {
  return Buffer.from(JSON.stringify({ version: ACL_JSON_VERSION, acls: entries.map(entryToJson) }), 'utf8');
}

/** A znode's entries; an empty znode has none (Kafka's AclEntry.fromBytes). */
export function decodeAclsZNode(bytes: Buffer, what: string): AccessControlEntry[] {
  if (bytes.length === 0) return [];
  const json: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof json !== 'object' || json === null) throw new Error(`${what}: not a JSON object`);
  const { version, acls } = json as { version?: unknown; acls?: unknown };
  if (version !== ACL_JSON_VERSION) throw new Error(`${what}: unknown ACL JSON version ${String(version)}`);
  if (!Array.isArray(acls)) throw new Error(`${what}: "acls" is not an array`);
  return acls.map((acl) => entryFromJson(acl, what));
}

export function toStored(resource: ResourceAcls): StoredResourceAcls {
  return {
    resourceType: zkResourceTypeName(resource.pattern.resourceType),
    patternType: resource.pattern.patternType === AclPatternType.PREFIXED ? 'PREFIXED' : 'LITERAL',
    name: resource.pattern.name,
    acls: resource.entries.map(entryToJson),
  };
}

export function fromStored(stored: StoredResourceAcls): ResourceAcls {
  const what = `ACLs of ${stored.resourceType}:${stored.patternType}:${stored.name}`;
  const pattern: ResourcePattern = {
    resourceType: parseResourceType(stored.resourceType, what),
    name: stored.name,
    patternType: stored.patternType === 'PREFIXED' ? AclPatternType.PREFIXED : AclPatternType.LITERAL,
  };
  return { pattern, entries: stored.acls.map((acl) => entryFromJson(acl, what)) };
}

/** A concrete resource type from either spelling (`TransactionalId`, `TRANSACTIONAL_ID`). */
export function parseResourceType(text: string, what: string) {
  const code = parseAclEnum(AclResourceType, text);
  if (code === AclResourceType.UNKNOWN || code === AclResourceType.ANY) {
    throw new Error(`${what}: unknown resource type ${text}`);
  }
  return code;
}
