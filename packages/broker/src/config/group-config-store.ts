import type { BrokerConfig } from './broker-config.js';
import { GroupConfig } from './group-config.js';

/**
 * Where group configs are kept: ZooKeeper's `/config/groups/<group>` on a cluster (every broker
 * follows the change notifications), the metadata file on a single node. Every broker holds all
 * of them in memory: the coordinator of a group reads them on each heartbeat.
 */
export abstract class GroupConfigStore {
  protected readonly overridesByGroup = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly broker: BrokerConfig) {}

  /** A group's overrides ({} when it has none). */
  overrides(groupId: string): Readonly<Record<string, string>> {
    return this.overridesByGroup.get(groupId) ?? {};
  }

  /** A group's effective configs. */
  config(groupId: string): GroupConfig {
    return new GroupConfig(this.overrides(groupId), this.broker);
  }

  /**
   * A group's session timeout and heartbeat interval for its kind, when it overrides either
   * (undefined otherwise: the coordinator keeps the broker's values without building a config).
   */
  timingsOf(
    groupId: string,
    kind: 'consumer' | 'share',
  ): { sessionTimeoutMs: number; heartbeatIntervalMs: number } | undefined {
    const overrides = this.overridesByGroup.get(groupId);
    if (overrides === undefined) return undefined;
    const config = new GroupConfig(overrides, this.broker);
    return {
      sessionTimeoutMs: config.int(`${kind}.session.timeout.ms`),
      heartbeatIntervalMs: config.int(`${kind}.heartbeat.interval.ms`),
    };
  }

  /** The groups with overrides. */
  groupIds(): string[] {
    return [...this.overridesByGroup.keys()];
  }

  /**
   * Reads a group's overrides again from where they are kept, for a decision that must not use a
   * copy one change behind (a share partition's starting offset): on a cluster another broker may
   * have changed them a moment ago, and the change notification may not have arrived yet.
   */
  async refresh(groupId: string): Promise<GroupConfig> {
    return this.config(groupId);
  }

  /** Replaces a group's overrides durably (an empty map removes them), then applies them here. */
  abstract alter(groupId: string, overrides: Readonly<Record<string, string>>): Promise<void>;

  protected apply(groupId: string, overrides: Readonly<Record<string, string>>): void {
    if (Object.keys(overrides).length === 0) this.overridesByGroup.delete(groupId);
    else this.overridesByGroup.set(groupId, { ...overrides });
  }
}
