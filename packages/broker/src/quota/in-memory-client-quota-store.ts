import { ClientQuotaConfigs } from './client-quota-configs.js';
import type { ClientQuotaEntity, QuotaKey } from './client-quota-entity.js';
import type { ClientQuotaStore } from './client-quota-store.js';

/** Quotas kept in memory only: for unit tests, and the base of the durable stores. */
export class InMemoryClientQuotaStore implements ClientQuotaStore {
  readonly configs = new ClientQuotaConfigs();

  async alter(entity: ClientQuotaEntity, values: ReadonlyMap<QuotaKey, number>): Promise<void> {
    this.configs.set(entity, values);
  }
}
