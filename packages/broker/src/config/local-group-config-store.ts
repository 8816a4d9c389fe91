import type { LocalMetadata } from '../metadata/local-metadata-store.js';
import type { MetadataFileUpdate } from '../security/local-scram-credential-store.js';
import type { BrokerConfig } from './broker-config.js';
import { GroupConfigStore } from './group-config-store.js';

/**
 * The group configs of a single-node broker, in `samsa-metadata.json` under `groupConfigs`
 * (group id → overrides). Saved through the controller's queue before memory changes.
 */
export class LocalGroupConfigStore extends GroupConfigStore {
  constructor(
    stored: LocalMetadata['groupConfigs'],
    broker: BrokerConfig,
    private readonly update: MetadataFileUpdate,
  ) {
    super(broker);
    for (const [groupId, overrides] of Object.entries(stored ?? {})) this.apply(groupId, overrides);
  }

  override async alter(groupId: string, overrides: Readonly<Record<string, string>>): Promise<void> {
    await this.update((metadata) => {
      const all = { ...(metadata.groupConfigs ?? {}) };
      if (Object.keys(overrides).length === 0) delete all[groupId];
      else all[groupId] = { ...overrides };
      return { groupConfigs: all };
    });
    this.apply(groupId, overrides);
  }
}
