import { type Admin, OffsetSpec, type TopicPartition } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import type { CommandIo } from '../../support/command-io.js';
import {
  formatMembersTable,
  formatOffsetsTable,
  formatStateTable,
  type MemberRow,
  MISSING,
  type PartitionAssignmentRow,
} from './describe-tables.js';
import { type DescribedGroup, describeGroups as describeAnyGroups } from './described-group.js';
import { listConsumerGroups } from './list.js';
import { logEndOffsets } from './log-end-offsets.js';

export { formatAssignment, formatMembersTable, formatOffsetsTable, formatStateTable } from './describe-tables.js';

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

async function collectOffsetRows(admin: Admin, description: DescribedGroup): Promise<PartitionAssignmentRow[]> {
  const group = description.groupId;
  const committed = description.state === 'Dead' ? [] : await admin.listConsumerGroupOffsets(group);
  const committedOf = new Map(committed.map((c) => [`${c.topic}-${c.partition}`, c]));
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
      const offset = committedOf.get(key);
      const current = offset?.offset;
      const end = ends.get(key);
      const hasCurrent = current !== undefined && current !== -1n;
      rows.push({
        group,
        topic: tp.topic,
        partition: String(tp.partition),
        leaderEpoch: offset === undefined || offset.leaderEpoch < 0 ? MISSING : String(offset.leaderEpoch),
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
  const descriptions = (await describeAnyGroups(admin, groupIds)).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
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
        ...(m.memberEpoch === undefined ? {} : { currentEpoch: m.memberEpoch }),
        ...(d.targetAssignmentEpoch === undefined ? {} : { targetEpoch: d.targetAssignmentEpoch }),
        ...(m.targetAssignment === undefined ? {} : { targetAssignment: m.targetAssignment }),
        ...(m.upgraded === undefined ? {} : { upgraded: m.upgraded }),
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
      io.stdout.write(
        formatStateTable(
          {
            group: d.groupId,
            coordinator,
            assignmentStrategy: d.assignor,
            state: d.state,
            members: d.members.length,
            ...(d.groupEpoch === undefined ? {} : { groupEpoch: d.groupEpoch }),
            ...(d.targetAssignmentEpoch === undefined ? {} : { targetAssignmentEpoch: d.targetAssignmentEpoch }),
          },
          options.has('verbose'),
        ),
      );
    } else {
      const rows = await collectOffsetRows(admin, d);
      const { print, missing } = reportState(d.groupId, d.state, rows.length, io);
      if (missing) status = 1;
      if (print) io.stdout.write(formatOffsetsTable(rows, options.has('verbose')));
    }
  }
  return status;
}
