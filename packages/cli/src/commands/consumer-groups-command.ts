import { readFileSync } from 'node:fs';
import {
  type Admin,
  ErrorCode,
  type GroupDescription,
  KafkaError,
  OffsetSpec,
  type TopicPartition,
} from '@samsa/client';
import { errorByCode } from '@samsa/protocol';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { brokerMessage, errorLine } from '../support/error-report.js';
import { Progress } from '../support/progress.js';
import { checkInvalidArgs, requireOption, type Tool } from '../support/tool.js';
import {
  exportCsv,
  formatResetTable,
  type OffsetToReset,
  parseDateTime,
  parseDuration,
  parseResetPlan,
} from './offsets-reset-plan.js';

const MISSING = '-';
const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'] as const;
const SCENARIOS = [
  'to-offset',
  'to-datetime',
  'by-duration',
  'to-earliest',
  'to-latest',
  'to-current',
  'shift-by',
  'from-file',
] as const;

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server(s) to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  { name: 'group', description: 'The consumer group we wish to act on.', arg: 'required', argName: 'consumer group' },
  {
    name: 'topic',
    description:
      'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.',
    arg: 'required',
    argName: 'topic',
  },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'list', description: 'List all consumer groups.' },
  {
    name: 'describe',
    description:
      'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.',
  },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  {
    name: 'delete',
    description:
      'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2',
  },
  {
    name: 'timeout',
    description:
      'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).',
    arg: 'required',
    argName: 'timeout (ms)',
    argType: 'Long',
    defaultValue: '5000',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client and Consumer.',
    arg: 'required',
    argName: 'command config property file',
  },
  {
    name: 'reset-offsets',
    description:
      "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive\nHas 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.\nYou must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.\nTo define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.",
  },
  {
    name: 'delete-offsets',
    description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.',
  },
  {
    name: 'dry-run',
    description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.',
  },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
  {
    name: 'to-offset',
    description: 'Reset offsets to a specific offset.',
    arg: 'required',
    argName: 'offset',
    argType: 'Long',
  },
  {
    name: 'from-file',
    description: 'Reset offsets to values defined in CSV file.',
    arg: 'required',
    argName: 'path to CSV file',
  },
  {
    name: 'to-datetime',
    description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'",
    arg: 'required',
    argName: 'datetime',
  },
  {
    name: 'by-duration',
    description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'",
    arg: 'required',
    argName: 'duration',
  },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  {
    name: 'shift-by',
    description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.",
    arg: 'required',
    argName: 'number-of-offsets',
    argType: 'Long',
  },
  {
    name: 'members',
    description:
      "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members",
  },
  {
    name: 'verbose',
    description:
      "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose",
  },
  {
    name: 'offsets',
    description:
      "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --offsets",
  },
  {
    name: 'state',
    description:
      "When specified with '--describe', includes the state of the group.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --state\nWhen specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.\nExample: --bootstrap-server localhost:9092 --list --state stable,empty\nThis option may be used with '--describe', '--list' and '--bootstrap-server' options only.",
    arg: 'optional',
  },
  {
    name: 'type',
    description:
      "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types.\nExample: --bootstrap-server localhost:9092 --list --type classic,consumer\nThis option may be used with the '--list' option only.",
    arg: 'optional',
  },
];

const STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];
const TYPES = ['Consumer', 'Classic', 'Share', 'Streams'];

