import {
  AclOperation,
  type AclOperationName,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  type AclResourceTypeName,
} from '@samsa/protocol';
import type { Logger } from '../../../../src/logger.js';
import { AclAuthorizer } from '../../../../src/security/acl/acl-authorizer.js';
import type { AclBinding, AclBindingFilter } from '../../../../src/security/acl/acl-binding.js';
import type { AuthorizableRequestContext } from '../../../../src/security/authorizer.js';
import { parsePrincipal } from '../../../../src/security/kafka-principal.js';
import { MemoryAclStore } from './memory-acl-store.js';

/** A binding from Kafka's words: `binding('TOPIC', 't', 'User:alice', 'READ')`. */
export function binding(
  resourceType: AclResourceTypeName,
  name: string,
  principal: string,
  operation: AclOperationName,
  options: { permission?: 'ALLOW' | 'DENY'; host?: string; patternType?: 'LITERAL' | 'PREFIXED' } = {},
): AclBinding {
  return {
    pattern: {
      resourceType: AclResourceType[resourceType],
      name,
      patternType: AclPatternType[options.patternType ?? 'LITERAL'],
    },
    entry: {
      principal,
      host: options.host ?? '*',
      operation: AclOperation[operation],
      permissionType: AclPermissionType[options.permission ?? 'ALLOW'],
    },
  };
}

/** A filter; what is not given matches anything. */
export function filter(
  options: {
    resourceType?: AclResourceTypeName;
    name?: string | null;
    patternType?: 'ANY' | 'MATCH' | 'LITERAL' | 'PREFIXED';
    principal?: string | null;
    host?: string | null;
    operation?: AclOperationName;
    permission?: 'ANY' | 'ALLOW' | 'DENY';
  } = {},
): AclBindingFilter {
  return {
    patternFilter: {
      resourceType: AclResourceType[options.resourceType ?? 'ANY'],
      name: options.name ?? null,
      patternType: AclPatternType[options.patternType ?? 'ANY'],
    },
    entryFilter: {
      principal: options.principal ?? null,
      host: options.host ?? null,
      operation: AclOperation[options.operation ?? 'ANY'],
      permissionType: AclPermissionType[options.permission ?? 'ANY'],
    },
  };
}

/** Who asks: `User:alice` from 10.0.0.1 by default. */
export function context(principal = 'User:alice', host = '10.0.0.1', requestType = 0): AuthorizableRequestContext {
  const parsed = parsePrincipal(principal);
  if (parsed === undefined) throw new Error(`bad principal ${principal}`);
  return { principal: parsed, clientAddress: host, listenerName: 'PLAINTEXT', requestType };
}

/** A logger that keeps its info lines. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = ((a: unknown, b?: unknown) => {
    lines.push(typeof a === 'string' ? a : String(b ?? ''));
  }) as Logger['info'];
  const logger: Logger & { lines: string[] } = {
    lines,
    error: () => {},
    warn: () => {},
    info: log,
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/** An authorizer over a memory store holding `bindings`. */
export async function authorizerWith(
  bindings: readonly AclBinding[],
  options: { superUsers?: string[]; allowEveryoneIfNoAclFound?: boolean; auditLogger?: Logger } = {},
): Promise<{ authorizer: AclAuthorizer; store: MemoryAclStore }> {
  const store = new MemoryAclStore();
  const authorizer = await AclAuthorizer.start({
    store,
    superUsers: new Set(options.superUsers ?? []),
    allowEveryoneIfNoAclFound: options.allowEveryoneIfNoAclFound ?? false,
    auditLogger: options.auditLogger ?? capturingLogger(),
    logger: capturingLogger(),
  });
  const results = await authorizer.createAcls(bindings);
  for (const r of results) if (r.errorCode !== 0) throw new Error(`fixture binding refused: ${r.errorMessage}`);
  return { authorizer, store };
}
