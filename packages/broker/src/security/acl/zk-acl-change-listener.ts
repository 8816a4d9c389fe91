import type { Logger } from '../../logger.js';
import type { KafkaZkClient } from '../../zk/kafka-zk-client.js';
import type { ResourcePattern } from './acl-binding.js';
import { ACL_CHANGE_PREFIX, decodeAclChange } from './zk-acl-znodes.js';

/** Notifications older than this are deleted by whichever broker sees them (Kafka: 15 minutes). */
const NOTIFICATION_EXPIRATION_MS = 15 * 60 * 1000;

/**
 * Follows one ACL change path (`/kafka-acl-changes` or `/kafka-acl-extended-changes`), as Kafka's
 * ZkNodeChangeNotificationListener does for its AclAuthorizer: each `acl_changes_<seq>` names a
 * pattern whose ACLs some broker changed; `onChange` re-reads it. Notifications are handled in
 * sequence order, each once; those present at startup are skipped, since the authorizer loads
 * every ACL after the listener starts (a change in between is then both loaded and handled, which
 * is harmless: handling re-reads). Expired notifications are deleted.
 */
export class ZkAclChangeListener {
  private lastSeen = -1;
  private processing: Promise<void> = Promise.resolve();

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly changesPath: string,
    private readonly onChange: (pattern: ResourcePattern) => void,
    private readonly logger: Logger,
  ) {}

  async startup(): Promise<void> {
    await this.zk.createRecursive(this.changesPath);
    this.zk.registerChildChangeHandler(this.changesPath, () => this.schedule());
    const existing = (await this.zk.getChildren(this.changesPath, { watch: true })) ?? [];
    for (const child of existing) this.lastSeen = Math.max(this.lastSeen, sequenceOf(child));
    await this.purgeExpired(existing);
  }

  /** Re-arms the watch and handles new notifications (also after a new ZooKeeper session). */
  schedule(): void {
    this.processing = this.processing
      .then(() => this.process())
      .catch((err: unknown) =>
        this.logger.error({ err }, `processing ACL change notifications of ${this.changesPath} failed`),
      );
  }

  private async process(): Promise<void> {
    const children = (await this.zk.getChildren(this.changesPath, { watch: true })) ?? [];
    const fresh = children.filter((c) => sequenceOf(c) > this.lastSeen).sort((a, b) => sequenceOf(a) - sequenceOf(b));
    for (const child of fresh) {
      const found = await this.zk.getData(`${this.changesPath}/${child}`);
      this.lastSeen = sequenceOf(child);
      if (found === undefined) continue;
      try {
        this.onChange(decodeAclChange(this.changesPath, found.data));
      } catch (err) {
        this.logger.error({ err }, `could not handle ACL change ${this.changesPath}/${child}`);
      }
    }
    await this.purgeExpired(children);
  }

  private async purgeExpired(children: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const child of children) {
      const path = `${this.changesPath}/${child}`;
      const stat = await this.zk.exists(path);
      if (stat === undefined) continue;
      const ctimeMs = stat.ctimeMs;
      if (ctimeMs > 0 && now - ctimeMs > NOTIFICATION_EXPIRATION_MS) await this.zk.delete(path).catch(() => undefined);
    }
  }

  close(): void {
    this.zk.unregisterChildChangeHandler(this.changesPath);
  }
}

function sequenceOf(child: string): number {
  return Number(child.slice(ACL_CHANGE_PREFIX.length));
}
