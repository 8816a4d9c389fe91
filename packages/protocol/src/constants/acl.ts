/**
 * Kafka's ACL enums (org.apache.kafka.common.acl / common.resource) with their wire codes, as
 * CreateAcls, DescribeAcls and DeleteAcls carry them and KIP-430's authorized-operations bit fields
 * number them. One table for the broker's authorizer, the admin client and the tools.
 *
 * Names are the Java enums' (`TRANSACTIONAL_ID`); Kafka also writes them in Pascal case
 * (`TransactionalId`: ZooKeeper paths, ACL JSON, `SecurityUtils.operationName`) — see `pascalCase`.
 */
export const AclResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type AclResourceTypeCode = (typeof AclResourceType)[keyof typeof AclResourceType];
export type AclResourceTypeName = keyof typeof AclResourceType;

/** How a binding's resource name is read: exactly (`*` meaning every resource) or as a prefix. */
export const AclPatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export type AclPatternTypeCode = (typeof AclPatternType)[keyof typeof AclPatternType];
export type AclPatternTypeName = keyof typeof AclPatternType;

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];
export type AclOperationName = keyof typeof AclOperation;

export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;
export type AclPermissionTypeCode = (typeof AclPermissionType)[keyof typeof AclPermissionType];
export type AclPermissionTypeName = keyof typeof AclPermissionType;

/** Any of the four tables above. */
export type AclEnum = Readonly<Record<string, number>>;

/** The Java enum name of a code; `UNKNOWN` for codes the table does not have (Kafka's `fromCode`). */
export function aclEnumName<T extends AclEnum>(table: T, code: number): keyof T & string {
  for (const name of Object.keys(table)) if (table[name] === code) return name as keyof T & string;
  return 'UNKNOWN' as keyof T & string;
}

/**
 * The code of a name in any of Kafka's spellings: the enum name in any case (`prefixed`), or
 * Pascal case (`TransactionalId`, `IdempotentWrite`, what ZooKeeper's ACL JSON holds). Unknown
 * names are UNKNOWN (0), as Kafka's `fromString` and `SecurityUtils.operation` answer.
 */
export function parseAclEnum<T extends AclEnum>(table: T, text: string): T[keyof T] {
  const wanted = text.trim().replace(/_/g, '').toUpperCase();
  for (const name of Object.keys(table)) {
    if (name.replace(/_/g, '') === wanted) return table[name] as T[keyof T];
  }
  return 0 as T[keyof T];
}

/** Kafka's `SecurityUtils.toPascalCase`: `TRANSACTIONAL_ID` → `TransactionalId`. */
export function pascalCase(enumName: string): string {
  return enumName
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
