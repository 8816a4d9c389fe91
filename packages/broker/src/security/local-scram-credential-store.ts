import type { Logger } from '../logger.js';
import type { LocalMetadata } from '../metadata/local-metadata-store.js';
import { scramCredentialsOfConfig, withScramCredentials } from './scram-credential-config.js';
import { InMemoryScramCredentialStore, type UserScramCredentials } from './scram-credential-store.js';

/**
 * Changes the metadata file in the single-node controller's queue (LocalController.updateMetadata):
 * `change` returns the fields to replace; they are saved, and only then kept in memory.
 */
export type MetadataFileUpdate = (
  change: (metadata: Readonly<LocalMetadata>) => Partial<LocalMetadata>,
) => Promise<void>;

/**
 * The SCRAM users of a single-node broker (no ZooKeeper), kept in `samsa-metadata.json` under
 * `scramCredentials`: user → config entries in Kafka's form (see scram-credential-config.ts). The
 * file is the truth and memory a copy of it: loaded at startup, and an alteration is saved (through
 * the controller's queue, so saves never overlap) before memory and logins see it.
 */
export class LocalScramCredentialStore extends InMemoryScramCredentialStore {
  constructor(
    stored: LocalMetadata['scramCredentials'],
    private readonly update: MetadataFileUpdate,
    logger: Logger,
  ) {
    super();
    for (const [user, config] of Object.entries(stored ?? {})) {
      this.replaceUser(
        user,
        scramCredentialsOfConfig(config, (mechanism, err) =>
          logger.error(`ignoring the unreadable ${mechanism} credential of user ${user}: ${err.message}`),
        ),
      );
    }
  }

  override async alterUser(
    user: string,
    change: (current: UserScramCredentials) => UserScramCredentials,
  ): Promise<void> {
    let next: UserScramCredentials = new Map();
    await this.update((metadata) => {
      const users = { ...(metadata.scramCredentials ?? {}) };
      const config = users[user] ?? {};
      // The file, not memory, is what the change starts from: an earlier alteration still in the
      // queue has updated it already.
      next = change(scramCredentialsOfConfig(config, () => undefined));
      const updated = withScramCredentials(config, next);
      if (Object.keys(updated).length === 0) delete users[user];
      else users[user] = updated;
      return { scramCredentials: users };
    });
    this.replaceUser(user, next);
  }
}
