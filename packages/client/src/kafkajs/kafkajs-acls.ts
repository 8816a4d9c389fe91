import { AclOperation, AclPatternType, AclPermissionType, AclResourceType } from '@samsa/protocol';
import type { AclBindingDescription, AclBindingFilter } from '../admin/acls.js';
import type { Admin } from '../admin/admin.js';

/** KafkaJS's ACL enums: Kafka's wire codes, under KafkaJS's export names. */
export const AclResourceTypes = {
  UNKNOWN: AclResourceType.UNKNOWN,
  ANY: AclResourceType.ANY,
  TOPIC: AclResourceType.TOPIC,
  GROUP: AclResourceType.GROUP,
  CLUSTER: AclResourceType.CLUSTER,
  TRANSACTIONAL_ID: AclResourceType.TRANSACTIONAL_ID,
  DELEGATION_TOKEN: AclResourceType.DELEGATION_TOKEN,
} as const;
export const AclOperationTypes = AclOperation;
export const AclPermissionTypes = AclPermissionType;
export const ResourcePatternTypes = AclPatternType;

/** One ACL as KafkaJS's admin takes and returns it: every enum as its code. */
export interface KafkaJSAcl {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

export type KafkaJSAclFilter = Partial<Omit<KafkaJSAcl, 'resourceName' | 'principal' | 'host'>> & {
  resourceName?: string | null;
  principal?: string | null;
  host?: string | null;
};

function toFilter(f: KafkaJSAclFilter): AclBindingFilter {
  return {
    ...(f.resourceType === undefined ? {} : { resourceType: f.resourceType }),
    ...(f.resourceName === undefined ? {} : { resourceName: f.resourceName }),
    ...(f.resourcePatternType === undefined ? {} : { patternType: f.resourcePatternType }),
    ...(f.principal === undefined ? {} : { principal: f.principal }),
    ...(f.host === undefined ? {} : { host: f.host }),
    ...(f.operation === undefined ? {} : { operation: f.operation }),
    ...(f.permissionType === undefined ? {} : { permissionType: f.permissionType }),
  };
}

function toKafkaJS(d: AclBindingDescription): KafkaJSAcl {
  return {
    resourceType: AclResourceType[d.resourceType],
    resourceName: d.resourceName,
    resourcePatternType: AclPatternType[d.patternType],
    principal: d.principal,
    host: d.host,
    operation: AclOperation[d.operation],
    permissionType: AclPermissionType[d.permissionType],
  };
}

/** KafkaJS's `admin.createAcls({ acl })`: true once every ACL is stored. */
export async function createAcls(admin: Admin, acl: readonly KafkaJSAcl[]): Promise<boolean> {
  await admin.createAcls(
    acl.map((a) => ({
      resourceType: a.resourceType,
      resourceName: a.resourceName,
      patternType: a.resourcePatternType,
      principal: a.principal,
      host: a.host,
      operation: a.operation,
      permissionType: a.permissionType,
    })),
  );
  return true;
}

/** KafkaJS's `admin.describeAcls(filter)`: the matching ACLs grouped by resource. */
export async function describeAcls(admin: Admin, filter: KafkaJSAclFilter) {
  const bindings = await admin.describeAcls(toFilter(filter));
  const resources = new Map<
    string,
    {
      resourceType: number;
      resourceName: string;
      resourcePatternType: number;
      acls: { principal: string; host: string; operation: number; permissionType: number }[];
    }
  >();
  for (const b of bindings.map(toKafkaJS)) {
    const key = `${b.resourceType}\u0000${b.resourcePatternType}\u0000${b.resourceName}`;
    let resource = resources.get(key);
    if (resource === undefined) {
      resource = {
        resourceType: b.resourceType,
        resourceName: b.resourceName,
        resourcePatternType: b.resourcePatternType,
        acls: [],
      };
      resources.set(key, resource);
    }
    resource.acls.push({
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permissionType,
    });
  }
  return { throttleTime: 0, errorCode: 0, errorMessage: null, resources: [...resources.values()] };
}

/** KafkaJS's `admin.deleteAcls({ filters })`: what each filter deleted. */
export async function deleteAcls(admin: Admin, filters: readonly KafkaJSAclFilter[]) {
  const deleted = await admin.deleteAcls(filters.map(toFilter));
  return {
    throttleTime: 0,
    filterResponses: deleted.map((d) => ({
      errorCode: 0,
      errorMessage: null,
      matchingAcls: d.matchingAcls.map((m) => ({ errorCode: 0, errorMessage: null, ...toKafkaJS(m) })),
    })),
  };
}
