import { type Admin, DEFAULT_SCRAM_ITERATIONS, type UserScramCredentialAlteration } from '@samsa/client';
import { isScramMechanism, SCRAM_MECHANISMS, type ScramMechanismName } from '@samsa/protocol';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';

/**
 * `kafka-configs.sh --entity-type users` (ConfigCommand's user branch, with --bootstrap-server):
 * SCRAM credentials, added with `--add-config 'SCRAM-SHA-256=[iterations=8192,password=secret]'`,
 * removed with `--delete-config SCRAM-SHA-256`, described as Kafka prints them. A user's quotas
 * (producer_byte_rate and the like), the other half of Kafka's user configs, are refused with a
 * clear error until the broker has client quotas.
 */

/** Kafka's QuotaConfig.isClientOrUserQuotaConfig. */
const USER_QUOTA_CONFIGS = new Set([
  'producer_byte_rate',
  'consumer_byte_rate',
  'request_percentage',
  'controller_mutation_rate',
]);

const QUOTAS_NOT_SUPPORTED =
  'User quota configs (producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate) are not supported by Samsa yet; only SCRAM credential configs (SCRAM-SHA-256, SCRAM-SHA-512) can be managed for users';

/** `--describe --entity-type users [--entity-name u]`: one line per user with credentials. */
export async function describeUserConfigs(admin: Admin, name: string | undefined, io: CommandIo): Promise<void> {
  // Kafka describes only quotas for the default user (--entity-default, --user-defaults).
  if (name === '') throw new UsageError(QUOTAS_NOT_SUPPORTED);
  const descriptions = await admin.describeUserScramCredentials(name === undefined ? [] : [name]);
  for (const d of descriptions) {
    const text = d.credentialInfos.map((c) => `${c.mechanism}=iterations=${c.iterations}`).join(', ');
    io.stdout.write(`SCRAM credential configs for user-principal '${d.user}' are ${text}\n`);
  }
}

/** `--alter --entity-type users --entity-name u` with SCRAM `--add-config`/`--delete-config`. */
export async function alterUserConfigs(
  admin: Admin,
  name: string,
  toAdd: ReadonlyMap<string, string>,
  toDelete: readonly string[],
  io: CommandIo,
): Promise<void> {
  // Kafka's messages print Scala collections: the added keys as a Set, the deleted ones as a List.
  const unknownToAdd = [...toAdd.keys()].filter((k) => !isScramMechanism(k) && !USER_QUOTA_CONFIGS.has(k));
  if (unknownToAdd.length > 0) {
    throw new UsageError(
      `Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(${unknownToAdd.join(', ')})`,
    );
  }
  const unknownToDelete = toDelete.filter((k) => !isScramMechanism(k) && !USER_QUOTA_CONFIGS.has(k));
  if (unknownToDelete.length > 0) {
    throw new UsageError(
      `Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: List(${unknownToDelete.join(', ')})`,
    );
  }
  const quotas = [...toAdd.keys(), ...toDelete].some((k) => USER_QUOTA_CONFIGS.has(k));
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
  if (quotas) throw new UsageError(QUOTAS_NOT_SUPPORTED);

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
