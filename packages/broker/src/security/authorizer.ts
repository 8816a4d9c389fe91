import type { AclOperationCode as AclOperationValue, AclResourceTypeCode as ResourceTypeCode } from '@samsa/protocol';
import type { AclBinding, AclBindingFilter } from './acl/acl-binding.js';
import type { KafkaPrincipal } from './kafka-principal.js';

/**
 * Kafka's ResourceType, PatternType, AclOperation and AclPermissionType codes: the protocol
 * package's tables (one table for broker, admin client and tools), under the names handlers use.
 */
export {
  AclOperation as AclOperationCode,
  type AclOperationCode as AclOperationValue,
  AclPatternType as PatternType,
  type AclPatternTypeCode as PatternTypeCode,
  AclPermissionType,
  AclResourceType as ResourceType,
  type AclResourceTypeCode as ResourceTypeCode,
} from '@samsa/protocol';

/** The cluster resource's only name. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** Who asks: the fields of Kafka's AuthorizableRequestContext that ACLs look at. */
export interface AuthorizableRequestContext {
  readonly principal: KafkaPrincipal;
  /** The client's IP address, without Kafka's leading '/' ("127.0.0.1"). */
  readonly clientAddress: string;
  readonly listenerName: string;
  /** The API key of the request asking (Kafka's requestType), named in the authorizer's log. */
  readonly requestType?: number;
}

/** One thing a request wants to do to one resource (Kafka's Action). */
export interface Action {
  readonly operation: AclOperationValue;
  readonly resourceType: ResourceTypeCode;
  readonly resourceName: string;
  /** How many times the request names the resource (logged; Kafka's resourceReferenceCount, default 1). */
  readonly resourceReferenceCount?: number;
  /**
   * Whether a denial is logged at info (default true). False for checks that only filter or
   * report (KIP-430 authorized operations, regex subscriptions), as in Kafka.
   */
  readonly logIfDenied?: boolean;
}

/** One binding's outcome in CreateAcls (errorCode 0: created or already there). */
export interface AclCreateResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** One deleted binding in DeleteAcls, with its own outcome. */
export interface AclBindingDeleteResult {
  readonly binding: AclBinding;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** One filter's outcome in DeleteAcls: the bindings it deleted. */
export interface AclDeleteResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly deleted: readonly AclBindingDeleteResult[];
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
  /*
   * ACL management (CreateAcls, DescribeAcls, DeleteAcls). Samsa's AclAuthorizer has all three;
   * an authorizer without them (a test double that only decides) makes those APIs answer
   * SECURITY_DISABLED.
   */
  /** The bindings a filter matches (Kafka's Authorizer.acls). */
  acls?(filter: AclBindingFilter): AclBinding[];
  /** Stores bindings; one result per binding, in order. */
  createAcls?(bindings: readonly AclBinding[]): Promise<AclCreateResult[]>;
  /** Deletes what each filter matches; one result per filter, in order. */
  deleteAcls?(filters: readonly AclBindingFilter[]): Promise<AclDeleteResult[]>;
  /** Releases what the authorizer holds (its ZooKeeper session). */
  close?(): void;
}
