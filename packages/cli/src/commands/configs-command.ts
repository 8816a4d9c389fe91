import {
  type Admin,
  type AlterConfigOp,
  type ConfigEntry,
  type ConfigSource,
  ErrorCode,
  KafkaError,
} from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { loadProps } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import type { Tool } from '../support/tool.js';
import {
  alterClientQuotaConfigs,
  checkQuotaAlterNames,
  describeQuotaConfigs,
  isQuotaEntityType,
} from './quota-configs.js';
import { alterUserConfigs, describeUserConfigs } from './user-configs.js';

const ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'broker-loggers', 'ips', 'client-metrics', 'groups'];
/** What Samsa's broker serves today: topic and broker configs, users' SCRAM credentials, client quotas. */
const SUPPORTED = new Set(['topics', 'brokers', 'users', 'clients', 'groups']);

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'The Kafka servers to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  {
    name: 'bootstrap-controller',
    description: 'The Kafka controllers to connect to.',
    arg: 'required',
    argName: 'controller to connect to',
  },
  {
    name: 'command-config',
    description:
      'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.',
    arg: 'required',
    argName: 'command config property file',
  },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'all', description: 'List all configs for the given entity, including static configs if available.' },
  {
    name: 'entity-type',
    description: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups)',
    arg: 'required',
    argName: 'entity-type',
  },
  {
    name: 'entity-name',
    description: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics/group id)',
    arg: 'required',
    argName: 'entity-name',
  },
  {
    name: 'entity-default',
    description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type)',
  },
  {
    name: 'add-config',
    description:
      "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.",
    arg: 'required',
    argName: 'add-config',
  },
  {
    name: 'add-config-file',
    description: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.',
    arg: 'required',
    argName: 'add-config-file',
  },
  { name: 'delete-config', description: "config keys to remove 'k1,k2'", arg: 'required', argName: 'delete-config' },
  { name: 'topic', description: "The topic's name.", arg: 'required', argName: 'topic' },
  { name: 'client', description: "The client's ID.", arg: 'required', argName: 'client' },
  { name: 'client-defaults', description: 'The config defaults for all clients.' },
  { name: 'user', description: "The user's principal name.", arg: 'required', argName: 'user' },
  { name: 'user-defaults', description: 'The config defaults for all users.' },
  { name: 'broker', description: "The broker's ID.", arg: 'required', argName: 'broker' },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
  {
    name: 'broker-logger',
    description: "The broker's ID for its logger config.",
    arg: 'required',
    argName: 'broker-logger',
  },
  { name: 'ip', description: 'The IP address.', arg: 'required', argName: 'ip' },
  { name: 'ip-defaults', description: 'The config defaults for all IPs.' },
  { name: 'group', description: "The group's ID.", arg: 'required', argName: 'group' },
  {
    name: 'client-metrics',
    description: 'The client metrics config resource name.',
    arg: 'required',
    argName: 'client-metrics',
  },
];

const ENTITY_FLAGS: readonly [string, string][] = [
  ['topic', 'topics'],
  ['client', 'clients'],
  ['user', 'users'],
  ['broker', 'brokers'],
  ['broker-logger', 'broker-loggers'],
  ['ip', 'ips'],
  ['group', 'groups'],
  ['client-metrics', 'client-metrics'],
];
const DEFAULT_FLAGS: readonly [string, string][] = [
  ['client-defaults', 'clients'],
  ['user-defaults', 'users'],
  ['broker-defaults', 'brokers'],
  ['ip-defaults', 'ips'],
];

/**
 * Kafka's `--add-config` syntax: comma-separated `k=v` pairs where `[...]` groups a value that
 * contains commas (`k2=[a,b]` sets `a,b`).
 */
export function parseAddConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const pairs: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      pairs.push(current);
      current = '';
    } else current += c;
  }
  pairs.push(current);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0)
      throw new UsageError(
        'requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".',
      );
    const key = pair.slice(0, eq).trim();
    if (!/^[a-zA-Z0-9._-]*$/.test(key)) throw new UsageError(`Invalid character found for config key: ${key}`);
    out.set(
      key,
      pair
        .slice(eq + 1)
        .replace(/[[\]]/g, '')
        .trim(),
    );
  }
  return out;
}

