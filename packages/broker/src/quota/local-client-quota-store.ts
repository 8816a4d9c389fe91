import type { LocalMetadata } from '../metadata/local-metadata-store.js';
import type { MetadataFileUpdate } from '../security/local-scram-credential-store.js';
import { type ClientQuotaEntity, entityPath, parseEntityPath, type QuotaKey } from './client-quota-entity.js';
import { InMemoryClientQuotaStore } from './in-memory-client-quota-store.js';
import { quotasOfConfig, withQuotas } from './quota-config-entries.js';

/**
 * The client quotas of a single-node broker, in `samsa-metadata.json` under `clientQuotas`:
 * entity path (`users/alice`, `clients/<default>`, as in ZooKeeper) → config entries. Saved
 * through the controller's queue before memory changes, loaded at startup.
 */
export class LocalClientQuotaStore extends InMemoryClientQuotaStore {
  constructor(
    stored: LocalMetadata['clientQuotas'],
    private readonly update: MetadataFileUpdate,
  ) {
    super();
    for (const [path, config] of Object.entries(stored ?? {})) {
      const entity = parseEntityPath(path);
      if (entity !== undefined) this.configs.set(entity, quotasOfConfig(config));
    }
  }

  override async alter(entity: ClientQuotaEntity, values: ReadonlyMap<QuotaKey, number>): Promise<void> {
    const path = entityPath(entity);
    await this.update((metadata) => {
      const all = { ...(metadata.clientQuotas ?? {}) };
      const updated = withQuotas(all[path] ?? {}, values);
      if (Object.keys(updated).length === 0) delete all[path];
      else all[path] = updated;
      return { clientQuotas: all };
    });
    this.configs.set(entity, values);
  }
}
