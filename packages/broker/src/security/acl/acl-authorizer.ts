import {
  type AclOperationCode,
  AclResourceType,
  type AclResourceTypeCode,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import type {
  AclBindingDeleteResult,
  AclCreateResult,
  AclDeleteResult,
  Action,
  AuthorizableRequestContext,
  Authorizer,
} from '../authorizer.js';
import { principalToString } from '../kafka-principal.js';
import { auditMessage } from './acl-audit-message.js';
import {
  type AccessControlEntry,
  type AclBinding,
  type AclBindingFilter,
  entryKey,
  formatPattern,
  patternKey,
  type ResourcePattern,
} from './acl-binding.js';
import {
  bindingFilterMatches,
  entryFilterMatches,
  patternFilterMatches,
  patternsNamedBy,
} from './acl-binding-filter.js';
import { AclCache } from './acl-cache.js';
import { type DecisionConfig, isAllowed } from './acl-decision.js';
import type { AclStore } from './acl-store.js';
import { invalidBindingReason, invalidFilterReason } from './acl-validation.js';
import { allowedOnSomeResource } from './some-resource-decision.js';

export interface AclAuthorizerOptions extends DecisionConfig {
  readonly store: AclStore;
  /** Kafka's `kafka.authorizer.logger`: denials at info. */
  readonly auditLogger: Logger;
  readonly logger: Logger;
}

/** The resource Kafka's default authorizeByResourceType asks `authorize` about first. */
const PROBE_RESOURCE_NAME = 'hardcode';

const OK: AclCreateResult = Object.freeze({ errorCode: ErrorCode.NONE, errorMessage: null });

/**
 * Samsa's authorizer, selected by `authorizer.class.name` = kafka.security.authorizer.AclAuthorizer,
 * kafka.security.auth.SimpleAclAuthorizer or org.apache.kafka.metadata.authorizer.StandardAuthorizer,
 * with their semantics (see acl-decision.ts): ACLs by resource pattern, DENY winning, super users,
 * allow.everyone.if.no.acl.found.
 *
 * Decisions are synchronous reads of an in-memory AclCache. The cache follows the store: it is
 * loaded at startup, and changes — this broker's CreateAcls/DeleteAcls, other brokers' change
 * notifications — are applied one at a time, in one queue, each after the store has it. So a
 * change made here is in effect here when its response is sent, and elsewhere once the other
 * brokers have read its notification.
 */
export class AclAuthorizer implements Authorizer {
  private readonly cache = new AclCache();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: AclAuthorizerOptions) {}

  /** Follows the store's change notifications, then loads every ACL (so no change falls in between). */
  static async start(options: AclAuthorizerOptions): Promise<AclAuthorizer> {
    const authorizer = new AclAuthorizer(options);
    await options.store.watch((pattern) => authorizer.onStoreChange(pattern));
    await authorizer.serialized(async () => {
      for (const { pattern, entries } of await options.store.loadAll()) authorizer.cache.set(pattern, entries);
    });
    return authorizer;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Another broker changed a pattern's ACLs: read them again. */
  private onStoreChange(pattern: ResourcePattern): void {
    this.serialized(async () => {
      const entries = await this.options.store.read(pattern);
      this.options.logger.info(
        `Processing Acl change notification for ${formatPattern(pattern)}, acls: ${entries.length}`,
      );
      this.cache.set(pattern, entries);
    }).catch((err: unknown) =>
      this.options.logger.error({ err }, `Could not read the ACLs of ${formatPattern(pattern)} after a change`),
    );
  }

  authorize(context: AuthorizableRequestContext, actions: readonly Action[]): boolean[] {
    const principal = principalToString(context.principal);
    return actions.map((action) => {
      const allowed = isAllowed(
        this.cache,
        this.options,
        principal,
        context.clientAddress,
        action.operation,
        action.resourceType,
        action.resourceName,
      );
      if (!allowed && action.logIfDenied !== false) this.options.auditLogger.info(auditMessage(context, action, false));
      return allowed;
    });
  }

  authorizeByResourceType(
    context: AuthorizableRequestContext,
    operation: AclOperationCode,
    resourceType: AclResourceTypeCode,
  ): boolean {
    if (resourceType === AclResourceType.ANY || resourceType === AclResourceType.UNKNOWN) {
      throw new Error('Must specify a non-filter resource type for authorizeByResourceType');
    }
    const probe: Action = {
      operation,
      resourceType,
      resourceName: PROBE_RESOURCE_NAME,
      resourceReferenceCount: 0,
      logIfDenied: false,
    };
    if (this.authorize(context, [probe])[0] === true) return true;
    return allowedOnSomeResource(
      this.cache,
      principalToString(context.principal),
      context.clientAddress,
      operation,
      resourceType,
    );
  }

  /** Every stored binding the filter matches, from the cache. */
  acls(filter: AclBindingFilter): AclBinding[] {
    const found: AclBinding[] = [];
    for (const { pattern, entries } of this.cache.resources()) {
      if (!patternFilterMatches(filter.patternFilter, pattern)) continue;
      for (const entry of entries) {
        const binding = { pattern, entry };
        if (bindingFilterMatches(filter, binding)) found.push(binding);
      }
    }
    return found;
  }

  /** How many bindings there are. */
  get aclCount(): number {
    return this.cache.size;
  }

  /**
   * Stores valid bindings, one store update per pattern (all of a pattern's bindings succeed or
   * fail together); invalid ones get INVALID_REQUEST. Storing a binding that exists succeeds.
   */
  async createAcls(bindings: readonly AclBinding[]): Promise<AclCreateResult[]> {
    const results: AclCreateResult[] = bindings.map(() => OK);
    const byPattern = new Map<string, { pattern: ResourcePattern; entries: AccessControlEntry[]; indexes: number[] }>();
    bindings.forEach((binding, index) => {
      const invalid = invalidBindingReason(binding);
      if (invalid !== undefined) {
        results[index] = { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: invalid };
        return;
      }
      const key = patternKey(binding.pattern);
      let group = byPattern.get(key);
      if (group === undefined) byPattern.set(key, (group = { pattern: binding.pattern, entries: [], indexes: [] }));
      group.entries.push(binding.entry);
      group.indexes.push(index);
    });
    if (byPattern.size === 0) return results;
    await this.serialized(async () => {
      for (const { pattern, entries, indexes } of byPattern.values()) {
        try {
          const stored = await this.options.store.update(pattern, (current) => union(current, entries));
          this.cache.set(pattern, stored);
        } catch (err) {
          this.options.logger.error({ err }, `Failed to add ACLs to ${formatPattern(pattern)}`);
          for (const index of indexes) results[index] = failure(err);
        }
      }
    });
    return results;
  }

  /**
   * Deletes, for each filter, the bindings it matches — among the patterns cached here and, for a
   * filter naming one pattern exactly, that pattern as stored (it may not have reached this
   * broker's cache yet). A binding matched by several filters is reported by the first.
   */
  async deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclDeleteResult[]> {
    const invalid = filters.map(invalidFilterReason);
    const valid = filters.flatMap((filter, index) => (invalid[index] === undefined ? [{ filter, index }] : []));
    const deleted: AclBindingDeleteResult[][] = filters.map(() => []);
    await this.serialized(async () => {
      const patterns = new Map<string, ResourcePattern>();
      for (const { pattern } of this.cache.resources()) patterns.set(patternKey(pattern), pattern);
      for (const { filter } of valid) {
        for (const pattern of patternsNamedBy(filter.patternFilter)) patterns.set(patternKey(pattern), pattern);
      }
      for (const pattern of patterns.values()) {
        const matching = valid.filter(({ filter }) => patternFilterMatches(filter.patternFilter, pattern));
        if (matching.length === 0) continue;
        let removed = new Map<string, { entry: AccessControlEntry; index: number }>();
        try {
          const stored = await this.options.store.update(pattern, (current) => {
            removed = new Map();
            return current.filter((entry) => {
              const by = matching.find(({ filter }) => entryFilterMatches(filter.entryFilter, entry));
              if (by === undefined) return true;
              removed.set(entryKey(entry), { entry, index: by.index });
              return false;
            });
          });
          this.cache.set(pattern, stored);
          for (const { entry, index } of removed.values()) deleted[index]?.push({ ...OK, binding: { pattern, entry } });
        } catch (err) {
          this.options.logger.error({ err }, `Failed to delete ACLs of ${formatPattern(pattern)}`);
          for (const { entry, index } of removed.values()) {
            deleted[index]?.push({ ...failure(err), binding: { pattern, entry } });
          }
        }
      }
    });
    return filters.map((_, index) => {
      const reason = invalid[index];
      if (reason !== undefined) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: reason, deleted: [] };
      return { ...OK, deleted: deleted[index] ?? [] };
    });
  }

  close(): void {
    this.options.store.close();
  }
}

/** `current` with `added` appended, each entry once. */
function union(current: readonly AccessControlEntry[], added: readonly AccessControlEntry[]): AccessControlEntry[] {
  const seen = new Set(current.map(entryKey));
  const result = [...current];
  for (const entry of added) {
    const key = entryKey(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(entry);
  }
  return result;
}

function failure(err: unknown): AclCreateResult {
  if (err instanceof KafkaError) return { errorCode: err.errorCode, errorMessage: err.message };
  return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: err instanceof Error ? err.message : String(err) };
}
