import {
  formatScramCredential,
  isScramMechanism,
  parseScramCredential,
  SCRAM_MECHANISMS,
  type ScramCredential,
  type ScramMechanismName,
} from '@samsa/protocol';
import type { UserScramCredentials } from './scram-credential-store.js';

/**
 * A user's SCRAM credentials as config entries, the form Kafka stores them in (ScramCredentialUtils):
 * the mechanism name as key, `salt=…,stored_key=…,server_key=…,iterations=…` as value, beside
 * whatever other configs the user has (quotas such as `producer_byte_rate`). ZooKeeper's
 * `/config/users/<user>` and the single-node metadata file both hold this form.
 */

/** The credentials among a user's configs; an unreadable one is reported to `onInvalid` and skipped. */
export function scramCredentialsOfConfig(
  config: Readonly<Record<string, string>>,
  onInvalid: (mechanism: ScramMechanismName, error: Error) => void,
): Map<ScramMechanismName, ScramCredential> {
  const out = new Map<ScramMechanismName, ScramCredential>();
  for (const mechanism of Object.keys(SCRAM_MECHANISMS) as ScramMechanismName[]) {
    const text = config[mechanism];
    if (text === undefined) continue;
    try {
      out.set(mechanism, parseScramCredential(text));
    } catch (err) {
      onInvalid(mechanism, err as Error);
    }
  }
  return out;
}

/** `config` with its SCRAM entries replaced by `credentials`; other entries are kept. */
export function withScramCredentials(
  config: Readonly<Record<string, string>>,
  credentials: UserScramCredentials,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (!isScramMechanism(key)) out[key] = value;
  for (const mechanism of Object.keys(SCRAM_MECHANISMS) as ScramMechanismName[]) {
    const credential = credentials.get(mechanism);
    if (credential !== undefined) out[mechanism] = formatScramCredential(credential);
  }
  return out;
}
