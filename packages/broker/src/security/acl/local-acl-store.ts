import type { LocalMetadata } from '../../metadata/local-metadata-store.js';
import { type AccessControlEntry, patternKey, type ResourceAcls, type ResourcePattern } from './acl-binding.js';
import { fromStored, type StoredResourceAcls, toStored } from './acl-json.js';
import type { AclStore } from './acl-store.js';

/**
 * Changes the metadata file in the single-node controller's queue (LocalController.updateMetadata):
 * `change` returns the fields to replace; the file is saved with them before memory takes them.
 */
export type MetadataFileChange = (
  change: (metadata: Readonly<LocalMetadata>) => Partial<LocalMetadata>,
) => Promise<void>;

/**
 * The ACLs of a single-node broker, in `samsa-metadata.json` under `acls` (one entry per pattern,
 * in the JSON of Kafka's ACL znodes). Reads and saves go through the controller's queue, so they
 * never overlap with topic or config changes and always see the file's latest state; the broker
 * is the only writer, so there is nothing to watch.
 */
export class LocalAclStore implements AclStore {
  constructor(private readonly updateFile: MetadataFileChange) {}

  /** The stored ACLs, read in the queue (an empty change: the file is saved unchanged). */
  async loadAll(): Promise<ResourceAcls[]> {
    let stored: readonly StoredResourceAcls[] = [];
    await this.updateFile((metadata) => {
      stored = metadata.acls ?? [];
      return {};
    });
    return stored.map(fromStored).filter((r) => r.entries.length > 0);
  }

  async read(pattern: ResourcePattern): Promise<readonly AccessControlEntry[]> {
    return (await this.loadAll()).find((r) => patternKey(r.pattern) === patternKey(pattern))?.entries ?? [];
  }

  async update(
    pattern: ResourcePattern,
    change: (current: readonly AccessControlEntry[]) => readonly AccessControlEntry[],
  ): Promise<readonly AccessControlEntry[]> {
    let next: readonly AccessControlEntry[] = [];
    const key = patternKey(pattern);
    await this.updateFile((metadata) => {
      const resources = (metadata.acls ?? []).map(fromStored);
      const index = resources.findIndex((r) => patternKey(r.pattern) === key);
      next = change(index < 0 ? [] : (resources[index] as ResourceAcls).entries);
      const kept: StoredResourceAcls[] = resources.filter((_, i) => i !== index).map(toStored);
      if (next.length > 0) kept.push(toStored({ pattern, entries: next }));
      return { acls: kept };
    });
    return next;
  }

  async watch(): Promise<void> {}

  close(): void {}
}
