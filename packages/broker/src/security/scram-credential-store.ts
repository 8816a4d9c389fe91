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

/** An in-memory store: for unit tests, and the base of the durable stores. */
export class InMemoryScramCredentialStore implements ScramCredentialStore {
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
  replaceUser(user: string, credentials: ReadonlyMap<ScramMechanismName, ScramCredential>): void {
    if (credentials.size === 0) this.byUser.delete(user);
    else this.byUser.set(user, new Map(credentials));
  }

  users(): IterableIterator<[string, ReadonlyMap<ScramMechanismName, ScramCredential>]> {
    return this.byUser.entries();
  }
}
