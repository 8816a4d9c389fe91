import type { Logger } from '../logger.js';
import { AdminZkClient } from '../zk/admin-zk-client.js';
import type { KafkaZkClient } from '../zk/kafka-zk-client.js';
import { desanitize, sanitize } from '../zk/sanitizer.js';
import { ConfigType } from '../zk/zk-data.js';
import { scramCredentialsOfConfig, withScramCredentials } from './scram-credential-config.js';
import { InMemoryScramCredentialStore, type UserScramCredentials } from './scram-credential-store.js';

/**
 * The SCRAM users of a ZooKeeper cluster, where Kafka keeps them: `/config/users/<sanitized user>`
 * holding `{"version":1,"config":{"SCRAM-SHA-256":"salt=…,stored_key=…,server_key=…,iterations=…"}}`
 * (beside any quota configs of the user, which are kept as they are), and a `/config/changes`
 * notification naming `users/<sanitized user>` after every change.
 *
 * ZooKeeper is the truth; memory is this broker's copy for logins, loaded whole at startup and
 * re-read per user when a notification names it (ZkMembership's config change listener), so a
 * change made on any broker reaches every broker's logins. Describe reads ZooKeeper, as Kafka's
 * does, so it sees a change made elsewhere at once; an alteration made here is in memory as soon
 * as it is written.
 */
export class ZkScramCredentialStore extends InMemoryScramCredentialStore {
  private readonly admin: AdminZkClient;
  /** Users re-read or altered while `loadAll` reads: what they hold is newer than what it read. */
  private updatedDuringLoad: Set<string> | undefined;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly logger: Logger,
  ) {
    super();
    this.admin = new AdminZkClient(zk);
  }

  /**
   * Reads every user from ZooKeeper into memory (startup). A user re-read meanwhile because of a
   * notification keeps what that read found: it was issued after the change it reports.
   */
  async loadAll(): Promise<void> {
    const updated = new Set<string>();
    this.updatedDuringLoad = updated;
    try {
      const all = await this.readAll();
      for (const [user] of [...this.users()])
        if (!all.has(user) && !updated.has(user)) this.replaceUser(user, new Map());
      for (const [user, credentials] of all) if (!updated.has(user)) this.replaceUser(user, credentials);
    } finally {
      this.updatedDuringLoad = undefined;
    }
  }

  /** A config change notification named `users/<entity>`: re-reads that user. */
  async reload(entity: string): Promise<void> {
    // `users/<user>/clients/<client>` entities are client quotas; `<default>` is the quota default.
    if (entity.includes('/')) return;
    const user = this.userOf(entity);
    if (user === undefined) return;
    const credentials = await this.read(user);
    this.updatedDuringLoad?.add(user);
    this.replaceUser(user, credentials);
  }

  override async describeUsers(users: readonly string[] | null): Promise<Map<string, UserScramCredentials>> {
    if (users === null) return this.readAll();
    const out = new Map<string, UserScramCredentials>();
    const distinct = [...new Set(users)];
    const found = await Promise.all(distinct.map((user) => this.read(user)));
    for (const [i, credentials] of found.entries())
      if (credentials.size > 0) out.set(distinct[i] as string, credentials);
    return out;
  }

  override async alterUser(
    user: string,
    change: (current: UserScramCredentials) => UserScramCredentials,
  ): Promise<void> {
    const entity = sanitize(user);
    for (;;) {
      const { configs, version } = await this.admin.versionedEntityConfig(ConfigType.User, entity);
      const next = change(this.credentialsOf(user, configs));
      const written = await this.admin.changeEntityConfigIfUnchanged(
        ConfigType.User,
        entity,
        withScramCredentials(configs, next),
        version,
      );
      if (written) {
        this.updatedDuringLoad?.add(user);
        this.replaceUser(user, next);
        return;
      }
      // Another broker changed this user between our read and our write: start again from theirs.
    }
  }

  private async readAll(): Promise<Map<string, UserScramCredentials>> {
    const entities = (await this.zk.getChildren(`/config/${ConfigType.User}`)) ?? [];
    const users = entities.map((entity) => this.userOf(entity)).filter((u): u is string => u !== undefined);
    const found = await Promise.all(users.map((user) => this.read(user)));
    const out = new Map<string, UserScramCredentials>();
    for (const [i, credentials] of found.entries()) if (credentials.size > 0) out.set(users[i] as string, credentials);
    return out;
  }

  private async read(user: string): Promise<UserScramCredentials> {
    return this.credentialsOf(user, await this.admin.entityConfig(ConfigType.User, sanitize(user)));
  }

  private credentialsOf(user: string, configs: Readonly<Record<string, string>>): UserScramCredentials {
    return scramCredentialsOfConfig(configs, (mechanism, err) =>
      this.logger.error(`ignoring the unreadable ${mechanism} credential of user ${user} in ZooKeeper: ${err.message}`),
    );
  }

  private userOf(entity: string): string | undefined {
    try {
      return desanitize(entity);
    } catch {
      this.logger.warn(`ignoring /config/users/${entity}: not a URL-encoded user name`);
      return undefined;
    }
  }
}
