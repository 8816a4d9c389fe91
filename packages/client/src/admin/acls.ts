import {
  AclOperation,
  type AclOperationName,
  AclPatternType,
  type AclPatternTypeName,
  AclPermissionType,
  type AclPermissionTypeName,
  AclResourceType,
  type AclResourceTypeName,
  aclEnumName,
  CreateAclsApi,
  DeleteAclsApi,
  DescribeAclsApi,
  ErrorCode,
  KafkaError,
  parseAclEnum,
} from '@samsa/protocol';
import { throwIfError } from '../errors/client-errors.js';
import type { Cluster } from '../metadata/cluster.js';

/**
 * ACL bindings and filters as Java's Admin takes them (org.apache.kafka.common.acl), each enum
 * given by Kafka's name (`'TRANSACTIONAL_ID'`, also `'TransactionalId'` or any case) or its code.
 */
export interface AclBinding {
  readonly resourceType: Exclude<AclResourceTypeName, 'UNKNOWN' | 'ANY'> | number;
  readonly resourceName: string;
  /** LITERAL (default; `*` then means every resource of the type) or PREFIXED. */
  readonly patternType?: 'LITERAL' | 'PREFIXED' | number;
  /** `Type:name`, e.g. `User:alice`; `User:*` is every user. */
  readonly principal: string;
  /** An IP address, or `*` (default) for every host. */
  readonly host?: string;
  readonly operation: Exclude<AclOperationName, 'UNKNOWN' | 'ANY'> | number;
  readonly permissionType: 'ALLOW' | 'DENY' | number;
}

/**
 * Which bindings to describe or delete (Kafka's AclBindingFilter); an absent field matches
 * anything. `patternType` ANY (default) compares names exactly whatever the pattern type; MATCH
 * selects every pattern that applies to `resourceName` (itself, `*`, and its prefixes).
 */
export interface AclBindingFilter {
  readonly resourceType?: Exclude<AclResourceTypeName, 'UNKNOWN'> | number;
  readonly resourceName?: string | null;
  readonly patternType?: Exclude<AclPatternTypeName, 'UNKNOWN'> | number;
  readonly principal?: string | null;
  readonly host?: string | null;
  readonly operation?: Exclude<AclOperationName, 'UNKNOWN'> | number;
  readonly permissionType?: Exclude<AclPermissionTypeName, 'UNKNOWN'> | number;
}

/** A stored binding, as brokers describe it: every enum by Kafka's name. */
export interface AclBindingDescription {
  readonly resourceType: AclResourceTypeName;
  readonly resourceName: string;
  readonly patternType: AclPatternTypeName;
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperationName;
  readonly permissionType: AclPermissionTypeName;
}

/** What one DeleteAcls filter deleted. */
export interface DeletedAcls {
  readonly matchingAcls: readonly AclBindingDescription[];
}

/** A code from a name in any of Kafka's spellings, or the code itself; unknown names are refused here. */
function code<T extends Readonly<Record<string, number>>>(table: T, what: string, value: string | number): number {
  if (typeof value === 'number') return value;
  const parsed = parseAclEnum(table, value);
  if (parsed === 0) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown ${what}: ${value}`);
  return parsed;
}

function filterFields(filter: AclBindingFilter) {
  return {
    resourceTypeFilter: code(AclResourceType, 'resource type', filter.resourceType ?? 'ANY'),
    resourceNameFilter: filter.resourceName ?? null,
    patternTypeFilter: code(AclPatternType, 'pattern type', filter.patternType ?? 'ANY'),
    principalFilter: filter.principal ?? null,
    hostFilter: filter.host ?? null,
    operation: code(AclOperation, 'operation', filter.operation ?? 'ANY'),
    permissionType: code(AclPermissionType, 'permission type', filter.permissionType ?? 'ANY'),
  };
}

function description(
  resource: { resourceType: number; resourceName: string; patternType: number },
  entry: { principal: string; host: string; operation: number; permissionType: number },
): AclBindingDescription {
  return {
    resourceType: aclEnumName(AclResourceType, resource.resourceType),
    resourceName: resource.resourceName,
    patternType: aclEnumName(AclPatternType, resource.patternType),
    principal: entry.principal,
    host: entry.host,
    operation: aclEnumName(AclOperation, entry.operation),
    permissionType: aclEnumName(AclPermissionType, entry.permissionType),
  };
}

/**
 * CreateAcls to any broker (ACLs reach every broker through ZooKeeper). Resolves when every
 * binding is stored (or already was); rejects with the first binding's error otherwise, as
 * Java's `createAcls(...).all()`. Errors carry the broker's message alone, as Java's exceptions.
 */
export async function createAcls(cluster: Cluster, bindings: readonly AclBinding[]): Promise<void> {
  const creations = bindings.map((b) => ({
    resourceType: code(AclResourceType, 'resource type', b.resourceType),
    resourceName: b.resourceName,
    resourcePatternType: code(AclPatternType, 'pattern type', b.patternType ?? 'LITERAL'),
    principal: b.principal,
    host: b.host ?? '*',
    operation: code(AclOperation, 'operation', b.operation),
    permissionType: code(AclPermissionType, 'permission type', b.permissionType),
  }));
  if (creations.length === 0) return;
  const connection = await cluster.anyConnection();
  const response = await connection.request(CreateAclsApi, { creations });
  for (const result of response.results) throwIfError(result.errorCode, undefined, result.errorMessage);
}

/** DescribeAcls: every stored binding the filter matches (all of them with no filter). */
export async function describeAcls(cluster: Cluster, filter: AclBindingFilter = {}): Promise<AclBindingDescription[]> {
  const connection = await cluster.anyConnection();
  const response = await connection.request(DescribeAclsApi, filterFields(filter));
  throwIfError(response.errorCode, undefined, response.errorMessage);
  return response.resources.flatMap((resource) => resource.acls.map((entry) => description(resource, entry)));
}

/**
 * DeleteAcls: deletes what each filter matches; resolves with what each deleted, in filter order.
 * Rejects with the first error (of a filter, or of one of its bindings), as Java's `all()`.
 */
export async function deleteAcls(cluster: Cluster, filters: readonly AclBindingFilter[]): Promise<DeletedAcls[]> {
  if (filters.length === 0) return [];
  const connection = await cluster.anyConnection();
  const response = await connection.request(DeleteAclsApi, { filters: filters.map(filterFields) });
  return response.filterResults.map((result) => {
    throwIfError(result.errorCode, undefined, result.errorMessage);
    return {
      matchingAcls: result.matchingAcls.map((m) => {
        throwIfError(m.errorCode, undefined, m.errorMessage);
        return description(m, m);
      }),
    };
  });
}