/** `  name=value sensitive=false synonyms={SOURCE:name=value, ...}`, Kafka's describe line. */
export function formatConfigEntry(entry: ConfigEntry): string {
  const synonyms = entry.synonyms.map((s) => `${s.source}:${s.name}=${s.value ?? 'null'}`).join(', ');
  return `  ${entry.name}=${entry.value ?? 'null'} sensitive=${entry.isSensitive} synonyms={${synonyms}}`;
}

interface Entity {
  /** The first type given. */
  readonly type: string;
  /** The first name given; '' for the cluster-wide default. */
  readonly name: string | undefined;
  /**
   * Kafka's entityTypes and entityNames: more than one only for `users` with `clients` (client
   * quotas), the names in command-line order, each paired with the type at its position.
   */
  readonly types: readonly string[];
  readonly names: readonly string[];
}

function entityOf(options: ParsedOptions): Entity {
  const types = [
    ...options.values('entity-type'),
    ...[...ENTITY_FLAGS, ...DEFAULT_FLAGS].filter(([f]) => options.has(f)).map(([, t]) => t),
  ];
  // Kafka takes --entity-name and --entity-default in the order given, whatever types they follow.
  const entityNames = options.values('entity-name');
  let nextName = 0;
  const names = [
    ...options
      .occurrences()
      .flatMap((o) => (o === 'entity-name' ? [entityNames[nextName++] as string] : o === 'entity-default' ? [''] : [])),
    ...ENTITY_FLAGS.filter(([f]) => options.has(f)).map(([f]) => options.value(f) as string),
    ...DEFAULT_FLAGS.filter(([f]) => options.has(f)).map(() => ''),
  ];
  if (
    ['entity-type', 'entity-name', 'entity-default'].some((o) => options.has(o)) &&
    [...ENTITY_FLAGS, ...DEFAULT_FLAGS].some(([f]) => options.has(f))
  ) {
    throw new UsageError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const duplicates = types.filter((t, i) => types.indexOf(t) !== i);
  if (duplicates.length > 0) throw new UsageError(`Duplicate entity type(s) specified: ${duplicates.join(',')}`);
  for (const t of types) {
    if (!ENTITY_TYPES.includes(t)) {
      throw new UsageError(
        `Invalid entity type ${t}, the entity type must be one of ${ENTITY_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`,
      );
    }
  }
  if (types.length === 0) throw new UsageError('At least one entity type must be specified');
  if (types.length > 1 && !(types.length === 2 && types.every(isQuotaEntityType))) {
    throw new UsageError(`Only 'users' and 'clients' entity types may be specified together`);
  }
  const type = types[0] as string;
  if (!SUPPORTED.has(type))
    throw new UsageError(
      `Entity type ${type} is not supported by Samsa yet (supported: topics, brokers, users, clients, groups)`,
    );
  // Users and clients check their names per use (quota-configs.ts), as Kafka does.
  if (names.length > 1 && !isQuotaEntityType(type))
    throw new UsageError('Exactly one entity name must be specified for every entity type');
  const name = names[0];
  if (type === 'brokers' && name !== undefined && name !== '' && !/^\d+$/.test(name)) {
    throw new UsageError(`The entity name for ${type} must be a valid integer broker id, but it is: ${name}`);
  }
  return { type, name, types, names };
}

function checkArgs(options: ParsedOptions): void {
  const actions = ['describe', 'alter'].filter((a) => options.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  if (options.has('bootstrap-controller'))
    throw new UsageError('--bootstrap-controller is not supported by Samsa: use --bootstrap-server');
  if (!options.has('bootstrap-server')) {
    throw new UsageError(
      'One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified',
    );
  }
  if (
    options.has('describe') &&
    (options.has('add-config') || options.has('add-config-file') || options.has('delete-config'))
  ) {
    throw new UsageError('Option "[describe]" can\'t be used with option "[add-config]"');
  }
}

/** The admin API's resource for an entity of `kafka-configs.sh` (topics, groups, brokers). */
function configResource(type: string, name: string): { type: 'topic' | 'group' | 'broker'; name: string } {
  if (type === 'topics') return { type: 'topic', name };
  if (type === 'groups') return { type: 'group', name };
  return { type: 'broker', name };
}

/** Kafka's getResourceConfig: the entity's entries, dynamic ones only unless --all, sorted by name. */
async function resourceConfig(admin: Admin, type: string, name: string, all: boolean): Promise<ConfigEntry[]> {
  const resource = configResource(type, name);
  const [description] = await admin.describeConfigs([resource], { includeSynonyms: true });
  const source: ConfigSource =
    type === 'topics'
      ? 'DYNAMIC_TOPIC_CONFIG'
      : type === 'groups'
        ? 'GROUP_CONFIG'
        : name === ''
          ? 'DYNAMIC_DEFAULT_BROKER_CONFIG'
          : 'DYNAMIC_BROKER_CONFIG';
  return [...(description?.configs ?? [])]
    .filter((e) => all || e.source === source)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function describe(admin: Admin, entity: Entity, options: ParsedOptions, io: CommandIo): Promise<void> {
  if (isQuotaEntityType(entity.type)) {
    // Kafka's describeClientQuotaAndUserScramCredentialConfigs: quotas, then the SCRAM
    // credentials of users alone, never of a default user.
    await describeQuotaConfigs(admin, entity.types, entity.names, io);
    if (!entity.types.includes('clients') && !entity.names.includes('')) {
      await describeUserConfigs(admin, entity.name, io);
    }
    return;
  }
  const all = options.has('all');
  let names: string[];
  if (entity.name !== undefined) names = [entity.name];
  else if (entity.type === 'topics') names = await admin.listTopics({ listInternal: true });
  else if (entity.type === 'groups') names = (await admin.listGroups()).map((g) => g.groupId).sort();
  else names = [...(await admin.describeCluster()).brokers.map((b) => String(b.nodeId)), ''];
  for (const name of names) {
    if (name === '') io.stdout.write(`Default configs for ${entity.type} in the cluster are:\n`);
    else io.stdout.write(`${all ? 'All' : 'Dynamic'} configs for ${entity.type.slice(0, -1)} ${name} are:\n`);
    const entries = await resourceConfig(admin, entity.type, name, all);
    io.stdout.write(entries.map((e) => `${formatConfigEntry(e)}\n`).join(''));
  }
}

async function alter(admin: Admin, entity: Entity, options: ParsedOptions, io: CommandIo): Promise<void> {
  if (isQuotaEntityType(entity.type)) checkQuotaAlterNames(entity.types, entity.names);
  if (entity.name === undefined)
    throw new UsageError('--entity-name or --entity-default must be specified with each --entity-type for --alter');
  if ((entity.type === 'topics' || entity.type === 'groups') && entity.name === '')
    throw new UsageError(`--entity-default must not be specified with --alter of ${entity.type}`);
  const toAdd = new Map<string, string>();
  const file = options.value('add-config-file');
  if (file !== undefined) for (const [k, v] of loadProps(file)) toAdd.set(k, v);
  const text = options.value('add-config');
  if (text !== undefined) for (const [k, v] of parseAddConfig(text)) toAdd.set(k, v);
  const toDelete = options
    .values('delete-config')
    .flatMap((v) => v.split(','))
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (entity.types.includes('clients')) {
    return alterClientQuotaConfigs(admin, entity.types, entity.names, toAdd, toDelete, io);
  }
  if (entity.type === 'users') return alterUserConfigs(admin, entity.name, toAdd, toDelete, io);
  const current = new Set((await resourceConfig(admin, entity.type, entity.name, false)).map((e) => e.name));
  const invalid = toDelete.filter((k) => !current.has(k));
  if (invalid.length > 0) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid config(s): ${invalid.join(',')}`);
  const ops: AlterConfigOp[] = [
    ...[...toAdd].map(([name, value]) => ({ name, op: 'set' as const, value })),
    ...toDelete.map((name) => ({ name, op: 'delete' as const, value: '' })),
  ];
  await admin.incrementalAlterConfigs([{ ...configResource(entity.type, entity.name), ops }]);
  if (entity.name !== '')
    io.stdout.write(`Completed updating config for ${entity.type.slice(0, -1)} ${entity.name}.\n`);
  else io.stdout.write(`Completed updating default config for ${entity.type} in the cluster.\n`);
}

/**
 * `kafka-configs.sh` for topics, brokers and groups (`--describe [--all]`, `--alter --add-config/--delete-config`)
 * and users' SCRAM credentials (user-configs.ts), client quotas of users and clients (quota-configs.ts).
 */
export const configsTool: Tool = {
  name: 'configs',
  script: 'kafka-configs.sh',
  purpose:
    'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group',
  specs,
  errorPrefix: 'Error while executing config command: ',
  async run(options, io) {
    checkArgs(options);
    const entity = entityOf(options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      if (options.has('describe')) await describe(admin, entity, options, io);
      else await alter(admin, entity, options, io);
      return 0;
    } finally {
      await admin.close();
    }
  },
};
