import type { AclOperationCode, AclPatternTypeCode, AclPermissionTypeCode, AclResourceTypeCode } from '@samsa/protocol';
import type { AclBindingFilter } from '../security/acl/acl-binding.js';

/** Answers of the ACL APIs when no authorizer is configured (Kafka's AclApis wording). */
export const NO_AUTHORIZER_MESSAGE = 'No Authorizer is configured.';
export const NO_AUTHORIZER_DESCRIBE_MESSAGE = 'No Authorizer is configured on the broker';

/** The filter fields DescribeAcls and DeleteAcls requests share. */
export interface AclFilterFields {
  readonly resourceTypeFilter: number;
  readonly resourceNameFilter: string | null;
  readonly patternTypeFilter: number;
  readonly principalFilter: string | null;
  readonly hostFilter: string | null;
  readonly operation: number;
  readonly permissionType: number;
}

/** A request's filter as the authorizer takes it (codes it does not know stay, to be refused). */
export function bindingFilterOf(fields: AclFilterFields): AclBindingFilter {
  return {
    patternFilter: {
      resourceType: fields.resourceTypeFilter as AclResourceTypeCode,
      name: fields.resourceNameFilter,
      patternType: fields.patternTypeFilter as AclPatternTypeCode,
    },
    entryFilter: {
      principal: fields.principalFilter,
      host: fields.hostFilter,
      operation: fields.operation as AclOperationCode,
      permissionType: fields.permissionType as AclPermissionTypeCode,
    },
  };
}
