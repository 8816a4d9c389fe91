import { createInterface } from 'node:readline';
import { type AclBindingDescription, type AclBindingFilter, type Admin, KafkaError } from '@samsa/client';
import { AclOperation, AclPatternType, AclPermissionType, AclResourceType } from '@samsa/protocol';
import type { ParsedOptions } from '../../options/option-parser.js';
import { connectAdmin } from '../../support/admin-client.js';
import { CommandError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';
import { javaThrowableText } from '../../support/java-exception.js';
import type { Tool } from '../../support/tool.js';
import { type FilterAcls, filterToAcls, parsePrincipalOption, resourceFilters, resourceToAcls } from './acl-plan.js';
import {
  type EntryText,
  entriesText,
  entryKey,
  type PatternText,
  patternKey,
  patternOf,
  patternText,
} from './acl-text.js';
import { ACLS_SPECS, checkAclArgs } from './acls-options.js';

const ERROR_PREFIX = 'Error while executing ACL command: ';

/**
 * `kafka-acls.sh` (Kafka's AclCommand, through the admin client): `--add`, `--remove` (asking
 * first unless `--force`) and `--list` ACLs of topics, groups, the cluster, transactional ids,
 * delegation tokens and users, with `--producer` / `--consumer` shortcuts. Prints what Kafka 3.9
 * prints; like Kafka 3.9 it does not list the ACLs again after adding or removing.
 */
export const aclsTool: Tool = {
  name: 'acls',
  script: 'kafka-acls.sh',
  purpose: 'This tool helps to manage acls on kafka.',
  specs: ACLS_SPECS,
  errorPrefix: ERROR_PREFIX,
  async run(options, io) {
    checkAclArgs(options);
    // As Kafka, what --add asks for is checked before connecting.
    const toAdd = options.has('add') ? resourceToAcls(options) : [];
    const commandConfig = options.value('command-config');
    const admin = await connectAdmin(
      options.value('bootstrap-server') ?? options.value('bootstrap-controller'),
      commandConfig === '' ? undefined : commandConfig,
      io,
    );
    try {
      if (options.has('add')) await addAcls(admin, toAdd, io);
      else if (options.has('remove')) await removeAcls(admin, options, io);
      else await listAcls(admin, options, io);
      return 0;
    } catch (error) {
      // Java's ExecutionException message: the cause's `toString()`.
      if (error instanceof KafkaError) throw new CommandError(`${ERROR_PREFIX}${javaThrowableText(error)}`);
      throw error;
    } finally {
      await admin.close();
    }
  },
};

async function addAcls(admin: Admin, plan: readonly FilterAcls[], io: CommandIo): Promise<void> {
  for (const { filter, entries } of plan) {
    io.stdout.write(`Adding ACLs for resource \`${patternText(filter)}\`:${entriesText(entries)}\n`);
    await admin.createAcls(
      entries.map((e) => ({
        resourceType: AclResourceType[filter.resourceType],
        resourceName: filter.name ?? '',
        patternType: AclPatternType[filter.patternType],
        ...entryCodes(e),
      })),
    );
  }
}

async function removeAcls(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const answers = new AnswerReader(io);
  try {
    for (const { filter, entries } of filterToAcls(options)) {
      const question =
        entries.length === 0
          ? `Are you sure you want to delete all ACLs for resource filter \`${patternText(filter)}\`? (y/n)`
          : `Are you sure you want to remove ACLs:${entriesText(entries)} from resource filter \`${patternText(filter)}\`? (y/n)`;
      if (!options.has('force')) {
        io.stdout.write(`${question}\n`);
        if ((await answers.next())?.trim().toLowerCase() !== 'y') continue;
      }
      const filters: AclBindingFilter[] =
        entries.length === 0
          ? [patternFilter(filter)]
          : entries.map((e) => ({ ...patternFilter(filter), ...entryCodes(e) }));
      await admin.deleteAcls(filters);
    }
  } finally {
    answers.close();
  }
}

async function listAcls(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const filters = resourceFilters(options, false);
  const listPrincipals = options
    .values('principal')
    .filter((p) => p !== '')
    .map(parsePrincipalOption);
  const bindings: AclBindingDescription[] = [];
  if (filters.length === 0) bindings.push(...(await admin.describeAcls()));
  for (const filter of filters) bindings.push(...(await admin.describeAcls(patternFilter(filter))));
  const byPattern = groupByPattern(bindings);
  if (listPrincipals.length === 0) {
    printResourceAcls(byPattern, io);
    return;
  }
  for (const principal of listPrincipals) {
    io.stdout.write(`ACLs for principal \`${principal}\`\n`);
    printResourceAcls(
      byPattern
        .map(({ pattern, entries }) => ({ pattern, entries: entries.filter((e) => e.principal === principal) }))
        .filter(({ entries }) => entries.length > 0),
      io,
    );
  }
}

function printResourceAcls(resources: readonly { pattern: PatternText; entries: EntryText[] }[], io: CommandIo): void {
  for (const { pattern, entries } of resources) {
    io.stdout.write(`Current ACLs for resource \`${patternText(pattern)}\`:${entriesText(entries)}\n`);
  }
}

function patternFilter(filter: PatternText): AclBindingFilter {
  return {
    resourceType: AclResourceType[filter.resourceType],
    resourceName: filter.name,
    patternType: AclPatternType[filter.patternType],
  };
}

function entryCodes(entry: EntryText) {
  return {
    principal: entry.principal,
    host: entry.host,
    operation: AclOperation[entry.operation],
    permissionType: AclPermissionType[entry.permissionType],
  };
}

/** Kafka's Map[ResourcePattern, Set[AccessControlEntry]], in the order patterns first appear. */
function groupByPattern(bindings: readonly AclBindingDescription[]): { pattern: PatternText; entries: EntryText[] }[] {
  const groups = new Map<string, { pattern: PatternText; entries: EntryText[]; seen: Set<string> }>();
  for (const binding of bindings) {
    const pattern = patternOf(binding);
    const key = patternKey(pattern);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { pattern, entries: [], seen: new Set() }));
    const { principal, host, operation, permissionType } = binding;
    const entry = { principal, host, operation, permissionType };
    if (group.seen.has(entryKey(entry))) continue;
    group.seen.add(entryKey(entry));
    group.entries.push(entry);
  }
  return [...groups.values()].map(({ pattern, entries }) => ({ pattern, entries }));
}

/** Answers to the confirmation questions, one line of stdin each (end of input: no). */
class AnswerReader {
  private lines: AsyncIterator<string> | undefined;
  private reader: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly io: CommandIo) {}

  async next(): Promise<string | undefined> {
    if (this.lines === undefined) {
      this.reader = createInterface({ input: this.io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
      this.lines = this.reader[Symbol.asyncIterator]();
    }
    const line = await this.lines.next();
    return line.done === true ? undefined : line.value;
  }

  close(): void {
    this.reader?.close();
  }
}
