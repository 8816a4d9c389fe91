import type { TopicPartition } from '@samsa/client';

/** Kafka's ConsumerGroupCommand.MISSING_COLUMN_VALUE. */
export const MISSING = '-';

/** One row of `--describe --offsets`. */
export interface PartitionAssignmentRow {
  readonly group: string;
  readonly topic: string;
  readonly partition: string;
  /** The committed offset's leader epoch, printed by `--verbose` (Kafka 4.0, KIP-1099). */
  readonly leaderEpoch?: string;
  readonly currentOffset: string;
  readonly logEndOffset: string;
  readonly lag: string;
  readonly consumerId: string;
  readonly host: string;
  readonly clientId: string;
}

/**
 * Kafka's offsets table: widths from the data (at least 15), every line led by a newline;
 * `--verbose` adds LEADER-EPOCH after PARTITION, as Kafka 4.0 does.
 */
export function formatOffsetsTable(rows: readonly PartitionAssignmentRow[], verbose = false): string {
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
    `\n${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(topic)} ${(c[2] as string).padEnd(10)} ${verbose ? `${(c[9] as string).padEnd(15)} ` : ''}${(c[3] as string).padEnd(15)} ${(c[4] as string).padEnd(15)} ${(c[5] as string).padEnd(15)} ${(c[6] as string).padEnd(consumer)} ${(c[7] as string).padEnd(host)} ${c[8] as string}`;
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
    'LEADER-EPOCH',
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
      r.leaderEpoch ?? MISSING,
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
  /** Consumer-protocol groups only (undefined prints `-`, as for classic groups). */
  readonly currentEpoch?: number;
  readonly targetEpoch?: number;
  readonly targetAssignment?: readonly TopicPartition[];
  readonly upgraded?: boolean;
}

/**
 * `t1:0,1;t2:0`: a member's partitions per topic, as Kafka 4.0's --verbose prints them (topics
 * sorted, partitions sorted as Kafka sorts them, as strings); `-` for none.
 */
export function formatAssignment(assignment: readonly TopicPartition[] | undefined): string {
  if (assignment === undefined || assignment.length === 0) return MISSING;
  const byTopic = new Map<string, string[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), String(tp.partition)]);
  return [...byTopic]
    .map(([topic, ps]) => `${topic}:${ps.sort().join(',')}`)
    .sort()
    .join(';');
}

/**
 * Kafka 4.0's members table. GROUP-INSTANCE-ID appears only when some member is static;
 * `--verbose` adds CURRENT-EPOCH, CURRENT-ASSIGNMENT, TARGET-EPOCH and TARGET-ASSIGNMENT (`-` for
 * classic groups), and UPGRADED when a consumer group has classic members (online migration).
 */
export function formatMembersTable(rows: readonly MemberRow[], verbose: boolean): string {
  let group = 15;
  let consumer = 15;
  let instance = 17;
  let host = 15;
  let client = 15;
  let current = 20;
  let target = 20;
  let withInstance = false;
  let withUpgraded = false;
  for (const r of rows) {
    group = Math.max(group, r.group.length);
    consumer = Math.max(consumer, r.consumerId.length);
    instance = Math.max(instance, r.groupInstanceId.length);
    host = Math.max(host, r.host.length);
    client = Math.max(client, r.clientId.length);
    current = Math.max(current, formatAssignment(r.assignment).length);
    target = Math.max(target, formatAssignment(r.targetAssignment).length);
    withInstance ||= r.groupInstanceId !== '';
    withUpgraded ||= r.upgraded === false;
  }
  const cells = (c: readonly string[]) =>
    withInstance
      ? `${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(consumer)} ${(c[2] as string).padEnd(instance)} ${(c[3] as string).padEnd(host)} ${(c[4] as string).padEnd(client)} ${(c[5] as string).padEnd(15)} `
      : `${(c[0] as string).padEnd(group)} ${(c[1] as string).padEnd(consumer)} ${(c[3] as string).padEnd(host)} ${(c[4] as string).padEnd(client)} ${(c[5] as string).padEnd(15)} `;
  const verboseCells = (c: readonly string[]) =>
    withUpgraded
      ? `${(c[0] as string).padEnd(15)} ${(c[1] as string).padEnd(current)} ${(c[2] as string).padEnd(15)} ${(c[3] as string).padEnd(target)} ${c[4] as string}`
      : `${(c[0] as string).padEnd(15)} ${(c[1] as string).padEnd(current)} ${(c[2] as string).padEnd(15)} ${c[3] as string}`;
  let out = `\n${cells(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])}`;
  if (verbose)
    out += verboseCells(['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT', 'UPGRADED']);
  out += '\n';
  for (const r of rows) {
    out += cells([r.group, r.consumerId, r.groupInstanceId, r.host, r.clientId, String(r.assignment.length)]);
    if (verbose) {
      out += verboseCells([
        r.currentEpoch === undefined ? MISSING : String(r.currentEpoch),
        formatAssignment(r.assignment),
        r.targetEpoch === undefined ? MISSING : String(r.targetEpoch),
        formatAssignment(r.targetAssignment),
        r.upgraded === undefined ? MISSING : String(r.upgraded),
      ]);
    }
    out += '\n';
  }
  return out;
}

/** One row of `--describe --state`; the epochs exist for consumer-protocol groups only. */
export interface StateRow {
  readonly group: string;
  readonly coordinator: string;
  readonly assignmentStrategy: string;
  readonly state: string;
  readonly groupEpoch?: number;
  readonly targetAssignmentEpoch?: number;
  readonly members: number;
}

/** Kafka's `--describe --state` table; `--verbose` adds GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH (Kafka 4.0). */
export function formatStateTable(row: StateRow, verbose = false): string {
  const width = Math.max(25, row.coordinator.length);
  const line = (c: readonly string[]) =>
    `\n${(c[0] as string).padEnd(width)} ${(c[1] as string).padEnd(25)} ${(c[2] as string).padEnd(20)} ${(c[3] as string).padEnd(15)} ${verbose ? `${(c[4] as string).padEnd(15)} ${(c[5] as string).padEnd(25)} ` : ''}${c[6] as string}`;
  const epoch = (e: number | undefined) => (e === undefined ? MISSING : String(e));
  return `${line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', 'GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH', '#MEMBERS'])}${line(
    [
      row.group,
      row.coordinator,
      row.assignmentStrategy,
      row.state,
      epoch(row.groupEpoch),
      epoch(row.targetAssignmentEpoch),
      String(row.members),
    ],
  )}\n`;
}
