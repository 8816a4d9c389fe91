import { type AccessControlEntry, entryKey, type ResourceAcls, type ResourcePattern } from './acl-binding.js';

/**
 * Where ACLs are durable: ZooKeeper in a cluster (ZkAclStore, Kafka's layout), the metadata file on
 * a single node (LocalAclStore). The authorizer keeps its cache from what the store says and calls
 * the store one operation at a time.
 */
export interface AclStore {
  /** Every pattern with ACLs (at startup). */
  loadAll(): Promise<ResourceAcls[]>;
  /** A pattern's ACLs as stored now (after a change notification). */
  read(pattern: ResourcePattern): Promise<readonly AccessControlEntry[]>;
  /**
   * Replaces a pattern's ACLs with `change(current)`, `current` being what is stored now (another
   * broker may have changed it since this one last looked): atomically, retried if a concurrent
   * writer got there first. `change` may be called more than once. Resolves with what is stored
   * afterwards; once resolved, every other broker will learn of the change.
   */
  update(
    pattern: ResourcePattern,
    change: (current: readonly AccessControlEntry[]) => readonly AccessControlEntry[],
  ): Promise<readonly AccessControlEntry[]>;
  /**
   * Follows changes other brokers make: `onChange` names a pattern whose ACLs changed, to `read`
   * again. Stores with a single writer never call it.
   */
  watch(onChange: (pattern: ResourcePattern) => void): Promise<void>;
  close(): void;
}

/** Whether two entry lists hold the same entries, in any order (each list has no duplicates). */
export function sameEntries(a: readonly AccessControlEntry[], b: readonly AccessControlEntry[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(entryKey));
  return b.every((entry) => keys.has(entryKey(entry)));
}
