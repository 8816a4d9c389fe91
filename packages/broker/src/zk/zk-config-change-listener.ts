import type { Logger } from '../logger.js';
import type { KafkaZkClient } from './kafka-zk-client.js';
import { ConfigChangeNotificationZNode } from './zk-data.js';

/** Notifications older than this are deleted by whichever broker sees them (Kafka: 15 minutes). */
const NOTIFICATION_EXPIRATION_MS = 15 * 60 * 1000;

/**
 * Follows `/config/changes` (Kafka's ZkNodeChangeNotificationListener + ConfigChangeListener):
 * each `config_change_<seq>` names an entity whose overrides changed (`topics/<name>`,
 * `brokers/<id|<default>>`); the handler re-reads them. Notifications are processed in sequence
 * order, each once; those present at startup are skipped, since startup reads every config
 * anyway. Expired notifications are deleted.
 */
export class ZkConfigChangeListener {
  private lastSeen = -1;
  private processing: Promise<void> = Promise.resolve();

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly onChange: (entityType: string, entityName: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async startup(): Promise<void> {
    await this.zk.createRecursive(ConfigChangeNotificationZNode.path);
    this.zk.registerChildChangeHandler(ConfigChangeNotificationZNode.path, () => this.schedule());
    const existing = (await this.zk.getChildren(ConfigChangeNotificationZNode.path, { watch: true })) ?? [];
    for (const child of existing) this.lastSeen = Math.max(this.lastSeen, sequenceOf(child));
    await this.purgeExpired(existing);
  }

  /** Re-arms the watch and processes new notifications (also after a new session). */
  schedule(): void {
    this.processing = this.processing
      .then(() => this.process())
      .catch((err: unknown) => {
        this.logger.error({ err }, 'processing config change notifications failed');
      });
  }

  private async process(): Promise<void> {
    const children = (await this.zk.getChildren(ConfigChangeNotificationZNode.path, { watch: true })) ?? [];
    const fresh = children.filter((c) => sequenceOf(c) > this.lastSeen).sort((a, b) => sequenceOf(a) - sequenceOf(b));
    for (const child of fresh) {
      const found = await this.zk.getData(`${ConfigChangeNotificationZNode.path}/${child}`);
      this.lastSeen = sequenceOf(child);
      if (found === undefined) continue;
      try {
        const { type, name } = ConfigChangeNotificationZNode.decode(found.data);
        await this.onChange(type, name);
      } catch (err) {
        this.logger.error({ err }, `could not apply config change ${child}`);
      }
    }
    await this.purgeExpired(children);
  }

  private async purgeExpired(children: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const child of children) {
      const path = `${ConfigChangeNotificationZNode.path}/${child}`;
      const stat = await this.zk.getData(path);
      if (stat === undefined) continue;
      const ctimeMs = stat.stat.ctimeMs;
      if (ctimeMs > 0 && now - ctimeMs > NOTIFICATION_EXPIRATION_MS) await this.zk.delete(path).catch(() => undefined);
    }
  }

  close(): void {
    this.zk.unregisterChildChangeHandler(ConfigChangeNotificationZNode.path);
  }
}

function sequenceOf(child: string): number {
  return Number(child.slice(ConfigChangeNotificationZNode.prefix.length));
}
