import type { Logger } from '../logger.js';
import { AdminZkClient } from '../zk/admin-zk-client.js';
import type { KafkaZkClient } from '../zk/kafka-zk-client.js';
import { type ConfigEntityType, ConfigType } from '../zk/zk-data.js';
import { type ClientQuotaEntity, entityPath, parseEntityPath, type QuotaKey } from './client-quota-entity.js';
import { InMemoryClientQuotaStore } from './in-memory-client-quota-store.js';
import { quotasOfConfig, withQuotas } from './quota-config-entries.js';

/**
 * The client quotas of a ZooKeeper cluster, where Kafka keeps them: `/config/users/<user>`,
 * `/config/users/<user>/clients/<client>`, `/config/clients/<client>` (`<default>` for defaults),
 * entries beside a user's SCRAM credentials, and a `/config/changes` notification naming the
 * entity after each change, which makes every broker re-read it. Writes are conditional on the
 * znode's version, so a concurrent change of the same entity (its SCRAM credentials) is kept.
 */
export class ZkClientQuotaStore extends InMemoryClientQuotaStore {
  private readonly admin: AdminZkClient;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly logger: Logger,
  ) {
    super();
    this.admin = new AdminZkClient(zk);
  }

  /** Reads every quota entity (startup, and after a new ZooKeeper session). */
  async loadAll(): Promise<void> {
    const paths: string[] = [];
    for (const user of (await this.zk.getChildren(`/config/${ConfigType.User}`)) ?? []) {
      paths.push(`users/${user}`);
      for (const client of (await this.zk.getChildren(`/config/users/${user}/clients`)) ?? []) {
        paths.push(`users/${user}/clients/${client}`);
      }
    }
    for (const client of (await this.zk.getChildren(`/config/${ConfigType.Client}`)) ?? [])
      paths.push(`clients/${client}`);
    for (const path of paths) await this.reload(path);
  }

  /** A change notification named `users/…` or `clients/…`: re-reads that entity. */
  async reload(path: string): Promise<void> {
    const entity = parseEntityPath(path);
    if (entity === undefined) {
      this.logger.warn(`ignoring quota entity /config/${path}: not a user or client-id path`);
      return;
    }
    const found = await this.zk.getData(`/config/${path}`);
    const config = found === undefined ? {} : decodeConfig(found.data);
    this.configs.set(entity, quotasOfConfig(config));
  }

  override async alter(entity: ClientQuotaEntity, values: ReadonlyMap<QuotaKey, number>): Promise<void> {
    const path = entityPath(entity);
    const slash = path.indexOf('/');
    const type = path.slice(0, slash) as ConfigEntityType;
    const name = path.slice(slash + 1);
    for (;;) {
      const { configs, version } = await this.admin.versionedEntityConfig(type, name);
      const written = await this.admin.changeEntityConfigIfUnchanged(type, name, withQuotas(configs, values), version);
      if (written) break;
    }
    this.configs.set(entity, values);
  }
}

function decodeConfig(bytes: Buffer | null | undefined): Record<string, string> {
  if (bytes === null || bytes === undefined || bytes.length === 0) return {};
  const json = JSON.parse(bytes.toString('utf8')) as { config?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(json.config ?? {}).map(([k, v]) => [k, String(v)]));
}
