/**
 * Authorized operations as Kafka reports them (KIP-430): a bit field with bit `code` set for each
 * AclOperation the principal may do on a resource, among those its type supports
 * (AclEntry.supportedOperations). Without an authorizer that is every supported operation.
 */
import {
  AclOperationCode,
  type AclOperationValue,
  CLUSTER_RESOURCE_NAME,
  ResourceType,
  type ResourceTypeCode,
} from '../security/authorizer.js';
import { authorizableContext } from './authorization.js';
import type { RequestContext } from './handler.js';

const op = AclOperationCode;

/** The operations ACLs can grant on each concrete resource type (Kafka's AclEntry.supportedOperations). */
export const SUPPORTED_OPERATIONS: ReadonlyMap<ResourceTypeCode, readonly AclOperationValue[]> = new Map<
  ResourceTypeCode,
  readonly AclOperationValue[]
>([
  [
    ResourceType.TOPIC,
    [op.READ, op.WRITE, op.CREATE, op.DESCRIBE, op.DELETE, op.ALTER, op.DESCRIBE_CONFIGS, op.ALTER_CONFIGS],
  ],
  [ResourceType.GROUP, [op.READ, op.DESCRIBE, op.DELETE]],
  [
    ResourceType.CLUSTER,
    [op.CREATE, op.CLUSTER_ACTION, op.DESCRIBE_CONFIGS, op.ALTER_CONFIGS, op.IDEMPOTENT_WRITE, op.ALTER, op.DESCRIBE],
  ],
  [ResourceType.TRANSACTIONAL_ID, [op.DESCRIBE, op.WRITE]],
  [ResourceType.DELEGATION_TOKEN, [op.DESCRIBE]],
  [ResourceType.USER, [op.CREATE_TOKENS, op.DESCRIBE_TOKENS]],
]);

function bitField(operations: readonly number[]): number {
  return operations.reduce((field, code) => field | (1 << code), 0);
}

function supported(resourceType: ResourceTypeCode): readonly AclOperationValue[] {
  const operations = SUPPORTED_OPERATIONS.get(resourceType);
  if (operations === undefined) throw new Error(`resource type ${resourceType} is not a concrete resource type`);
  return operations;
}

/** Every supported operation of each resource type: what a broker without an authorizer reports. */
const ALL_OPERATIONS: ReadonlyMap<ResourceTypeCode, number> = new Map(
  [...SUPPORTED_OPERATIONS].map(([resourceType, operations]) => [resourceType, bitField(operations)]),
);

/** Kafka's "authorized operations not requested" marker (Integer.MIN_VALUE). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const ALL_TOPIC_OPERATIONS = bitField(supported(ResourceType.TOPIC));

export const ALL_CLUSTER_OPERATIONS = bitField(supported(ResourceType.CLUSTER));

/** Kafka 3.x's set; Kafka 4.0 adds DESCRIBE_CONFIGS and ALTER_CONFIGS with group configs. */
export const ALL_GROUP_OPERATIONS = bitField(supported(ResourceType.GROUP));

/**
 * The operations the request's principal may do on one resource (Kafka's
 * AuthHelper.authorizedOperations): one `authorize` call over every supported operation.
 */
export function authorizedOperations(
  ctx: RequestContext,
  resourceType: ResourceTypeCode,
  resourceName: string,
): number {
  const operations = supported(resourceType);
  const authorizer = ctx.services.authorizer;
  if (authorizer === undefined) return ALL_OPERATIONS.get(resourceType) ?? bitField(operations);
  const answers = authorizer.authorize(
    authorizableContext(ctx),
    operations.map((operation) => ({ operation, resourceType, resourceName })),
  );
  return bitField(operations.filter((_, i) => answers[i] === true));
}

/** `authorizedOperations` of the cluster resource. */
export function authorizedClusterOperations(ctx: RequestContext): number {
  return authorizedOperations(ctx, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}
