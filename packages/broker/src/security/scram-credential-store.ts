import type { ScramCredential, ScramMechanismName } from '@samsa/protocol';

/**
 * Where the SCRAM authenticator looks users up. Credentials live where Kafka keeps them: ZooKeeper's
 * `/config/users/<user>` on a cluster, the metadata file on a single node; every broker's store
 * follows changes (a user added with kafka-configs.sh can log in on any broker at once).
 */
export interface ScramCredentialStore {
  /** The credential of `user` for `mechanism`, undefined when the user has none. */
  credential(user: string, mechanism: ScramMechanismName): ScramCredential | undefined;
}

/** One user's credentials, by mechanism. */
export type UserScramCredentials = ReadonlyMap<ScramMechanismName, ScramCredential>;

/**
 * The store as DescribeUserScramCredentials and AlterUserScramCredentials use it. Lookups for
 * logins (`credential`) stay synchronous, from memory; these calls go to where the credentials are
 * kept, and an alteration is in memory (this broker's logins see it) when it resolves.
 */
export interface MutableScramCredentialStore extends ScramCredentialStore {
  /**
   * The users among `users` (every user, when null) that have at least one credential, with their
   * credentials as stored now.
   */
  describeUsers(users: readonly string[] | null): Promise<Map<string, UserScramCredentials>>;
  /**
   * Replaces one user's credentials with what `change` makes of the current ones; an empty result
   * removes them all. `change` may throw (a KafkaError) to refuse, leaving the user unchanged; it
   * must be pure: a store may call it again if another writer changed the user meanwhile.
   * Alterations of one user never interleave.
   */
  alterUser(user: string, change: (current: UserScramCredentials) => UserScramCredentials): Promise<void>;
}

/**
 * An in-memory store: for unit tests, and the cache the durable stores serve logins from (they
 * extend it and keep it current).
 */
export class InMemoryScramCredentialStore implements MutableScramCredentialStore {
  private readonly byUser = new Map<string, Map<ScramMechanismName, ScramCredential>>();

  credential(user: string, mechanism: ScramMechanismName): ScramCredential | undefined {
    return this.byUser.get(user)?.get(mechanism);
  }

  set(user: string, mechanism: ScramMechanismName, credential: ScramCredential): void {
    let mechanisms = this.byUser.get(user);
    if (mechanisms === undefined) this.byUser.set(user, (mechanisms = new Map()));
    mechanisms.set(mechanism, credential);
  }

  delete(user: string, mechanism: ScramMechanismName): boolean {
    const mechanisms = this.byUser.get(user);
    if (mechanisms === undefined || !mechanisms.delete(mechanism)) return false;
    if (mechanisms.size === 0) this.byUser.delete(user);
    return true;
  }

  /** Replaces everything a user has (a reload from ZooKeeper or the metadata file). */
  replaceUser(user: string, credentials: UserScramCredentials): void {
    if (credentials.size === 0) this.byUser.delete(user);
    else this.byUser.set(user, new Map(credentials));
  }

  users(): IterableIterator<[string, ReadonlyMap<ScramMechanismName, ScramCredential>]> {
    return this.byUser.entries();
  }

  /** What this broker holds in memory. */
  async describeUsers(users: readonly string[] | null): Promise<Map<string, UserScramCredentials>> {
    return this.cached(users);
  }

  protected cached(users: readonly string[] | null): Map<string, UserScramCredentials> {
    const out = new Map<string, UserScramCredentials>();
    for (const user of users ?? this.byUser.keys()) {
      const credentials = this.byUser.get(user);
      if (credentials !== undefined) out.set(user, new Map(credentials));
    }
    return out;
  }

  async alterUser(user: string, change: (current: UserScramCredentials) => UserScramCredentials): Promise<void> {
    this.replaceUser(user, change(this.byUser.get(user) ?? new Map()));
  }
}
