import type { BrokerConfig } from '../config/broker-config.js';
import type { GroupConfig } from '../config/group-config.js';
import { GroupConfigStore } from '../config/group-config-store.js';
import type { Logger } from '../logger.js';
import { AdminZkClient } from './admin-zk-client.js';
import type { KafkaZkClient } from './kafka-zk-client.js';
import { desanitize, sanitize } from './sanitizer.js';
import { ConfigType } from './zk-data.js';

/**
 * The group configs of a ZooKeeper cluster, in `/config/groups/<group>` (the group id sanitized
 * as Kafka sanitizes user and client ids, since a group id may hold `/`), each change announced
 * by a `/config/changes` notification that makes every broker re-read the group. ZooKeeper-era
 * Kafka had no group configs; this follows its layout for the other entity types.
 */
export class ZkGroupConfigStore extends GroupConfigStore {
  private readonly admin: AdminZkClient;

  constructor(
    private readonly zk: KafkaZkClient,
    broker: BrokerConfig,
    private readonly logger: Logger,
  ) {
    super(broker);
    this.admin = new AdminZkClient(zk);
  }

  /** Reads every group's configs (startup). */
  async loadAll(): Promise<void> {
    for (const node of (await this.zk.getChildren(`/config/${ConfigType.Group}`)) ?? []) await this.reload(node);
  }

  /** A change notification named `groups/<sanitized id>`: re-reads that group. */
  async reload(node: string): Promise<void> {
    let groupId: string;
    try {
      groupId = desanitize(node);
    } catch {
      this.logger.warn(`ignoring group config /config/groups/${node}: not a sanitized group id`);
      return;
    }
    this.apply(groupId, await this.admin.entityConfig(ConfigType.Group, node));
  }

  override async refresh(groupId: string): Promise<GroupConfig> {
    await this.reload(sanitize(groupId));
    return this.config(groupId);
  }

  override async alter(groupId: string, overrides: Readonly<Record<string, string>>): Promise<void> {
    await this.admin.changeEntityConfig(ConfigType.Group, sanitize(groupId), overrides);
    this.apply(groupId, overrides);
  }
}
