import { type AclOperationName, type AclPatternTypeName, type AclResourceTypeName, pascalCase } from '@samsa/protocol';
import type { ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import { type EntryText, entryKey, type PatternText, patternKey } from './acl-text.js';

/**
 * What kafka-acls.sh's options ask for, resource filter by resource filter (Kafka's AclCommand
 * getResourceFilter / getResourceFilterToAcls / getResourceToAcls).
 */
export interface FilterAcls {
  readonly filter: PatternText;
  readonly entries: EntryText[];
}

export const CLUSTER_FILTER: PatternText = { resourceType: 'CLUSTER', name: 'kafka-cluster', patternType: 'LITERAL' };

const OPERATIONS: readonly AclOperationName[] = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
];

/** The operations each resource type has (Kafka 3.x's AclEntry.supportedOperations), ALL aside. */
const SUPPORTED_OPERATIONS: Readonly<Partial<Record<AclResourceTypeName, readonly AclOperationName[]>>> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  GROUP: ['READ', 'DESCRIBE', 'DELETE'],
  CLUSTER: ['CREATE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'ALTER', 'DESCRIBE'],
  TRANSACTIONAL_ID: ['DESCRIBE', 'WRITE'],
  DELEGATION_TOKEN: ['DESCRIBE'],
  USER: ['CREATE_TOKENS', 'DESCRIBE_TOKENS'],
};

/** `--resource-pattern-type`, case-insensitive as joptsimple's EnumConverter (default LITERAL). */
export function patternTypeOption(options: ParsedOptions): AclPatternTypeName {
  const raw = options.value('resource-pattern-type') ?? 'LITERAL';
  const value = raw.toUpperCase();
  if (value === 'UNKNOWN') throw new UsageError(`Unknown resource-pattern-type: ${raw}`);
  const known = (['ANY', 'MATCH', 'LITERAL', 'PREFIXED'] as const).find((name) => name === value);
  if (known === undefined) throw new UsageError(`Cannot parse argument '${raw}' of option resource-pattern-type`);
  return known;
}

/** Kafka's SecurityUtils.operation: the Pascal-case or the enum name exactly, else UNKNOWN. */
function operationOf(text: string): AclOperationName {
  return OPERATIONS.find((name) => name === text || pascalCase(name) === text) ?? 'UNKNOWN';
}

/** Kafka's SecurityUtils.parseKafkaPrincipal, back to text (`User:alice`). */
export function parsePrincipalOption(text: string): string {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) throw new Error(`expected a string in format principalType:principalName but got ${trimmed}`);
  return trimmed;
}

function principals(options: ParsedOptions, name: string): string[] {
  return unique(
    options
      .values(name)
      .filter((v) => v !== '')
      .map(parsePrincipalOption),
  );
}

/** `--allow-host`/`--deny-host` values, or `*` when principals are given without hosts. */
function hosts(options: ParsedOptions, hostOption: string, principalOption: string): string[] {
  if (options.has(hostOption)) return unique(options.values(hostOption).map((h) => h.trim()));
  return options.has(principalOption) ? ['*'] : [];
}

/** Kafka's getAcl: every allowed principal × operation × host, then every denied one. */
function entriesFor(options: ParsedOptions, operations: readonly AclOperationName[]): EntryText[] {
  const entries: EntryText[] = [];
  for (const [permissionType, principalOption, hostOption] of [
    ['ALLOW', 'allow-principal', 'allow-host'],
    ['DENY', 'deny-principal', 'deny-host'],
  ] as const) {
    const who = principals(options, principalOption);
    const where = hosts(options, hostOption, principalOption);
    for (const principal of who) {
      for (const operation of operations) {
        for (const host of where) entries.push({ principal, host, operation, permissionType });
      }
    }
  }
  return uniqueBy(entries, entryKey);
}

