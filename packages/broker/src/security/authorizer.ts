import type { KafkaPrincipal } from './kafka-principal.js';

/** Kafka's ResourceType codes (CreateAcls, DescribeAcls, DeleteAcls). */
export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];

/** Kafka's PatternType codes. */
export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export type PatternTypeCode = (typeof PatternType)[keyof typeof PatternType];

/** Kafka's AclOperation codes (also the bit numbers of KIP-430 authorized-operations fields). */
export const AclOperationCode = {
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
export type AclOperationValue = (typeof AclOperationCode)[keyof typeof AclOperationCode];

/** Kafka's AclPermissionType codes. */
export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

/** The cluster resource's only name. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** Who asks: the fields of Kafka's AuthorizableRequestContext that ACLs look at. */
export interface AuthorizableRequestContext {
  readonly principal: KafkaPrincipal;
  /** The client's IP address, without Kafka's leading '/' ("127.0.0.1"). */
  readonly clientAddress: string;
  readonly listenerName: string;
}

/** One thing a request wants to do to one resource (Kafka's Action). */
export interface Action {
  readonly operation: AclOperationValue;
  readonly resourceType: ResourceTypeCode;
  readonly resourceName: string;
}

/**
 * The authorizer the request handlers consult (Kafka's org.apache.kafka.server.authorizer.Authorizer).
 * `BrokerServices.authorizer` is undefined when `authorizer.class.name` is empty: then everything is
 * allowed, as in Kafka. Decisions are synchronous, from memory: ACL changes reach every broker's
 * cache through ZooKeeper (or the metadata file on a single node) before they take effect.
 */
export interface Authorizer {
  /** One decision per action, in order. */
  authorize(context: AuthorizableRequestContext, actions: readonly Action[]): boolean[];
  /**
   * Whether `operation` is allowed on at least one resource of `resourceType` (Kafka's
   * authorizeByResourceType, KIP-679): InitProducerId for idempotence without IDEMPOTENT_WRITE on
   * the cluster is allowed to a principal that may WRITE some topic.
   */
  authorizeByResourceType(
    context: AuthorizableRequestContext,
    operation: AclOperationValue,
    resourceType: ResourceTypeCode,
  ): boolean;
}