function checkArgs(options: ParsedOptions): void {
  if (ACTIONS.filter((a) => options.has(a)).length !== 1) {
    throw new UsageError(
      'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets',
    );
  }
  requireOption(options, 'bootstrap-server');
  const scopes = '[group], [all-groups]';
  if (options.has('describe')) {
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [describe] takes one of these options: ${scopes}`);
    if (['members', 'offsets', 'state'].filter((o) => options.has(o)).length > 1) {
      throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    }
    if (options.has('state') && options.value('state') !== '')
      throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (options.has('delete')) {
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [delete] takes one of these options: ${scopes}`);
    if (options.has('topic'))
      throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (options.has('delete-offsets') && (!options.has('group') || !options.has('topic'))) {
    throw new UsageError('Option [delete-offsets] takes the following options: [topic], [group]');
  }
  if (options.has('reset-offsets')) {
    if (options.has('dry-run') && options.has('execute'))
      throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [reset-offsets] takes one of these options: ${scopes}`);
    for (const scenario of SCENARIOS)
      checkInvalidArgs(
        options,
        scenario,
        SCENARIOS.filter((s) => s !== scenario),
      );
    if (!SCENARIOS.some((s) => options.has(s))) {
      throw new UsageError(
        `Option '[reset-offsets]' requires one of the following scenarios: [${SCENARIOS.join(', ')}]`,
      );
    }
    checkInvalidArgs(options, 'all-topics', ['topic']);
  }
  checkInvalidArgs(options, 'group', ['all-groups']);
  const others = (keep: readonly string[]) => ACTIONS.filter((a) => !keep.includes(a));
  checkInvalidArgs(options, 'group', others(['describe', 'delete', 'reset-offsets', 'delete-offsets']));
  checkInvalidArgs(options, 'topic', others(['delete', 'reset-offsets', 'delete-offsets']));
  checkInvalidArgs(options, 'members', [...others(['describe']), 'offsets', 'state']);
  checkInvalidArgs(options, 'verbose', others(['describe']));
  checkInvalidArgs(options, 'type', others(['list']));
  checkInvalidArgs(options, 'export', others(['reset-offsets']));
  checkInvalidArgs(options, 'dry-run', others(['reset-offsets']));
  checkInvalidArgs(options, 'execute', others(['reset-offsets']));
}

/** Consumer groups: groups of the consumer protocol, and groups that only store offsets. */
async function listConsumerGroups(admin: Admin): Promise<{ groupId: string; state: string; type: string }[]> {
  const groups = await admin.listGroups();
  return groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
}

function capitalize(s: string): string {
  return s === '' ? s : s[0]?.toUpperCase() + s.slice(1);
}

function parseFilter(value: string | undefined, valid: readonly string[], what: 'state' | 'types'): Set<string> {
  if (value === undefined || value === '') return new Set();
  const out = new Set<string>();
  for (const item of value.split(',')) {
    const match = valid.find((v) => v.toLowerCase() === item.trim().toLowerCase());
    if (match === undefined) {
      throw new UsageError(
        what === 'state'
          ? `Invalid state list '${value}'. Valid states are: ${valid.join(', ')}`
          : `Invalid types list '${value}'. Valid types are: ${valid.map((v) => v.toLowerCase()).join(', ')}`,
      );
    }
    out.add(match);
  }
  return out;
}

async function listGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const includeType = options.has('type');
  const includeState = options.has('state');
  let groups = await listConsumerGroups(admin);
  if (!includeType && !includeState) {
    io.stdout.write(groups.map((g) => `${g.groupId}\n`).join(''));
    return;
  }
  const states = parseFilter(options.value('state'), STATES, 'state');
  const types = parseFilter(options.value('type'), TYPES, 'types');
  groups = groups.filter(
    (g) => (states.size === 0 || states.has(g.state)) && (types.size === 0 || types.has(capitalize(g.type))),
  );
  const width = Math.max(15, ...groups.map((g) => g.groupId.length)) + 10;
  const row = (cells: string[]) => {
    const [first, ...rest] = cells;
    return `${(first ?? '').padEnd(width)}${rest.map((c) => ` ${c.padEnd(20)}`).join('')}\n`;
  };
  const header = ['GROUP', ...(includeType ? ['TYPE'] : []), ...(includeState ? ['STATE'] : [])];
  let out = row(header);
  for (const g of groups)
    out += row([
      g.groupId,
      ...(includeType ? [capitalize(g.type) || 'Unknown'] : []),
      ...(includeState ? [g.state || 'Unknown'] : []),
    ]);
  io.stdout.write(out);
}

/** One row of `--describe --offsets`. */
export interface PartitionAssignmentRow {
  readonly group: string;
  readonly topic: string;
  readonly partition: string;
  readonly currentOffset: string;
  readonly logEndOffset: string;
  readonly lag: string;
  readonly consumerId: string;
  readonly host: string;
  readonly clientId: string;
}

/** Kafka's offsets table: widths from the data (at least 15), every line led by a newline. */
export function formatOffsetsTable(rows: readonly PartitionAssignmentRow[]): string {
  let group = 15;
  let topic = 15;
  let consumer = 15;
  let host = 15;
  for (const r of rows) {
    group = Math.max(group, r.group.length);
    topic = Math.max(topic, r.topic.length);
    consumer = Math.max(consumer, r.consumerId.length);
    host = Math.max(host, r.host.length);
  }
  const line = (c: readonly string[]) =>
    `\n${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(topic)} ${(c[2] as string).padEnd(10)} ${(c[3] as string).padEnd(15)} ${(c[4] as string).padEnd(15)} ${(c[5] as string).padEnd(15)} ${(c[6] as string).padEnd(consumer)} ${(c[7] as string).padEnd(host)} ${c[8] as string}`;
  let out = line([
    'GROUP',
    'TOPIC',
    'PARTITION',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
  ]);
  for (const r of rows)
    out += line([
      r.group,
      r.topic,
      r.partition,
      r.currentOffset,
      r.logEndOffset,
      r.lag,
      r.consumerId,
      r.host,
      r.clientId,
    ]);
  return `${out}\n`;
}

/** One row of `--describe --members`. */
export interface MemberRow {
  readonly group: string;
  readonly consumerId: string;
  readonly groupInstanceId: string;
  readonly host: string;
  readonly clientId: string;
  readonly assignment: readonly TopicPartition[];
}

/** `(0,1), (2)`: a member's partitions per topic, as Kafka's --verbose prints them. */
export function formatAssignment(assignment: readonly TopicPartition[]): string {
  if (assignment.length === 0) return MISSING;
  const byTopic = new Map<string, string[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), String(tp.partition)]);
  return [...byTopic.values()]
    .map((ps) => `(${ps.sort().join(',')})`)
    .sort()
    .join(', ');
}

/** Kafka's members table; GROUP-INSTANCE-ID appears only when some member is static. */
export function formatMembersTable(rows: readonly MemberRow[], verbose: boolean): string {
  let group = 15;
  let consumer = 15;
  let instance = 17;
  let host = 15;
  let client = 15;
  let withInstance = false;
  for (const r of rows) {
    group = Math.max(group, r.group.length);
    consumer = Math.max(consumer, r.consumerId.length);
    instance = Math.max(instance, r.groupInstanceId.length);
    host = Math.max(host, r.host.length);
    client = Math.max(client, r.clientId.length);
    withInstance ||= r.groupInstanceId !== '';
  }
  const cells = (c: readonly string[]) =>
    withInstance
      ? `${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(consumer)} ${(c[2] as string).padEnd(instance)} ${(c[3] as string).padEnd(host)} ${(c[4] as string).padEnd(client)} ${(c[5] as string).padEnd(15)} `
      : `${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(consumer)} ${(c[3] as string).padEnd(host)} ${(c[4] as string).padEnd(client)} ${(c[5] as string).padEnd(15)} `;
  let out = `\n${cells(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])}${verbose ? 'ASSIGNMENT' : ''}\n`;
  for (const r of rows) {
    out += `${cells([r.group, r.consumerId, r.groupInstanceId, r.host, r.clientId, String(r.assignment.length)])}${verbose ? formatAssignment(r.assignment) : ''}\n`;
  }
  return out;
}

/** Kafka's `--describe --state` table. */
export function formatStateTable(
  group: string,
  coordinator: string,
  strategy: string,
  state: string,
  members: number,
): string {
  const width = Math.max(25, coordinator.length);
  const line = (a: string, b: string, c: string, d: string, e: string) =>
    `\n${a.padEnd(width)} ${b.padEnd(25)} ${c.padEnd(20)} ${d.padEnd(15)} ${e}`;
  return `${line('GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS')}${line(group, coordinator, strategy, state, String(members))}\n`;
}

async function logEndOffsets(
  admin: Admin,
  partitions: readonly TopicPartition[],
  spec: bigint,
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const tp of partitions) {
    try {
      const [listed] = await admin.listOffsets([{ topic: tp.topic, partition: tp.partition, timestamp: spec }]);
      if (listed !== undefined) out.set(`${tp.topic}-${tp.partition}`, listed.offset);
    } catch {
      // A deleted topic or partition: the column shows '-', as Kafka's Unknown offset does.
    }
  }
  return out;
}

/**
 * Prints the state line Kafka prints before a group's table and says whether a table follows:
 * a group that does not exist is an error (exit status 1), an empty one is reported on stderr.
 */
function reportState(group: string, state: string, rows: number, io: CommandIo): { print: boolean; missing: boolean } {
  if (state === 'Dead') {
    io.stderr.write(`\nError: Consumer group '${group}' does not exist.\n`);
    return { print: false, missing: true };
  }
  if (state === 'Empty') io.stderr.write(`\nConsumer group '${group}' has no active members.\n`);
  if (['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling'].includes(state)) {
    io.stderr.write(`\nWarning: Consumer group '${group}' is rebalancing.\n`);
  }
  return { print: rows > 0, missing: false };
}

async function collectOffsetRows(admin: Admin, description: GroupDescription): Promise<PartitionAssignmentRow[]> {
  const group = description.groupId;
  const committed = description.state === 'Dead' ? [] : await admin.listConsumerGroupOffsets(group);
  const committedOf = new Map(committed.map((c) => [`${c.topic}-${c.partition}`, c.offset]));
  const members = [...description.members]
    .filter((m) => m.assignment.length > 0)
    .sort((a, b) => b.assignment.length - a.assignment.length);
  const assigned = new Set<string>();
  const groups: { partitions: TopicPartition[]; consumerId: string; host: string; clientId: string }[] = [];
  for (const m of members) {
    for (const tp of m.assignment) assigned.add(`${tp.topic}-${tp.partition}`);
    groups.push({
      partitions: [...m.assignment].sort((a, b) => a.partition - b.partition),
      consumerId: m.memberId,
      host: m.clientHost,
      clientId: m.clientId,
    });
  }
  const unassigned = committed
    .filter((c) => !assigned.has(`${c.topic}-${c.partition}`))
    .sort((a, b) => a.partition - b.partition);
  if (unassigned.length > 0)
    groups.push({ partitions: unassigned, consumerId: MISSING, host: MISSING, clientId: MISSING });
  const all = groups.flatMap((g) => g.partitions);
  const ends = await logEndOffsets(admin, all, OffsetSpec.LATEST);
  const rows: PartitionAssignmentRow[] = [];
  for (const g of groups) {
    for (const tp of g.partitions) {
      const key = `${tp.topic}-${tp.partition}`;
      const current = committedOf.get(key);
      const end = ends.get(key);
      const hasCurrent = current !== undefined && current !== -1n;
      rows.push({
        group,
        topic: tp.topic,
        partition: String(tp.partition),
        currentOffset: hasCurrent ? String(current) : MISSING,
        logEndOffset: end === undefined ? MISSING : String(end),
        lag: hasCurrent && end !== undefined ? String(end - current) : MISSING,
        consumerId: g.consumerId,
        host: g.host,
        clientId: g.clientId,
      });
    }
  }
  return rows;
}

async function describeGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  const groupIds = options.has('all-groups')
    ? (await listConsumerGroups(admin)).map((g) => g.groupId)
    : options.values('group');
  const descriptions = (await admin.describeGroups(groupIds)).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  let status = 0;
  for (const d of descriptions) {
    if (options.has('members')) {
      const rows: MemberRow[] = d.members.map((m) => ({
        group: d.groupId,
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? '',
        host: m.clientHost,
        clientId: m.clientId,
        assignment: m.assignment,
      }));
      const { missing } = reportState(d.groupId, d.state, rows.length, io);
      if (missing) status = 1;
      else io.stdout.write(formatMembersTable(rows, options.has('verbose')));
    } else if (options.has('state')) {
      const { missing } = reportState(d.groupId, d.state, 1, io);
      if (missing) {
        status = 1;
        continue;
      }
      const broker = admin.cluster.brokers.get(d.coordinator);
      const coordinator = `${broker?.host ?? 'unknown'}:${broker?.port ?? -1}  (${d.coordinator})`;
      io.stdout.write(formatStateTable(d.groupId, coordinator, d.protocol, d.state, d.members.length));
    } else {
      const rows = await collectOffsetRows(admin, d);
      const { print, missing } = reportState(d.groupId, d.state, rows.length, io);
      if (missing) status = 1;
      if (print) io.stdout.write(formatOffsetsTable(rows));
    }
  }
  return status;
}

async function deleteGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  const groupIds = options.has('all-groups')
    ? (await listConsumerGroups(admin)).map((g) => g.groupId)
    : options.values('group');
  const succeeded: string[] = [];
  const failed: [string, unknown][] = [];
  for (const group of groupIds) {
    try {
      await admin.deleteGroups([group]);
      succeeded.push(group);
    } catch (error) {
      failed.push([group, error]);
    }
  }
  if (failed.length === 0) {
    io.stdout.write(`Deletion of requested consumer groups ('${succeeded.join(', ')}') was successful.\n`);
    return 0;
  }
  io.stderr.write('\nError: Deletion of some consumer groups failed:\n');
  for (const [group, error] of failed) {
    const kafka =
      error instanceof KafkaError ? `${error.errorName}: ${brokerMessage(error.message)}` : errorLine(error);
    io.stderr.write(`* Group '${group}' could not be deleted due to: ${kafka}\n`);
  }
  if (succeeded.length > 0)
    io.stdout.write(`\nThese consumer groups were deleted successfully: '${succeeded.join("', '")}'\n`);
  return 1;
}

/** `topic` or `topic:0,1,2` arguments to partitions (Kafka's parseTopicPartitionsToReset). */
async function partitionsOf(admin: Admin, topicArgs: readonly string[]): Promise<TopicPartition[]> {
  const out: TopicPartition[] = [];
  const whole: string[] = [];
  for (const arg of topicArgs) {
    if (!arg.includes(':')) {
      whole.push(arg);
      continue;
    }
    const parts = arg.split(':');
    if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
    for (const p of (parts[1] as string).split(',')) {
      if (!/^\d+$/.test(p)) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
      out.push({ topic: parts[0] as string, partition: Number(p) });
    }
  }
  if (whole.length > 0) {
    for (const d of await admin.describeTopics(whole)) {
      for (const p of d.partitions) out.push({ topic: d.name, partition: p.partition });
    }
  }
  return out;
}

async function deleteOffsets(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  const group = options.value('group') as string;
  const topics = options.values('topic');
  const results = new Map<string, { tp: TopicPartition; error: string | null }>();
  let partitions: TopicPartition[] = [];
  for (const topic of topics) {
    try {
      partitions.push(...(await partitionsOf(admin, [topic])));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      results.set(`${topic}--1`, { tp: { topic, partition: -1 }, error: errorLine(error) });
    }
  }
  partitions = partitions.filter(
    (tp, i) => partitions.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition) === i,
  );
  let topLevel: KafkaError | undefined;
  try {
    if (partitions.length > 0) await admin.deleteConsumerGroupOffsets(group, partitions);
    for (const tp of partitions) results.set(`${tp.topic}-${tp.partition}`, { tp, error: null });
  } catch (error) {
    if (!(error instanceof KafkaError)) throw error;
    topLevel = error;
    // Samsa's client stops at the first error; ask again per partition to report each one.
    for (const tp of partitions) {
      try {
        await admin.deleteConsumerGroupOffsets(group, [tp]);
        results.set(`${tp.topic}-${tp.partition}`, { tp, error: null });
      } catch (e) {
        results.set(`${tp.topic}-${tp.partition}`, {
          tp,
          error: e instanceof KafkaError ? errorByCode(e.errorCode).message : errorLine(e),
        });
      }
    }
  }
  const code = topLevel?.errorCode;
  if (code === undefined)
    io.stdout.write(`Request succeed for deleting offsets with topic ${topics.join(', ')} group ${group}\n`);
  else if (code === ErrorCode.INVALID_GROUP_ID) io.stderr.write(`\nError: '${group}' is not valid.\n`);
  else if (code === ErrorCode.GROUP_ID_NOT_FOUND) io.stderr.write(`\nError: '${group}' does not exist.\n`);
  else if (code === ErrorCode.NON_EMPTY_GROUP) {
    io.stderr.write(
      `\nError: Deleting offsets of a consumer group '${group}' is forbidden if the group is not empty.\n`,
    );
  } else if (
    (
      [
        ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC,
        ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ] as number[]
    ).includes(code)
  ) {
    io.stderr.write('\nError: Encounter some partition level error, see the follow-up details:\n');
  } else io.stderr.write(`\nError: Encounter some unknown error: ${topLevel?.errorName}\n`);
  const line = (a: string, b: string, c: string) => `\n${a.padEnd(30)} ${b.padEnd(15)} ${c.padEnd(15)}`;
  let out = line('TOPIC', 'PARTITION', 'STATUS');
  const sorted = [...results.values()].sort((a, b) =>
    `${a.tp.topic}${a.tp.partition}` < `${b.tp.topic}${b.tp.partition}` ? -1 : 1,
  );
  for (const r of sorted) {
    out += line(
      r.tp.topic,
      r.tp.partition >= 0 ? String(r.tp.partition) : 'Not Provided',
      r.error === null ? 'Successful' : `Error: :${r.error}`,
    );
  }
  io.stdout.write(`${out}\n`);
  return topLevel === undefined && sorted.every((r) => r.error === null) ? 0 : 1;
}

/** Kafka's checkOffsetsRange: requested offsets outside [log start, log end] are clamped, with a warning. */
async function clampToRange(
  admin: Admin,
  requested: Map<string, { tp: TopicPartition; offset: bigint }>,
  io: CommandIo,
) {
  const tps = [...requested.values()].map((r) => r.tp);
  const starts = await logEndOffsets(admin, tps, OffsetSpec.EARLIEST);
  const ends = await logEndOffsets(admin, tps, OffsetSpec.LATEST);
  for (const [key, r] of requested) {
    const end = ends.get(key);
    const start = starts.get(key);
    if (end === undefined)
      throw new CommandError(`Error: Unexpected non-existing offset value for topic partition ${key}`);
    if (r.offset > end) {
      io.stderr.write(
        `WARN New offset (${r.offset}) is higher than latest offset for topic partition ${key}. Value will be set to ${end}\n`,
      );
      r.offset = end;
    } else if (start !== undefined && r.offset < start) {
      io.stderr.write(
        `WARN New offset (${r.offset}) is lower than earliest offset for topic partition ${key}. Value will be set to ${start}\n`,
      );
      r.offset = start;
    }
  }
}

async function prepareOffsets(
  admin: Admin,
  group: string,
  partitions: readonly TopicPartition[],
  options: ParsedOptions,
  plan: readonly OffsetToReset[] | undefined,
  io: CommandIo,
): Promise<OffsetToReset[]> {
  const keyOf = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;
  const result = (m: Map<string, { tp: TopicPartition; offset: bigint }>) =>
    [...m.values()].map((r) => ({ group, topic: r.tp.topic, partition: r.tp.partition, offset: r.offset }));
  const fromSpec = async (spec: bigint, what: string) => {
    const offsets = await logEndOffsets(admin, partitions, spec);
    return partitions.map((tp) => {
      const offset = offsets.get(keyOf(tp));
      if (offset === undefined) throw new CommandError(`Error getting ${what} offset of topic partition: ${keyOf(tp)}`);
      return { group, topic: tp.topic, partition: tp.partition, offset };
    });
  };
  const byTimestamp = async (timestamp: number) => {
    const out: OffsetToReset[] = [];
    for (const tp of partitions) {
      const [listed] = await admin.listOffsets([{ ...tp, timestamp: BigInt(timestamp) }]);
      let offset = listed?.offset ?? -1n;
      if (offset < 0n) {
        io.stdout.write(
          `\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`,
        );
        offset = (await logEndOffsets(admin, [tp], OffsetSpec.LATEST)).get(keyOf(tp)) ?? 0n;
      }
      out.push({ group, topic: tp.topic, partition: tp.partition, offset });
    }
    return out;
  };
  if (options.has('to-offset')) {
    const offset = options.bigint('to-offset') as bigint;
    const requested = new Map(partitions.map((tp) => [keyOf(tp), { tp, offset }]));
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  if (options.has('to-earliest')) return fromSpec(OffsetSpec.EARLIEST, 'starting');
  if (options.has('to-latest')) return fromSpec(OffsetSpec.LATEST, 'ending');
  if (options.has('shift-by')) {
    const shift = options.bigint('shift-by') as bigint;
    const committed = new Map((await admin.listConsumerGroupOffsets(group)).map((c) => [keyOf(c), c.offset]));
    const requested = new Map<string, { tp: TopicPartition; offset: bigint }>();
    for (const tp of partitions) {
      const current = committed.get(keyOf(tp));
      if (current === undefined || current < 0n) {
        throw new UsageError(
          `Cannot shift offset for partition ${keyOf(tp)} since there is no current committed offset`,
        );
      }
      requested.set(keyOf(tp), { tp, offset: current + shift });
    }
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  if (options.has('to-datetime')) return byTimestamp(parseDateTime(options.value('to-datetime') as string));
  if (options.has('by-duration'))
    return byTimestamp(Date.now() - parseDuration(options.value('by-duration') as string));
  if (plan !== undefined) {
    const forGroup = plan.filter((p) => p.group === group);
    if (forGroup.length === 0) {
      io.stderr.write(`\nError: No reset plan for group ${group} found\n`);
      return [];
    }
    const requested = new Map(
      forGroup.map((p) => [keyOf(p), { tp: { topic: p.topic, partition: p.partition }, offset: p.offset }]),
    );
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  // --to-current: the committed offset, or the log end where there is none.
  const committed = new Map((await admin.listConsumerGroupOffsets(group)).map((c) => [keyOf(c), c.offset]));
  const missing = partitions.filter((tp) => (committed.get(keyOf(tp)) ?? -1n) < 0n);
  const ends = await logEndOffsets(admin, missing, OffsetSpec.LATEST);
  return partitions.map((tp) => {
    const current = committed.get(keyOf(tp));
    const offset = current !== undefined && current >= 0n ? current : ends.get(keyOf(tp));
    if (offset === undefined) throw new CommandError(`Error getting ending offset of topic partition: ${keyOf(tp)}`);
    return { group, topic: tp.topic, partition: tp.partition, offset };
  });
}

async function resetOffsets(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  if (!options.has('dry-run') && !options.has('execute')) {
    io.stderr.write(
      'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
    );
  }
  const groupIds = options.has('all-groups')
    ? (await listConsumerGroups(admin)).map((g) => g.groupId)
    : options.values('group');
  const singleGroup = options.values('group').length === 1 ? options.value('group') : undefined;
  const plan = options.has('from-file')
    ? parseResetPlan(readFileSync(options.value('from-file') as string, 'utf8'), singleGroup)
    : undefined;
  const descriptions = await admin.describeGroups(groupIds);
  const all: OffsetToReset[] = [];
  const progress = new Progress(io, 'Resetting offsets of groups', groupIds.length);
  let status = 0;
  try {
    for (const [i, d] of descriptions.entries()) {
      progress.update(i);
      if (d.state !== 'Empty' && d.state !== 'Dead') {
        io.stderr.write(
          `\nError: Assignments can only be reset if the group '${d.groupId}' is inactive, but the current state is ${d.state}.\n`,
        );
        status = 1;
        continue;
      }
      let partitions: TopicPartition[];
      if (options.has('all-topics'))
        partitions = (await admin.listConsumerGroupOffsets(d.groupId)).map((c) => ({
          topic: c.topic,
          partition: c.partition,
        }));
      else if (options.has('topic')) partitions = await partitionsOf(admin, options.values('topic'));
      else if (plan !== undefined) partitions = [];
      else throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
      const offsets = (await prepareOffsets(admin, d.groupId, partitions, options, plan, io)).sort((a, b) =>
        a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
      );
      if (options.has('execute') && offsets.length > 0) {
        await admin.alterConsumerGroupOffsets(
          d.groupId,
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
        );
      }
      all.push(...offsets);
    }
  } finally {
    progress.done();
  }
  if (options.has('export')) io.stdout.write(`${exportCsv(all, singleGroup !== undefined)}\n`);
  else io.stdout.write(formatResetTable(all));
  return status;
}

/** `kafka-consumer-groups.sh`: list, describe, delete consumer groups and reset or delete their offsets. */
export const consumerGroupsTool: Tool = {
  name: 'consumer-groups',
  script: 'kafka-consumer-groups.sh',
  purpose:
    'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  specs,
  errorPrefix: 'Error: Executing consumer group command failed due to ',
  async run(options, io) {
    checkArgs(options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      if (options.has('list')) {
        await listGroups(admin, options, io);
        return 0;
      }
      if (options.has('describe')) return await describeGroups(admin, options, io);
      if (options.has('delete')) return await deleteGroups(admin, options, io);
      if (options.has('reset-offsets')) return await resetOffsets(admin, options, io);
      return await deleteOffsets(admin, options, io);
    } finally {
      await admin.close();
    }
  },
};
