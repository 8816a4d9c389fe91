/**
 * The handlers' side of ACLs (Kafka's AuthHelper): one place that turns a request's context into
 * the authorizer's, asks it, and answers "allowed" at once when the broker has no authorizer
 * (`authorizer.class.name` empty), as Kafka does.
 *
 * The handlers call these where Kafka's KafkaApis calls AuthHelper, with the same operations and
 * resources; see each handler's header for its rules. Many resources of one request are
 * authorized in one `authorize` call (`filterAuthorized`), each distinct name once.
 *
 * Hot paths (Produce, Fetch) test `ctx.services.authorizer === undefined` themselves before
 * building anything to authorize, so that a broker without an authorizer pays nothing there.
 */
import { ErrorCode, KafkaError } from '@samsa/protocol';
import {
  type AclOperationValue,
  type Action,
  type AuthorizableRequestContext,
  CLUSTER_RESOURCE_NAME,
  ResourceType,
  type ResourceTypeCode,
} from '../security/authorizer.js';
import type { RequestContext } from './handler.js';

/** The answer of `filterAuthorized`: whether a name was allowed. */
export interface AuthorizedNames {
  has(name: string): boolean;
}

/** Everything allowed (no authorizer). */
export const ALL_AUTHORIZED: AuthorizedNames = Object.freeze({ has: () => true });

/** Built at most once per request, the first time a handler asks. */
const contexts = new WeakMap<RequestContext, AuthorizableRequestContext>();

/** The request context as the authorizer sees it: principal, client IP (no leading '/'), listener. */
export function authorizableContext(ctx: RequestContext): AuthorizableRequestContext {
  let context = contexts.get(ctx);
  if (context === undefined) {
    const host = ctx.clientHost;
    context = {
      principal: ctx.principal,
      clientAddress: host.startsWith('/') ? host.slice(1) : host,
      listenerName: ctx.listenerName,
      requestType: ctx.apiKey,
    };
    contexts.set(ctx, context);
  }
  return context;
}

/** Whether the request may do `operation` on the resource (always, without an authorizer). */
export function authorize(
  ctx: RequestContext,
  operation: AclOperationValue,
  resourceType: ResourceTypeCode,
  resourceName: string,
): boolean {
  const authorizer = ctx.services.authorizer;
  if (authorizer === undefined) return true;
  const [allowed] = authorizer.authorize(authorizableContext(ctx), [{ operation, resourceType, resourceName }]);
  return allowed === true;
}

/** `authorize` on the cluster resource. */
export function authorizeCluster(ctx: RequestContext, operation: AclOperationValue): boolean {
  return authorize(ctx, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}

/**
 * Kafka's `authorizeClusterOperation`: refuses the whole request with CLUSTER_AUTHORIZATION_FAILED
 * (the dispatcher puts it in the top-level error code, or on every resource of the request).
 */
export function requireClusterOperation(ctx: RequestContext, operation: AclOperationValue): void {
  if (!authorizeCluster(ctx, operation)) {
    throw new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  }
}

/**
 * Refuses the whole request with GROUP_AUTHORIZATION_FAILED unless `operation` is allowed on the
 * group (the group APIs' first check in KafkaApis).
 */
export function requireGroup(ctx: RequestContext, operation: AclOperationValue, groupId: string): void {
  if (!authorize(ctx, operation, ResourceType.GROUP, groupId)) {
    throw new KafkaError(ErrorCode.GROUP_AUTHORIZATION_FAILED, 'Group authorization failed.');
  }
}

/**
 * The names among `names` the request may do `operation` on, in one `authorize` call with each
 * distinct name once (Kafka's filterByAuthorized).
 */
export function filterAuthorized(
  ctx: RequestContext,
  operation: AclOperationValue,
  resourceType: ResourceTypeCode,
  names: Iterable<string>,
): AuthorizedNames {
  const authorizer = ctx.services.authorizer;
  if (authorizer === undefined) return ALL_AUTHORIZED;
  const distinct = [...new Set(names)];
  if (distinct.length === 0) return new Set<string>();
  const actions: Action[] = distinct.map((resourceName) => ({ operation, resourceType, resourceName }));
  const answers = authorizer.authorize(authorizableContext(ctx), actions);
  const allowed = new Set<string>();
  distinct.forEach((name, i) => {
    if (answers[i] === true) allowed.add(name);
  });
  return allowed;
}

/**
 * Whether `operation` is allowed on at least one resource of `resourceType` (KIP-679; always,
 * without an authorizer).
 */
export function authorizeByResourceType(
  ctx: RequestContext,
  operation: AclOperationValue,
  resourceType: ResourceTypeCode,
): boolean {
  const authorizer = ctx.services.authorizer;
  return (
    authorizer === undefined || authorizer.authorizeByResourceType(authorizableContext(ctx), operation, resourceType)
  );
}
