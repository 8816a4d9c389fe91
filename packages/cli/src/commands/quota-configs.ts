import {
  type Admin,
  type ClientQuotaEntity,
  type ClientQuotaEntry,
  type ClientQuotaFilterComponent,
  type ClientQuotaOp,
  ErrorCode,
  KafkaError,
} from '@samsa/client';
import { isScramMechanism } from '@samsa/protocol';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { javaDouble } from '../support/java-format.js';
import { javaHashMapOrder, javaStringHash } from '../support/java-hash-map.js';

/**
 * `kafka-configs.sh` client quotas (KIP-546; ConfigCommand with --bootstrap-server): the quotas of
 * users, client ids and a user's client ids, their defaults included, altered with
 * AlterClientQuotas and described with DescribeClientQuotas. `types` and `names` are Kafka's
 * entityTypes and entityNames: `users`/`clients` (both, in either order), and the names given in
 * command-line order, '' for a default; a type without a name matches every entity of the type.
 * A user's SCRAM credentials, the other half of a user's configs, are in user-configs.ts.
 */

/** Kafka's QuotaConfigs.isClientOrUserQuotaConfig (Samsa's broker refuses controller_mutation_rate). */
export const CLIENT_QUOTA_CONFIGS: ReadonlySet<string> = new Set([
  'producer_byte_rate',
  'consumer_byte_rate',
  'request_percentage',
  'controller_mutation_rate',
]);

/** The quota APIs' name of each of kafka-configs.sh's quota entity types. */
const API_ENTITY_TYPE = { users: 'user', clients: 'client-id' } as const;
type QuotaEntityType = keyof typeof API_ENTITY_TYPE;

export function isQuotaEntityType(type: string): type is QuotaEntityType {
  return type === 'users' || type === 'clients';
}

function apiEntityType(type: string): 'user' | 'client-id' {
  if (!isQuotaEntityType(type)) throw new UsageError(`Unexpected entity type ${type}`);
  return API_ENTITY_TYPE[type];
}

/** Kafka's checks before `--alter` of users or clients: a name or default for each type. */
export function checkQuotaAlterNames(types: readonly string[], names: readonly string[]): void {
  if (names.length === 0) {
    throw new UsageError(
      'an entity-name or default entity must be specified with --alter of users, clients, brokers or ips',
    );
  }
  if (types.length !== names.length) throw new UsageError('An entity name must be specified for every entity type');
}

/** Kafka's getAllClientQuotasConfigs filter: names pair with types by position ('' default, none any). */
function filterComponents(types: readonly string[], names: readonly string[]): ClientQuotaFilterComponent[] {
  if (names.length > types.length) throw new UsageError('More entity names specified than entity types');
  return types.map((type, i) => {
    const name = names[i];
    const entityType = apiEntityType(type);
    return name === undefined ? { entityType } : { entityType, match: name === '' ? null : name };
  });
}

/** Kafka's describe with `ClientQuotaFilter.containsOnly`: entities with exactly these parts. */
function quotasOf(admin: Admin, types: readonly string[], names: readonly string[]): Promise<ClientQuotaEntry[]> {
  return admin.describeClientQuotas({ components: filterComponents(types, names), strict: true });
}

/** Java's ClientQuotaEntity.hashCode: `Objects.hash(entries)` of its type → name map. */
function entityHash(entity: ClientQuotaEntity): number {
  let sum = 0;
  for (const [type, name] of [
    ['user', entity.user],
    ['client-id', entity.clientId],
    ['ip', entity.ip],
  ] as const) {
    if (name !== undefined) sum = (sum + (javaStringHash(type) ^ (name === null ? 0 : javaStringHash(name)))) | 0;
  }
  return (31 + sum) | 0;
}

/** Kafka's entity text: `user-principal 'alice', client-id 'app'`, `the default user-principal`. */
function entityText(entity: ClientQuotaEntity): string {
  const part = (label: string, name: string | null) => (name === null ? `the default ${label}` : `${label} '${name}'`);
  const parts: string[] = [];
  if (entity.user !== undefined) parts.push(part('user-principal', entity.user));
  if (entity.clientId !== undefined) parts.push(part('client-id', entity.clientId));
  if (entity.ip !== undefined) parts.push(part('ip', entity.ip));
  return parts.join(', ');
}

/**
 * Kafka's describeQuotaConfigs lines: `Quota configs for user-principal 'alice' are
 * consumer_byte_rate=2048.0, producer_byte_rate=1024.0`, one per entity. Java's admin client
 * hands the tool HashMaps (of entities, and of each entity's values) built in the broker's order,
 * which it prints as they iterate: so does this, and the values as Java doubles.
 */
