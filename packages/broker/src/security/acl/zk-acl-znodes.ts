import { AclPatternType, AclResourceType, aclEnumName, parseAclEnum } from '@samsa/protocol';
import type { ResourcePattern } from './acl-binding.js';
import { parseResourceType, zkResourceTypeName } from './acl-json.js';

/**
 * Kafka's ZooKeeper layout for ACLs (kafka.zk.ZkAclStore, ZkAclChangeStore), so that Kafka's tools
 * read a Samsa cluster's ACLs and the other way round:
 *
 *   /kafka-acl/<Type>/<name>                            LITERAL patterns (`*` included)
 *   /kafka-acl-extended/prefixed/<Type>/<name>          PREFIXED patterns
 *     data: {"version":1,"acls":[{"principal":…,"permissionType":"Allow","operation":"Read","host":"*"}]}
 *   /kafka-acl-changes/acl_changes_<seq>                a LITERAL pattern changed: `TOPIC:name`
 *   /kafka-acl-extended-changes/acl_changes_<seq>       a PREFIXED one changed:
 *     {"version":1,"resourceType":"TOPIC","name":"x","patternType":"PREFIXED"}
 *
 * `<Type>` is the Pascal-case name (Topic, Group, Cluster, TransactionalId, DelegationToken, User).
 * The notifications carry the Java enum names, as Kafka 2.x+ writes them (`ResourceType.toString`);
 * reading accepts either spelling.
 */
export const LITERAL_ACL_ROOT = '/kafka-acl';
export const EXTENDED_ACL_ROOT = '/kafka-acl-extended';
export const PREFIXED_ACL_ROOT = `${EXTENDED_ACL_ROOT}/prefixed`;
export const LITERAL_ACL_CHANGES = '/kafka-acl-changes';
export const EXTENDED_ACL_CHANGES = '/kafka-acl-extended-changes';
/** Sequential notification znodes are named `acl_changes_<10-digit seq>`. */
export const ACL_CHANGE_PREFIX = 'acl_changes_';

/** The resource types ZooKeeper has a directory for (Kafka's AclEntry.RESOURCE_TYPES). */
export const CONCRETE_RESOURCE_TYPES = [
  AclResourceType.TOPIC,
  AclResourceType.GROUP,
  AclResourceType.CLUSTER,
  AclResourceType.TRANSACTIONAL_ID,
  AclResourceType.DELEGATION_TOKEN,
  AclResourceType.USER,
] as const;

/** The directory of a pattern type's ACLs. */
export function aclRoot(patternType: number): string {
  return patternType === AclPatternType.PREFIXED ? PREFIXED_ACL_ROOT : LITERAL_ACL_ROOT;
}

/** `/kafka-acl/Topic` and the like. */
export function aclTypePath(patternType: number, resourceType: number): string {
  return `${aclRoot(patternType)}/${zkResourceTypeName(resourceType)}`;
}

/** The znode holding a pattern's ACLs (Kafka's ResourceZNode.path). */
export function aclPath(pattern: ResourcePattern): string {
  return `${aclTypePath(pattern.patternType, pattern.resourceType)}/${pattern.name}`;
}

/** Where a change of this pattern is announced. */
export function aclChangesPath(patternType: number): string {
  return patternType === AclPatternType.PREFIXED ? EXTENDED_ACL_CHANGES : LITERAL_ACL_CHANGES;
}

/** Every path Kafka's `createAclPaths` creates. */
export function aclPathsToCreate(): string[] {
  const paths: string[] = [];
  for (const patternType of [AclPatternType.LITERAL, AclPatternType.PREFIXED]) {
    paths.push(aclRoot(patternType));
    for (const type of CONCRETE_RESOURCE_TYPES) paths.push(aclTypePath(patternType, type));
  }
  paths.push(LITERAL_ACL_CHANGES, EXTENDED_ACL_CHANGES);
  return paths;
}

/** A change notification's data. */
export function encodeAclChange(pattern: ResourcePattern): Buffer {
  const resourceType = aclEnumName(AclResourceType, pattern.resourceType);
  if (pattern.patternType === AclPatternType.LITERAL) {
    return Buffer.from(`${resourceType}:${pattern.name}`, 'utf8');
  }
  return Buffer.from(
    JSON.stringify({
      version: 1,
      resourceType,
      name: pattern.name,
      patternType: aclEnumName(AclPatternType, pattern.patternType),
    }),
    'utf8',
  );
}

/** The pattern a notification under `changesPath` names; throws on data Kafka would not write. */
export function decodeAclChange(changesPath: string, bytes: Buffer): ResourcePattern {
  const text = bytes.toString('utf8');
  if (changesPath === LITERAL_ACL_CHANGES) {
    const colon = text.indexOf(':');
    if (colon < 0) throw new Error(`expected a string in format ResourceType:ResourceName but got ${text}`);
    return {
      resourceType: parseResourceType(text.slice(0, colon), 'ACL change'),
      name: text.slice(colon + 1),
      patternType: AclPatternType.LITERAL,
    };
  }
  const json = JSON.parse(text) as { version?: unknown; resourceType?: unknown; name?: unknown; patternType?: unknown };
  if (typeof json.version !== 'number' || json.version > 1) {
    throw new Error(`Acl change event received for unsupported version: ${String(json.version)}`);
  }
  if (typeof json.resourceType !== 'string' || typeof json.name !== 'string' || typeof json.patternType !== 'string') {
    throw new Error(`Failed to parse ACL change event ${text}`);
  }
  const patternType = parseAclEnum(AclPatternType, json.patternType);
  if (patternType !== AclPatternType.PREFIXED) throw new Error(`unsupported pattern type in ACL change event ${text}`);
  return { resourceType: parseResourceType(json.resourceType, 'ACL change'), name: json.name, patternType };
}
