import { AclOperation, aclEnumName, apiName } from '@samsa/protocol';
import type { Action, AuthorizableRequestContext } from '../authorizer.js';
import { principalToString } from '../kafka-principal.js';
import { zkResourceTypeName } from './acl-json.js';

/**
 * The line Kafka's authorizer logger (`kafka.authorizer.logger`) writes about a decision, in
 * StandardAuthorizer's words:
 *
 *   Principal = User:bob is Denied operation = WRITE from host = 127.0.0.1 on resource =
 *   Topic:LITERAL:t for request = Produce with resourceRefCount = 1
 *
 * Built only when it is logged.
 */
export function auditMessage(context: AuthorizableRequestContext, action: Action, allowed: boolean): string {
  // An action names one resource: its pattern is always LITERAL.
  const resource = `${zkResourceTypeName(action.resourceType)}:LITERAL:${action.resourceName}`;
  const request = context.requestType === undefined ? 'unknown' : apiName(context.requestType);
  return (
    `Principal = ${principalToString(context.principal)} is ${allowed ? 'Allowed' : 'Denied'} ` +
    `operation = ${aclEnumName(AclOperation, action.operation)} from host = ${context.clientAddress} ` +
    `on resource = ${resource} for request = ${request} with resourceRefCount = ${action.resourceReferenceCount ?? 1}`
  );
}