/** Kafka's getResourceFilter: the resources named on the command line, with the pattern type. */
export function resourceFilters(options: ParsedOptions, dieIfNoResourceFound = true): PatternText[] {
  const patternType = patternTypeOption(options);
  const filters: PatternText[] = [];
  const add = (resourceType: AclResourceTypeName, names: readonly string[], trim = true) => {
    for (const name of names) filters.push({ resourceType, name: trim ? name.trim() : name, patternType });
  };
  add('TOPIC', options.values('topic'));
  if (patternType === 'LITERAL' && (options.has('cluster') || options.has('idempotent'))) filters.push(CLUSTER_FILTER);
  add('GROUP', options.values('group'));
  add('TRANSACTIONAL_ID', options.values('transactional-id'), false);
  add('DELEGATION_TOKEN', options.values('delegation-token'));
  add('USER', options.values('user-principal'));
  if (filters.length === 0 && dieIfNoResourceFound) {
    throw new UsageError(
      'You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>',
    );
  }
  return uniqueBy(filters, patternKey);
}

/**
 * Kafka's getResourceFilterToAcls: the entries for each resource filter, from `--operation` and
 * the principals — or, with `--producer` / `--consumer`, the operations those roles need.
 */
export function filterToAcls(options: ParsedOptions): FilterAcls[] {
  const plan = new Map<string, FilterAcls>();
  const put = (filter: PatternText, entries: readonly EntryText[], merge = false) => {
    const key = patternKey(filter);
    const existing = merge ? (plan.get(key)?.entries ?? []) : [];
    plan.set(key, { filter, entries: uniqueBy([...entries, ...existing], entryKey) });
  };
  const producer = options.has('producer');
  const consumer = options.has('consumer');
  if (!producer && !consumer) {
    const given = options.values('operation');
    const operations = [...new Set((given.length > 0 ? given : ['All']).map((o) => operationOf(o.trim())))];
    const entries = entriesFor(options, operations);
    for (const filter of resourceFilters(options)) put(filter, entries);
  }
  if (producer) {
    const filters = resourceFilters(options);
    for (const f of filters.filter((x) => x.resourceType === 'TOPIC')) {
      put(f, entriesFor(options, ['WRITE', 'DESCRIBE', 'CREATE']));
    }
    for (const f of filters.filter((x) => x.resourceType === 'TRANSACTIONAL_ID')) {
      put(f, entriesFor(options, ['WRITE', 'DESCRIBE']));
    }
    if (options.has('idempotent')) put(CLUSTER_FILTER, entriesFor(options, ['IDEMPOTENT_WRITE']));
  }
  if (consumer) {
    const filters = resourceFilters(options);
    for (const f of filters.filter((x) => x.resourceType === 'TOPIC')) {
      put(f, entriesFor(options, ['READ', 'DESCRIBE']), true);
    }
    for (const f of filters.filter((x) => x.resourceType === 'GROUP')) put(f, entriesFor(options, ['READ']), true);
  }
  for (const { filter, entries } of plan.values()) validateOperations(filter, entries);
  return [...plan.values()];
}

/** Kafka's validateOperation: each resource type takes only its operations and ALL. */
function validateOperations(filter: PatternText, entries: readonly EntryText[]): void {
  const valid: AclOperationName[] = [...(SUPPORTED_OPERATIONS[filter.resourceType] ?? []), 'ALL'];
  if (entries.some((e) => !valid.includes(e.operation))) {
    throw new UsageError(
      `ResourceType ${filter.resourceType} only supports operations ${valid.map(pascalCase).join(', ')}`,
    );
  }
}

/** Kafka's getResourceToAcls (for --add): specific patterns, each with at least one entry. */
export function resourceToAcls(options: ParsedOptions): FilterAcls[] {
  const patternType = patternTypeOption(options);
  if (patternType !== 'LITERAL' && patternType !== 'PREFIXED') {
    throw new UsageError(`A '--resource-pattern-type' value of '${patternType}' is not valid when adding acls.`);
  }
  const plan = filterToAcls(options);
  if (plan.some((p) => p.entries.length === 0)) {
    throw new UsageError('You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.');
  }
  return plan;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
}
