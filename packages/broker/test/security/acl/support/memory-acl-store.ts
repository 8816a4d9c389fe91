import {
  type AccessControlEntry,
  patternKey,
  type ResourceAcls,
  type ResourcePattern,
} from '../../../../src/security/acl/acl-binding.js';
import type { AclStore } from '../../../../src/security/acl/acl-store.js';

/**
 * An AclStore in memory, for authorizer tests: `failNextUpdate` makes the next update reject,
 * `changeBehindTheBack` changes a pattern as another broker would and announces it.
 */
export class MemoryAclStore implements AclStore {
  readonly resources = new Map<string, ResourceAcls>();
  failNextUpdate: Error | undefined;
  updates = 0;
  private listener: ((pattern: ResourcePattern) => void) | undefined;

  async loadAll(): Promise<ResourceAcls[]> {
    return [...this.resources.values()];
  }

  async read(pattern: ResourcePattern): Promise<readonly AccessControlEntry[]> {
    return this.resources.get(patternKey(pattern))?.entries ?? [];
  }

  async update(
    pattern: ResourcePattern,
    change: (current: readonly AccessControlEntry[]) => readonly AccessControlEntry[],
  ): Promise<readonly AccessControlEntry[]> {
    this.updates++;
    const failure = this.failNextUpdate;
    this.failNextUpdate = undefined;
    if (failure !== undefined) throw failure;
    const next = change(await this.read(pattern));
    this.set(pattern, next);
    return next;
  }

  set(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): void {
    if (entries.length === 0) this.resources.delete(patternKey(pattern));
    else this.resources.set(patternKey(pattern), { pattern, entries: [...entries] });
  }

  changeBehindTheBack(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): void {
    this.set(pattern, entries);
    this.listener?.(pattern);
  }

  async watch(onChange: (pattern: ResourcePattern) => void): Promise<void> {
    this.listener = onChange;
  }

  close(): void {}
}
