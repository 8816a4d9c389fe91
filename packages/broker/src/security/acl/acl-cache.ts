import { AclPatternType, type AclResourceTypeCode } from '@samsa/protocol';
import {
  type AccessControlEntry,
  patternKey,
  type ResourceAcls,
  type ResourcePattern,
  WILDCARD_RESOURCE,
} from './acl-binding.js';

type EntriesByName = Map<string, readonly AccessControlEntry[]>;

/**
 * Every ACL this broker knows, in memory: what authorization decisions read (synchronously, on
 * every request) and DescribeAcls lists. Indexed by resource type and pattern type so that the
 * ACLs applying to one resource are found without a scan: the LITERAL ones of its name and of `*`,
 * and the PREFIXED ones of each prefix of its name.
 *
 * Changed only by AclAuthorizer, one change at a time, after the store has the change; a
 * resource's entries are replaced whole, never edited in place, so a reader holding an array sees
 * one consistent version.
 */
export class AclCache {
  private readonly byKey = new Map<string, ResourceAcls>();
  private readonly literal = new Map<AclResourceTypeCode, EntriesByName>();
  private readonly prefixed = new Map<AclResourceTypeCode, EntriesByName>();
  private bindingCount = 0;

  /** A pattern's entries; empty when it has none. */
  get(pattern: ResourcePattern): readonly AccessControlEntry[] {
    return this.byKey.get(patternKey(pattern))?.entries ?? [];
  }

  /** Replaces a pattern's entries; none removes the pattern. */
  set(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): void {
    const key = patternKey(pattern);
    this.bindingCount += entries.length - (this.byKey.get(key)?.entries.length ?? 0);
    const index = pattern.patternType === AclPatternType.PREFIXED ? this.prefixed : this.literal;
    let byName = index.get(pattern.resourceType);
    if (entries.length === 0) {
      this.byKey.delete(key);
      byName?.delete(pattern.name);
      return;
    }
    const frozen = Object.freeze([...entries]);
    this.byKey.set(key, { pattern, entries: frozen });
    if (byName === undefined) index.set(pattern.resourceType, (byName = new Map()));
    byName.set(pattern.name, frozen);
  }

  /** Every pattern with ACLs. */
  resources(): IterableIterator<ResourceAcls> {
    return this.byKey.values();
  }

  /** How many bindings there are (Kafka's aclCount). */
  get size(): number {
    return this.bindingCount;
  }

  /** Whether any ACL exists at all. */
  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /**
   * The entry lists of every pattern applying to the resource `name` of `resourceType`: its LITERAL
   * pattern, the LITERAL `*`, and each PREFIXED pattern that `name` starts with.
   */
  matching(resourceType: AclResourceTypeCode, name: string): (readonly AccessControlEntry[])[] {
    const found: (readonly AccessControlEntry[])[] = [];
    const literal = this.literal.get(resourceType);
    if (literal !== undefined) {
      const exact = literal.get(name);
      if (exact !== undefined) found.push(exact);
      const wildcard = name === WILDCARD_RESOURCE ? undefined : literal.get(WILDCARD_RESOURCE);
      if (wildcard !== undefined) found.push(wildcard);
    }
    const prefixed = this.prefixed.get(resourceType);
    if (prefixed !== undefined && prefixed.size > 0) {
      // Whichever is fewer: the stored prefixes, or the prefixes of the name.
      if (prefixed.size < name.length) {
        for (const [prefix, entries] of prefixed) if (name.startsWith(prefix)) found.push(entries);
      } else {
        for (let length = 1; length <= name.length; length++) {
          const entries = prefixed.get(name.slice(0, length));
          if (entries !== undefined) found.push(entries);
        }
      }
    }
    return found;
  }
}