export function quotaConfigLines(entries: readonly ClientQuotaEntry[]): string[] {
  return javaHashMapOrder(entries, (e) => entityHash(e.entity)).map(({ entity, values }) => {
    const pairs = javaHashMapOrder(Object.entries(values), ([key]) => javaStringHash(key));
    const text = pairs.map(([key, value]) => `${key}=${javaDouble(value)}`).join(', ');
    return `Quota configs for ${entityText(entity)} are ${text}`;
  });
}

/** `--describe` of users, clients or both: the quotas of the entities with exactly the parts named. */
export async function describeQuotaConfigs(
  admin: Admin,
  types: readonly string[],
  names: readonly string[],
  io: CommandIo,
): Promise<void> {
  for (const line of quotaConfigLines(await quotasOf(admin, types, names))) io.stdout.write(`${line}\n`);
}

/** Java's Double.parseDouble for decimal text (`1024`, ` 1e3 `, `200d`, `Infinity`); no hex floats. */
function parseJavaDouble(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/.test(trimmed)) return undefined;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/**
 * Kafka's alterQuotaConfigs: refuses to delete a key the entity does not have ("Invalid
 * config(s)"), then sets and removes the keys in one AlterClientQuotas; the broker's refusal (an
 * unknown key, a bad value) is the command's error.
 */
export async function alterQuotaConfigs(
  admin: Admin,
  types: readonly string[],
  names: readonly string[],
  toAdd: ReadonlyMap<string, string>,
  toDelete: readonly string[],
): Promise<void> {
  if (types.length !== names.length) {
    throw new UsageError('Exactly one entity name must be specified for every entity type');
  }
  const current = (await quotasOf(admin, types, names))[0]?.values ?? {};
  const invalid = toDelete.filter((key) => !Object.hasOwn(current, key));
  if (invalid.length > 0) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid config(s): ${invalid.join(',')}`);
  const entity: { user?: string | null; clientId?: string | null } = {};
  types.forEach((type, i) => {
    const name = names[i] === '' ? null : (names[i] as string);
    if (apiEntityType(type) === 'user') entity.user = name;
    else entity.clientId = name;
  });
  const ops: ClientQuotaOp[] = [
    ...[...toAdd].map(([key, text]) => {
      const value = parseJavaDouble(text);
      if (value === undefined) throw new UsageError(`Cannot parse quota configuration value for ${key}: ${text}`);
      return { key, value };
    }),
    ...toDelete.map((key) => ({ key, value: null })),
  ];
  for (const result of await admin.alterClientQuotas([{ entity, ops }])) {
    if (result.error !== null) throw result.error;
  }
}

/**
 * `--alter` of a client id, or of a user's client id: quota keys only (Kafka's messages print the
 * Scala collections, added keys as a Set and deleted ones as a List). A user alone goes to
 * user-configs.ts, where SCRAM credentials are too.
 */
export async function alterClientQuotaConfigs(
  admin: Admin,
  types: readonly string[],
  names: readonly string[],
  toAdd: ReadonlyMap<string, string>,
  toDelete: readonly string[],
  io: CommandIo,
): Promise<void> {
  const addedKeys = [...toAdd.keys()];
  const unexpectedToAdd = [
    ...addedKeys.filter((k) => !isScramMechanism(k) && !CLIENT_QUOTA_CONFIGS.has(k)),
    ...addedKeys.filter((k) => isScramMechanism(k)),
  ];
  if (unexpectedToAdd.length > 0) {
    throw new UsageError(
      `Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: Set(${unexpectedToAdd.join(', ')})`,
    );
  }
  const unexpectedToDelete = [
    ...toDelete.filter((k) => !isScramMechanism(k) && !CLIENT_QUOTA_CONFIGS.has(k)),
    ...toDelete.filter((k) => isScramMechanism(k)),
  ];
  if (unexpectedToDelete.length > 0) {
    throw new UsageError(
      `Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: List(${unexpectedToDelete.join(', ')})`,
    );
  }
  await alterQuotaConfigs(admin, types, names, toAdd, toDelete);
  io.stdout.write(completedMessage(types[0] as string, names[0] as string));
}

/** Kafka's last line of `--alter`, naming the first entity type and name given. */
export function completedMessage(type: string, name: string): string {
  return name === ''
    ? `Completed updating default config for ${type} in the cluster.\n`
    : `Completed updating config for ${type.slice(0, -1)} ${name}.\n`;
}
