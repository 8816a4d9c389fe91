import { type Admin, type GroupDescription, OffsetSpec, type TopicPartition } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import type { CommandIo } from '../../support/command-io.js';
import { listConsumerGroups } from './list.js';
import { logEndOffsets } from './log-end-offsets.js';

const MISSING = '-';

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

/** `--describe`: offsets (the default), `--members` or `--state` of each group. */
export async function describeGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
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
