import type { ClientQuotaConfigs } from './client-quota-configs.js';
import type { ClientQuotaEntity, QuotaKey } from './client-quota-entity.js';

/**
 * Where client quotas are kept: ZooKeeper's `/config/users/…` and `/config/clients/…` on a
 * cluster (every broker follows the change notifications), the metadata file on a single node.
 * `configs` is the in-memory view the quota managers read.
 */
export interface ClientQuotaStore {
  readonly configs: ClientQuotaConfigs;
  /** Replaces an entity's quotas durably (an empty map removes them), then applies them. */
  alter(entity: ClientQuotaEntity, values: ReadonlyMap<QuotaKey, number>): Promise<void>;
}
