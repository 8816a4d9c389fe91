import { type Admin, DEFAULT_SCRAM_ITERATIONS, type UserScramCredentialAlteration } from '@samsa/client';
import { isScramMechanism, SCRAM_MECHANISMS, type ScramMechanismName } from '@samsa/protocol';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { alterQuotaConfigs, CLIENT_QUOTA_CONFIGS, completedMessage } from './quota-configs.js';

/**
 * `kafka-configs.sh --entity-type users` (ConfigCommand's user branch, with --bootstrap-server):
 * SCRAM credentials, added with `--add-config 'SCRAM-SHA-256=[iterations=8192,password=secret]'`,
 * removed with `--delete-config SCRAM-SHA-256`, described as Kafka prints them. A user's quotas
 * (producer_byte_rate and the like), the other half of Kafka's user configs, go to
 * quota-configs.ts; one command alters one or the other, never both.
 */

/**
 * `--describe --entity-type users [--entity-name u]`: one line per user with credentials, printed
 * after the users' quotas. Never for the default user, which has quotas only.
 */
export async function describeUserConfigs(admin: Admin, name: string | undefined, io: CommandIo): Promise<void> {
  const descriptions = await admin.describeUserScramCredentials(name === undefined ? [] : [name]);
  for (const d of descriptions) {
    const text = d.credentialInfos.map((c) => `${c.mechanism}=iterations=${c.iterations}`).join(', ');
    io.stdout.write(`SCRAM credential configs for user-principal '${d.user}' are ${text}\n`);
  }
}

/**
 * `--alter --entity-type users --entity-name u` (or `--entity-default`) with SCRAM or quota
 * `--add-config`/`--delete-config`.
 */
export async function alterUserConfigs(
  admin: Admin,
  name: string,
  toAdd: ReadonlyMap<string, string>,
  toDelete: readonly string[],
  io: CommandIo,
): Promise<void> {
  // Kafka's messages print Scala collections: the added keys as a Set, the deleted ones as a List.
  const unknownToAdd = [...toAdd.keys()].filter((k) => !isScramMechanism(k) && !CLIENT_QUOTA_CONFIGS.has(k));
  if (unknownToAdd.length > 0) {
    throw new UsageError(
      `Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(${unknownToAdd.join(', ')})`,
    );
  }
  const unknownToDelete = toDelete.filter((k) => !isScramMechanism(k) && !CLIENT_QUOTA_CONFIGS.has(k));
  if (unknownToDelete.length > 0) {
    throw new UsageError(
      `Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: List(${unknownToDelete.join(', ')})`,
    );
  }
  const quotas = [...toAdd.keys(), ...toDelete].some((k) => CLIENT_QUOTA_CONFIGS.has(k));
  const scram = [...toAdd.keys(), ...toDelete].some((k) => isScramMechanism(k));
  if (scram && name === '') {
    throw new UsageError(
      'The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.',
    );
  }
  if (scram && quotas) {
    throw new UsageError(
      "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.",
    );
  }
  if (quotas) {
    await alterQuotaConfigs(admin, ['users'], [name], toAdd, toDelete);
    io.stdout.write(completedMessage('users', name));
    return;
  }

  const alterations: UserScramCredentialAlteration[] = [
    ...toDelete.map((mechanism) => ({ user: name, mechanism: mechanism as ScramMechanismName })),
    ...[...toAdd].map(([mechanism, value]) => ({
      user: name,
      mechanism: mechanism as ScramMechanismName,
      ...iterationsAndPassword(mechanism as ScramMechanismName, value),
    })),
  ];
  // One user, so one result: its error is the command's.
  for (const result of await admin.alterUserScramCredentials(alterations)) {
    if (result.error !== null) throw result.error;
  }
  io.stdout.write(`Completed updating config for user ${name}.\n`);
}

/**
 * A credential's `[iterations=N,]password=P` (Kafka's pattern, iterations first; -1 or none means
 * 4096). The count must be at least the mechanism's minimum; the broker checks the maximum.
 */
export function iterationsAndPassword(
  mechanism: ScramMechanismName,
  value: string,
): { iterations: number; password: string } {
  const match = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/s.exec(value);
  if (match === null) {
    // Kafka names the mechanism by its Java enum constant here (SCRAM_SHA_256).
    throw new UsageError(`Invalid credential property ${mechanism.replace(/-/g, '_')}=${value}`);
  }
  const [, iterationsText, password = ''] = match;
  let iterations = DEFAULT_SCRAM_ITERATIONS;
  if (iterationsText !== undefined && iterationsText !== '-1') {
    if (!/^-?[0-9]+$/.test(iterationsText)) throw new UsageError(`For input string: "${iterationsText}"`);
    iterations = Number(iterationsText);
  }
  const minimum = SCRAM_MECHANISMS[mechanism].minIterations;
  if (iterations < minimum) {
    throw new UsageError(`Iterations ${iterations} is less than the minimum ${minimum} required for ${mechanism}`);
  }
  return { iterations, password };
}
