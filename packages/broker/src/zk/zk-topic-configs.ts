import type { KafkaZkClient } from './kafka-zk-client.js';
import { ConfigEntityZNode, ConfigType } from './zk-data.js';

/**
 * Topic config overrides of a ZooKeeper-mode cluster, as this broker knows them: read from
 * `/config/topics/<topic>` the first time a topic is seen (a LeaderAndIsr or UpdateMetadata naming
 * it), and again when a `/config/changes` notification names it (ZkConfigChangeListener).
 */
export class ZkTopicConfigs {
  private readonly cache = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly zk: KafkaZkClient) {}

  /** The overrides of `topic` ({} when none are known). */
  overrides(topic: string): Readonly<Record<string, string>> {
    return this.cache.get(topic) ?? {};
  }

  /** Reads the overrides of every topic not read yet. */
  async load(topics: Iterable<string>): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.cache.has(t));
    await Promise.all(missing.map((t) => this.reload(t)));
  }

  /** Reads a topic's overrides again and returns them. */
  async reload(topic: string): Promise<Readonly<Record<string, string>>> {
    const found = await this.zk.getData(ConfigEntityZNode.path(ConfigType.Topic, topic));
    const overrides = ConfigEntityZNode.decode(found?.data);
    this.cache.set(topic, overrides);
    return overrides;
  }

  forget(topic: string): void {
    this.cache.delete(topic);
  }
}
